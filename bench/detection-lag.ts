/**
 * Detection lag: the built asset inside aws-cdk-lib's provider-framework runtime (the e2e
 * FrameworkHarness) with the waiter settings of the synthesized state machine, against the local
 * Service Catalog fake, next to a baseline Provider with the framework's defaults (5 s interval,
 * 30 min) whose isComplete polls DescribeRecord once per invocation. One harness at a time: the
 * harness patches the framework's module state.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, CustomResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { build } from 'esbuild';
import { ProvisionedProductProperties } from '../lib';
import { HANDLER_ASSET_DIR } from '../lib/provider';
import { TemplateResource, createRequest, resourceOf } from '../test/e2e/cloudformation-request';
import { FrameworkHarness } from '../test/e2e/framework-harness';
import { ServiceCatalogFake } from '../test/e2e/service-catalog-fake';
import { SectionResult, Stats, Table, Target, fmt, stats, target } from './report';
import { ACCOUNT, OWNER, REGION, STACK_NAME, Variant, launchRoleArn, synthesize, tempOutdir } from './stacks';

/** Record durations of the fake, and how many runs of each. */
const PLAN = [
  { durationMs: 300, runs: 5 },
  { durationMs: 3_000, runs: 3 },
  { durationMs: 10_000, runs: 2 },
];
const TARGET_LAG_MS = 500;
const TARGET_RATIO = 10;
const TARGET_DESCRIBE_CALLS_10S = 12;

export interface Run {
  readonly variant: Variant;
  readonly recordDurationMs: number;
  readonly provisionedProductId: string;
  /** SUCCESS response (CapturedResponse.at) minus the record's SUCCEEDED time (terminalAt). */
  readonly lagMs: number;
  readonly describeRecordCalls: number;
  /** Lambda invocations for the request: onEvent plus every isComplete. */
  readonly invocations: number;
  readonly isCompleteInvocations: number;
}

/** Synthesizes a stack and returns its template. */
function templateOf(populate: (stack: Stack) => void): Template {
  const { outdir, cleanup } = tempOutdir();
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, STACK_NAME, { env: { account: ACCOUNT, region: REGION } });
    populate(stack);
    return Template.fromJSON(synthesize(app, stack).template);
  } finally {
    cleanup();
  }
}

interface Setup {
  readonly template: Template;
  readonly resource: TemplateResource;
}

/** The product id is a template parameter, as a user would deploy one template for many products. */
const productIdParameter = (stack: Stack) => new CfnParameter(stack, 'ProductId').valueAsString;

/** Our construct's template: requests are built from its custom resource, as CloudFormation would. */
function oursSetup(): Setup {
  const template = templateOf((stack) => new ProvisionedProductProperties(stack, 'Ownership', {
    provisionedProductId: productIdParameter(stack), owner: OWNER, launchRole: iam.Role.fromRoleArn(stack, 'Launch', launchRoleArn(1)),
  }));
  return { template, resource: resourceOf(template) };
}

/**
 * Bundles bench/baseline/handler.ts (SDK inside) into a default Provider, with a custom resource
 * declaring the same product, owner and launch role as ours.
 */
async function baselineSetup(assetDir: string): Promise<Setup> {
  await build({
    entryPoints: [path.join(__dirname, 'baseline', 'handler.ts')],
    outfile: path.join(assetDir, 'index.js'),
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
    supported: { 'dynamic-import': false },
  });
  const template = templateOf((stack) => {
    const fn = (name: string) => new lambda.Function(stack, name, {
      runtime: lambda.Runtime.NODEJS_22_X, handler: `index.${name}`, code: lambda.Code.fromAsset(assetDir),
    });
    const provider = new cr.Provider(stack, 'P', { onEventHandler: fn('onEvent'), isCompleteHandler: fn('isComplete') });
    new CustomResource(stack, 'Ownership', {
      serviceToken: provider.serviceToken, resourceType: 'Custom::ProvisionedProductProperties',
      properties: { ProvisionedProductId: productIdParameter(stack), Owner: OWNER, LaunchRoleArn: launchRoleArn(1) },
    });
  });
  return { template, resource: resourceOf(template) };
}

async function measureRuns(variant: Variant, harness: FrameworkHarness, fake: ServiceCatalogFake, resource: TemplateResource)
  : Promise<Run[]> {
  const runs: Run[] = [];
  for (const { durationMs, runs: count } of PLAN) {
    for (let i = 1; i <= count; i++) {
      const id = `pp-lag-${variant}-${durationMs}ms-${i}`;
      fake.addProduct({ id, recordDurationMs: durationMs });
      const response = await harness.send(createRequest(resource, { resolve: { ProductId: id } }));
      if (response.Status !== 'SUCCESS') {
        throw new Error(`${variant} Create of ${id} answered ${response.Status}: ${response.Reason}`);
      }
      const writes = fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id);
      const record = writes.length === 1 ? fake.record(writes[0].recordId!) : undefined;
      if (!record || record.status !== 'SUCCEEDED' || record.terminalAt === undefined) {
        throw new Error(`${variant} Create of ${id}: expected one SUCCEEDED record, found ${writes.length} writes (${record?.status})`);
      }
      runs.push({
        variant, recordDurationMs: durationMs, provisionedProductId: id,
        lagMs: response.at - record.terminalAt,
        describeRecordCalls: fake.callsOf('DescribeRecord').filter((c) => c.input.Id === record.recordId).length,
        invocations: harness.invocationsOf(response.RequestId).length,
        isCompleteInvocations: harness.invocationsOf(response.RequestId, 'isComplete').length,
      });
    }
  }
  await harness.settle();
  await harness.stop();
  return runs;
}

