/**
 * IAM policy sizes of a synthesized template, the way IAM counts them: the JSON of each policy
 * document without whitespace. A role's inline policies (its own `Policies` and every
 * AWS::IAM::Policy attached to it) count together against 10,240 characters; each customer
 * managed policy (AWS::IAM::ManagedPolicy) against 6,144; a role holds 10 managed policies by
 * default (AWS managed ones included).
 *
 * CloudFormation intrinsics are replaced by the value CloudFormation would produce, with
 * generated physical names at their longest: `<stack>-<logical id>-<13 characters>` cut to 64
 * characters, in the ARN format of the resource type. So a size with tokens in it is an
 * upper-bound estimate; a size of literal ARNs is exact.
 */
import { ACCOUNT, REGION, STACK_NAME } from './stacks';

export const IAM_LIMITS = { inlineAggregate: 10_240, managedPolicy: 6_144, managedPerRole: 10 } as const;

export interface RolePolicySizes {
  readonly logicalId: string;
  /** Sum of the role's inline policy documents. */
  readonly inlineAggregate: number;
  readonly inlinePolicies: number;
  /** Size of each customer managed policy attached to the role, in template order. */
  readonly managedPolicySizes: readonly number[];
  /** Managed policies attached, AWS managed ones included (the quota counts both). */
  readonly managedAttached: number;
  /** How many intrinsics were estimated in this role's documents. */
  readonly estimatedTokens: number;
}

export function rolePolicySizes(template: any, roleLogicalId: string): RolePolicySizes {
  const resources: Record<string, any> = template.Resources ?? {};
  const role = resources[roleLogicalId];
  if (!role || role.Type !== 'AWS::IAM::Role') {
    throw new Error(`no AWS::IAM::Role ${roleLogicalId} in the template`);
  }
  const refersToRole = (refs: unknown) => Array.isArray(refs) && refs.some((r) => r && r.Ref === roleLogicalId);
  const resolver = new TokenEstimator(resources);
  const size = (doc: unknown) => JSON.stringify(resolver.resolve(doc)).length;

  const inlineDocs: unknown[] = (role.Properties?.Policies ?? []).map((p: any) => p.PolicyDocument);
  const managedIds = new Set<string>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::IAM::Policy' && refersToRole(r.Properties?.Roles)) inlineDocs.push(r.Properties.PolicyDocument);
    if (r.Type === 'AWS::IAM::ManagedPolicy' && refersToRole(r.Properties?.Roles)) managedIds.add(id);
  }
  const arns: unknown[] = role.Properties?.ManagedPolicyArns ?? [];
  let awsManaged = 0;
  for (const arn of arns) {
    const ref = (arn as any)?.Ref;
    if (typeof ref === 'string' && resources[ref]?.Type === 'AWS::IAM::ManagedPolicy') managedIds.add(ref);
    else awsManaged++;
  }
  const inlineAggregate = inlineDocs.reduce<number>((sum, doc) => sum + size(doc), 0);
  const managedPolicySizes = [...managedIds].map((id) => size(resources[id].Properties.PolicyDocument));
  return {
    logicalId: roleLogicalId,
    inlineAggregate,
    inlinePolicies: inlineDocs.length,
    managedPolicySizes,
    managedAttached: managedIds.size + awsManaged,
    estimatedTokens: resolver.estimated,
  };
}

/** Every role of the template, with its sizes. */
export function allRoleSizes(template: any): RolePolicySizes[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]: [string, any]) => r.Type === 'AWS::IAM::Role')
    .map(([id]) => rolePolicySizes(template, id));
}

/** The logical id of the one role whose id starts with `prefix`. */
export function findRole(template: any, prefix: string): string {
  const ids = Object.entries(template.Resources ?? {})
    .filter(([id, r]: [string, any]) => r.Type === 'AWS::IAM::Role' && id.startsWith(prefix))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one role with logical id ${prefix}*, found ${ids.length}`);
  return ids[0];
}

export function withinLimits(role: RolePolicySizes): boolean {
  return role.inlineAggregate <= IAM_LIMITS.inlineAggregate
    && role.managedPolicySizes.every((s) => s <= IAM_LIMITS.managedPolicy)
    && role.managedAttached <= IAM_LIMITS.managedPerRole;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': STACK_NAME,
  'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK_NAME}/00000000-0000-0000-0000-000000000000`,
};

/** Replaces CloudFormation intrinsics by estimated values; counts what it estimated. */
class TokenEstimator {
  public estimated = 0;
  constructor(private readonly resources: Record<string, any>) {}

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    const v = value as Record<string, any>;
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.intrinsic(keys[0], v[keys[0]]);
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(v[k])]));
  }

  private intrinsic(name: string, arg: any): string {
    switch (name) {
      case 'Ref':
        if (PSEUDO[arg]) return PSEUDO[arg];
        this.estimated++;
        return this.refValue(arg);
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        this.estimated++;
        return attribute === 'Arn' ? this.arnOf(id) : this.physicalName(id);
      }
      case 'Fn::Join':
        return (arg[1] as unknown[]).map((p) => String(this.resolve(p))).join(arg[0]);
      case 'Fn::Sub': {
        const text: string = Array.isArray(arg) ? arg[0] : arg;
        return text.replace(/\$\{([^}]+)\}/g, (_m, ref: string) => this.intrinsic(
          ref.includes('.') ? 'Fn::GetAtt' : 'Ref', ref.includes('.') ? ref.split('.') : ref));
      }
      default:
        throw new Error(`cannot estimate ${name} in a policy document`);
    }
  }

  /** A CloudFormation-generated name at its longest (64 characters). */
  private physicalName(logicalId: string): string {
    const suffix = '-ABCDEFGHIJKLM';
    return `${STACK_NAME}-${logicalId}`.slice(0, 64 - suffix.length) + suffix;
  }

  private refValue(logicalId: string): string {
    const type = this.resources[logicalId]?.Type;
    // These types return their ARN from Ref.
    return ['AWS::StepFunctions::StateMachine', 'AWS::IAM::ManagedPolicy', 'AWS::SNS::Topic'].includes(type)
      ? this.arnOf(logicalId) : this.physicalName(logicalId);
  }

  private arnOf(logicalId: string): string {
    const name = this.physicalName(logicalId);
    const type: string = this.resources[logicalId]?.Type ?? 'unknown';
    switch (type) {
      case 'AWS::Logs::LogGroup': return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`;
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
      case 'AWS::IAM::Role': return `arn:aws:iam::${ACCOUNT}:role/${name}`;
      case 'AWS::IAM::ManagedPolicy': return `arn:aws:iam::${ACCOUNT}:policy/${name}`;
      case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
      default: {
        const service = type.split('::')[1]?.toLowerCase() ?? 'unknown';
        return `arn:aws:${service}:${REGION}:${ACCOUNT}:${name}`;
      }
    }
  }
}
