/**
 * Template cost at scale: N instances of our construct (distinct launch roles, or one shared
 * role) against N hand-written AwsCustomResource calls, in one stack each. Resources, template
 * bytes, and the IAM policy sizes of the role the handlers run as; then where the baseline
 * breaks CloudFormation's 500-resource cap and IAM's 10,240-character inline aggregate.
 */
import { IAM_LIMITS, RolePolicySizes, allRoleSizes, findRole, rolePolicySizes, withinLimits } from './iam-size';
import { SectionResult, Table, Target, fmt, target } from './report';
import { RoleMode, Variant, buildAndSynthesize } from './stacks';

const SIZES = [1, 100, 400];
const BASELINE_SIZES = [1, 100, 200, 400];
const CFN_MAX_RESOURCES = 500;
/** Lifts aws-cdk-lib's synth-time check of the 500-resource cap, to measure the baseline past it. */
const NO_RESOURCE_LIMIT = { '@aws-cdk/core:stackResourceLimit': 0 };
/** Logical id prefixes of the role the handlers run as. */
const HANDLER_ROLE_PREFIX: Record<Variant, string> = {
  ours: 'ProvisionedProductPropertiesProviderHandlerRole',
  baseline: 'AWS679f53fac002430cb0da5b7982bd2287ServiceRole', // AwsCustomResource's singleton function
};

export interface Measurement {
  readonly variant: Variant;
  readonly roles: RoleMode;
  readonly n: number;
  readonly resources: number;
  readonly managedPolicies: number;
  /** The most launch roles one PassRole managed policy holds. */
  readonly rolesPerManagedPolicy: number;
  readonly templateBytes: number;
  readonly handlerRole: RolePolicySizes;
  readonly allRolesWithinIamLimits: boolean;
  /** Whether a default `cdk synth` refuses the stack (more than 500 resources). */
  readonly exceedsResourceCap: boolean;
}