export async function runDetectionLag(): Promise<Omit<SectionResult, 'wallMs'>> {
  const baselineDir = mkdtempSync(path.join(os.tmpdir(), 'ppp-bench-baseline-'));
  const fake = await ServiceCatalogFake.start({ accountId: ACCOUNT });
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_SERVICE_CATALOG: fake.endpoint, AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'local-fake-secret',
  };
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let runs: Run[];
  try {
    const ours = oursSetup();
    const baseline = await baselineSetup(baselineDir);
    const oursHarness = new FrameworkHarness({ assetDir: HANDLER_ASSET_DIR, template: ours.template });
    runs = await measureRuns('ours', oursHarness, fake, ours.resource);
    // Constructed only now: it re-patches the framework runtime that ours used.
    const baselineHarness = new FrameworkHarness({ assetDir: baselineDir, template: baseline.template });
    runs.push(...await measureRuns('baseline', baselineHarness, fake, baseline.resource));
    return summarize(runs, oursHarness.waiter, baselineHarness.waiter);
  } finally {
    await fake.stop();
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(baselineDir, { recursive: true, force: true });
  }
}

function summarize(runs: Run[], oursWaiter: unknown, baselineWaiter: unknown): Omit<SectionResult, 'wallMs'> {
  const of = (variant: Variant, durationMs: number) => runs.filter((r) => r.variant === variant && r.recordDurationMs === durationMs);
  const summary = PLAN.map(({ durationMs }) => {
    const per = (variant: Variant) => {
      const rs = of(variant, durationMs);
      return {
        runs: rs.length,
        lagMs: stats(rs.map((r) => r.lagMs)),
        describeRecordCalls: stats(rs.map((r) => r.describeRecordCalls)),
        invocations: stats(rs.map((r) => r.invocations)),
      };
    };
    const ours = per('ours');
    const baseline = per('baseline');
    return { durationMs, ours, baseline, lagRatio: baseline.lagMs.median / ours.lagMs.median };
  });
  const count = (s: Stats) => fmt.spread(s, fmt.int);
  const rows: string[][] = summary.flatMap((s) => [
    [fmt.seconds(s.durationMs), 'ours', String(s.ours.runs), fmt.spread(s.ours.lagMs, fmt.seconds), count(s.ours.describeRecordCalls), count(s.ours.invocations), ''],
    [fmt.seconds(s.durationMs), 'baseline', String(s.baseline.runs), fmt.spread(s.baseline.lagMs, fmt.seconds),
      count(s.baseline.describeRecordCalls), count(s.baseline.invocations), fmt.ratio(s.lagRatio)],
  ]);
  const table: Table = {
    title: 'Detection lag (record SUCCEEDED → SUCCESS response), median (min–max)',
    header: ['record', 'variant', 'runs', 'lag', 'DescribeRecord calls', 'Lambda invocations', 'baseline lag / ours'],
    rows,
    notes: [
      'ours: the built asset in aws-cdk-lib\'s provider-framework runtime with the synthesized waiter '
        + `(${JSON.stringify(oursWaiter)}); baseline: a default cr.Provider (${JSON.stringify(baselineWaiter)}) whose `
        + 'isComplete calls DescribeRecord once per invocation (bench/baseline/handler.ts). Both against the local fake.',
      'Lambda invocations are onEvent plus every isComplete for the request.',
      'The baseline polls on a fixed 5 s grid from its first isComplete, so its lag is anywhere from 0 to 5 s depending on where '
        + 'the record ends on that grid. The fake\'s 10 s record is exactly two intervals: whether the third poll lands just after '
        + 'or just before SUCCEEDED decides between about 0 s and about 5 s.',
    ],
  };
  const fast = summary.find((s) => s.durationMs === 300)!;
  const slow = summary.find((s) => s.durationMs === 10_000)!;
  const targets: Target[] = [
    target('T1', 'median lag, 0.3 s record (ours)', fmt.seconds(fast.ours.lagMs.median), `≤ ${fmt.seconds(TARGET_LAG_MS)}`,
      fast.ours.lagMs.median <= TARGET_LAG_MS),
    target('T2', 'lag ratio baseline / ours, 0.3 s record', fmt.ratio(fast.lagRatio), `≥ ${TARGET_RATIO}×`, fast.lagRatio >= TARGET_RATIO),
    target('T3', 'DescribeRecord calls, 10 s record (ours, worst run)', fmt.int(slow.ours.describeRecordCalls.max),
      `≤ ${TARGET_DESCRIBE_CALLS_10S}`, slow.ours.describeRecordCalls.max <= TARGET_DESCRIBE_CALLS_10S),
  ];
  return { name: 'detectionLag', tables: [table], targets, data: { plan: PLAN, waiter: { ours: oursWaiter, baseline: baselineWaiter }, summary, runs } };
}