function measure(variant: Variant, roles: RoleMode, n: number): Measurement {
  const { template, templateBytes } = buildAndSynthesize({ variant, n, roles, context: NO_RESOURCE_LIMIT });
  const resources = Object.values(template.Resources as Record<string, any>);
  const roleSizes = allRoleSizes(template);
  return {
    variant, roles, n,
    resources: resources.length,
    managedPolicies: resources.filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').length,
    rolesPerManagedPolicy: Math.max(0, ...resources.filter((r) => r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .map((st: any) => (Array.isArray(st.Resource) ? st.Resource.length : 1))),
    templateBytes,
    handlerRole: rolePolicySizes(template, findRole(template, HANDLER_ROLE_PREFIX[variant])),
    allRolesWithinIamLimits: roleSizes.every(withinLimits),
    exceedsResourceCap: resources.length > CFN_MAX_RESOURCES,
  };
}

/** Whether a default synth (the 500-resource check on) of the baseline at N succeeds. */
function baselineSynthesizes(n: number): boolean {
  try {
    buildAndSynthesize({ variant: 'baseline', n, roles: 'distinct' });
    return true;
  } catch (error) {
    if (/greater than allowed maximum of 500/.test(String(error))) return false;
    throw error;
  }
}

interface BreakPoint {
  readonly n: number;
  readonly perInstance: number;
  readonly confirmed: boolean;
  readonly method: string;
}

/** The smallest N where `value(N)` exceeds `limit`, from the marginal between N=1 and N=100, then probed. */
function breakPoint(at1: number, at100: number, limit: number, exceeds: (n: number) => boolean): BreakPoint {
  const perInstance = (at100 - at1) / 99;
  const n = Math.floor((limit - (at1 - perInstance)) / perInstance) + 1;
  const below = exceeds(n - 1);
  const at = exceeds(n);
  return {
    n, perInstance, confirmed: !below && at,
    method: `extrapolated from the per-instance marginal between N=1 and N=100, then probed: N=${n - 1} `
      + `${below ? 'exceeds' : 'fits'}, N=${n} ${at ? 'exceeds' : 'fits'}${!below && at ? ' (confirmed)' : ' (NOT confirmed)'}`,
  };
}

export function runTemplateCost(): Omit<SectionResult, 'wallMs'> {
  const ours = (roles: RoleMode) => SIZES.map((n) => measure('ours', roles, n));
  const distinct = ours('distinct');
  const shared = ours('shared');
  const baseline = BASELINE_SIZES.map((n) => measure('baseline', 'distinct', n));
  const byN = (list: Measurement[], n: number) => list.find((m) => m.n === n)!;

  const b1 = byN(baseline, 1);
  const b100 = byN(baseline, 100);
  const resourceBreak = breakPoint(b1.resources, b100.resources, CFN_MAX_RESOURCES, (n) => !baselineSynthesizes(n));
  const inlineBreak = breakPoint(b1.handlerRole.inlineAggregate, b100.handlerRole.inlineAggregate, IAM_LIMITS.inlineAggregate,
    (n) => measure('baseline', 'distinct', n).handlerRole.inlineAggregate > IAM_LIMITS.inlineAggregate);

  // One resource per instance: the shared-role variant grows by exactly N-1; with distinct roles,
  // the growth beyond N-1 must be PassRole managed policies only (shared by ~60 roles each).
  const d1 = byN(distinct, 1);
  const s1 = byN(shared, 1);
  const growth = SIZES.filter((n) => n > 1).map((n) => {
    const d = byN(distinct, n);
    const s = byN(shared, n);
    return {
      n,
      shared: s.resources - s1.resources,
      distinct: d.resources - d1.resources,
      extraManagedPolicies: d.managedPolicies - d1.managedPolicies,
    };
  });
  const onePerInstance = growth.every((g) => g.shared === g.n - 1 && g.distinct - g.extraManagedPolicies === g.n - 1);
  const last = growth[growth.length - 1];
  const d400 = byN(distinct, 400);
  const s400 = byN(shared, 400);
  const largestManaged = Math.max(0, ...d400.handlerRole.managedPolicySizes);
  const d400r = d400.rolesPerManagedPolicy;

  const targets: Target[] = [
    target('T4', 'ours: 1 resource per instance',
      `+${last.shared} for +${last.n - 1} (shared role); +${last.distinct} = ${last.n - 1} + ${last.extraManagedPolicies} PassRole policies (distinct roles)`,
      `Δresources = ΔN, plus 1 managed policy per ~${d400r} distinct roles`, onePerInstance),
    target('T5', 'ours: N=400 under the 500-resource cap',
      `${d400.resources} (distinct roles), ${s400.resources} (shared)`, `≤ ${CFN_MAX_RESOURCES}`,
      d400.resources <= CFN_MAX_RESOURCES && s400.resources <= CFN_MAX_RESOURCES),
    target('T6', 'ours: every role within IAM limits, N=400 distinct roles',
      `handler inline ${d400.handlerRole.inlineAggregate}; largest managed ${largestManaged}; ${d400.handlerRole.managedAttached} managed attached`,
      `≤ ${IAM_LIMITS.inlineAggregate}; ≤ ${IAM_LIMITS.managedPolicy}; ≤ ${IAM_LIMITS.managedPerRole}`,
      d400.allRolesWithinIamLimits && s400.allRolesWithinIamLimits),
  ];

  const row = (m: Measurement, first: Measurement): string[] => [
    m.variant === 'ours' ? `ours (${m.roles} launch roles)` : 'AwsCustomResource (distinct roles)',
    String(m.n),
    String(m.resources) + (m.exceedsResourceCap ? ' (synth fails)' : ''),
    m.n === 1 ? '–' : ((m.resources - first.resources) / (m.n - 1)).toFixed(3),
    fmt.kb(m.templateBytes),
    `${m.handlerRole.inlineAggregate} (${m.handlerRole.inlinePolicies} polic${m.handlerRole.inlinePolicies === 1 ? 'y' : 'ies'})`
      + (m.handlerRole.inlineAggregate > IAM_LIMITS.inlineAggregate ? ' OVER' : ''),
    m.handlerRole.managedPolicySizes.length === 0 ? '0' : `${m.handlerRole.managedPolicySizes.length}, largest ${Math.max(...m.handlerRole.managedPolicySizes)}`,
    m.allRolesWithinIamLimits ? 'yes' : 'NO',
  ];
  const table: Table = {
    title: 'Template cost at scale',
    header: ['variant', 'N', 'resources', 'marginal/instance', 'template', 'handler role inline aggregate (chars)',
      'customer managed policies', 'all roles within IAM limits'],
    rows: [
      ...distinct.map((m) => row(m, d1)), ...shared.map((m) => row(m, s1)), ...baseline.map((m) => row(m, b1)),
    ],
    notes: [
      'Sizes are IAM\'s count: policy-document JSON without whitespace. Literal launch-role ARNs are exact; the intrinsics '
        + '(the log group\'s Fn::GetAtt Arn in our inline policy) are replaced by the ARN CloudFormation would produce with a '
        + '64-character generated name, so those sizes are upper-bound estimates.',
      `Our iam:PassRole grants live in customer managed policies (up to ${d400r} launch roles of 90 characters each); they are resources, so with `
        + 'distinct launch roles the marginal is slightly above 1. With one shared role it is exactly 1.',
      `AwsCustomResource adds a Custom resource and an AWS::IAM::Policy per instance (${resourceBreak.perInstance.toFixed(0)} `
        + 'resources), all policies attached to its one singleton role. Its rows past 500 resources are measured with '
        + '@aws-cdk/core:stackResourceLimit=0; a default synth refuses them.',
      `Baseline breaks the 500-resource cap from N = ${resourceBreak.n}: ${resourceBreak.method}.`,
      `Baseline singleton role's inline aggregate passes ${IAM_LIMITS.inlineAggregate} from N = ${inlineBreak.n} `
        + `(${inlineBreak.perInstance.toFixed(0)} characters per instance): ${inlineBreak.method}.`,
    ],
  };
  return {
    name: 'templateCost',
    tables: [table],
    targets,
    data: { ours: { distinct, shared }, baseline, growth, baselineBreaks: { resources: resourceBreak, inlineAggregate: inlineBreak } },
  };
}
