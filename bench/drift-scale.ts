/**
 * Drift correction at the documented maximum: 1,000 declarations in one stack's schedule, 10% of
 * them drifted, against the Service Catalog fake throttling every operation with a token bucket
 * (5 requests per second per operation, the whole account sharing it). The synthesized rule's
 * targets are delivered as EventBridge would (input transformer filled from one scheduled event),
 * each to its own copy of the built asset, all at once: one Lambda container per target, with the
 * 15-minute function's remaining time. Real time, real SDK (adaptive retries), real HTTP.
 *
 * Settings (environment): BENCH_DRIFT_PRODUCTS (sizes, "480"; "1000,480" for the schedule's payload bound), BENCH_DRIFT_RATE (5 per second),
 * BENCH_DRIFT_RECORD_MS (20000, how long a record takes to succeed).
 */
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../lib';
import { HANDLER_ASSET_DIR } from '../lib/provider/handler-functions';
import { CloudFormationFake } from '../test/e2e/cloudformation-fake/server';
import { EventBridgeFake, FakeTarget } from '../test/e2e/eventbridge-fake/server';
import { ServiceCatalogFake } from '../test/e2e/service-catalog-fake';
import { SsmFake } from '../test/e2e/ssm-fake/server';
import { deliver, ruleTargetInputs, scheduledEvent } from '../test/eventbridge-delivery';
import { SectionResult, Table, Target, fmt, target } from './report';
import { ACCOUNT, OWNER, REGION, STACK_NAME, launchRoleArn, productId, synthesize, tempOutdir } from './stacks';

/**
 * 1,000: the schedule's payload bound the README documents. A stack cannot deploy that many
 * (CloudFormation's 500 resources per stack, the provider's own included), so the run is synthesized
 * with aws-cdk-lib's resource check lifted; 480 is about the most one deployable stack holds.
 */
// 480 by default, the most one deployable stack holds, so that the whole bench stays under 10 minutes; 1,000 with BENCH_DRIFT_PRODUCTS=1000.
const SIZES = (process.env.BENCH_DRIFT_PRODUCTS ?? '480').split(',').map(Number);
const NO_RESOURCE_LIMIT = { '@aws-cdk/core:stackResourceLimit': 0 };
const RATE_PER_SECOND = Number(process.env.BENCH_DRIFT_RATE ?? 5);
const RECORD_MS = Number(process.env.BENCH_DRIFT_RECORD_MS ?? 20_000);
const DRIFTED_SHARE = 0.1;
const FUNCTION_TIMEOUT_MS = 15 * 60_000;
/** "Well within" the function's 15 minutes. */
const TARGET_RUN_MS = 10 * 60_000;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;

interface Invocation {
  readonly products: number;
  readonly ms: number;
  readonly summary: Record<string, number>;
}

/** The delivered input of each target of the rule a stack of `n` opted-in declarations synthesizes. */
function deliveredInputs(n: number): { inputs: Record<string, unknown>[]; resources: number; rule: { name: string; targets: FakeTarget[] } } {
  const { outdir, cleanup } = tempOutdir();
  try {
    const app = new App({ outdir, context: NO_RESOURCE_LIMIT });
    const stack = new Stack(app, STACK_NAME, { env: { account: ACCOUNT, region: REGION } });
    const launchRole = iam.Role.fromRoleArn(stack, 'Launch', launchRoleArn(1));
    const schedule = events.Schedule.rate(Duration.hours(1));
    for (let i = 0; i < n; i++) {
      new ProvisionedProductProperties(stack, `P${i}`, { provisionedProductId: productId(i), owner: OWNER, launchRole, driftCorrection: schedule });
    }
    const template = Template.fromJSON(synthesize(app, stack).template);
    const event = scheduledEvent();
    const resources = Object.keys(template.toJSON().Resources).length;
    // The rule as deployed, for the drift function's check that its input is the stack's (lambda/drift/stack-guard.ts).
    const [rule] = Object.values(template.findResources('AWS::Events::Rule')) as any[];
    const targets: FakeTarget[] = rule.Properties.Targets.map((t: any) => ({ Id: t.Id, Arn: 'arn:aws:lambda:::function:drift', InputTransformer: t.InputTransformer }));
    return { inputs: ruleTargetInputs(template).map((input) => deliver(input, event)), resources, rule: { name: rule.Properties.Name, targets } };
  } finally {
    cleanup();
  }
}

/** A copy of the asset of its own, as a Lambda container has: its own SDK client and retry state. */
function freshAsset(): { correctDrift: (event: unknown, context: unknown) => Promise<Record<string, number>> } {
  const file = require.resolve(path.join(HANDLER_ASSET_DIR, 'index.js'));
  delete require.cache[file];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file);
}

export async function runDriftScale(): Promise<Omit<SectionResult, 'wallMs'>> {
  const results: Array<Omit<SectionResult, 'wallMs'>> = [];
  for (const size of SIZES) {
    results.push(await runOnce(size));
  }
  return {
    name: 'drift at scale', tables: results.flatMap((r) => r.tables), targets: results.flatMap((r) => r.targets),
    data: results.map((r) => r.data),
  };
}

async function runOnce(products: number): Promise<Omit<SectionResult, 'wallMs'>> {
  const { inputs, resources, rule } = deliveredInputs(products);
  const fake = await ServiceCatalogFake.start({ accountId: ACCOUNT, region: REGION, defaultRecordDurationMs: RECORD_MS });
  const eventBridge = await EventBridgeFake.start();
  const cloudFormation = await CloudFormationFake.start();
  const ssm = await SsmFake.start({ accountId: ACCOUNT, region: REGION });
  const stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK_NAME}/bench`;
  eventBridge.putRule(rule.name, rule.targets);
  cloudFormation.statuses.set(stackId, 'UPDATE_COMPLETE');
  const saved = { ...process.env };
  const savedLog = console.log;
  const lines: string[] = [];
  try {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SERVICE_CATALOG: fake.endpoint, AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.endpoint, AWS_ENDPOINT_URL_SSM: ssm.endpoint, DRIFT_RULE_NAME: rule.name, DRIFT_STACK_ID: stackId, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'local-fake-secret',
    });
    for (let i = 0; i < products; i++) {
      const drifted = i % Math.round(1 / DRIFTED_SHARE) === 0;
      fake.addProduct({ id: productId(i), ownerArn: drifted ? ALICE : OWNER, launchRoleArn: launchRoleArn(1) });
    }
    fake.configure({ throttle: { ratePerSecond: RATE_PER_SECOND, burst: RATE_PER_SECOND } });
    console.log = (line: unknown) => { if (typeof line === 'string' && line.includes('"message":"drift check"')) lines.push(line); };
    const started = Date.now();
    const invocations: Invocation[] = await Promise.all(inputs.map(async (input) => {
      const asset = freshAsset();
      const invokedAt = Date.now();
      const context = { getRemainingTimeInMillis: () => FUNCTION_TIMEOUT_MS - (Date.now() - invokedAt) };
      const summary = await asset.correctDrift(input, context);
      return { products: (input.products as unknown[]).length, ms: Date.now() - invokedAt, summary };
    }));
    const runMs = Date.now() - started;
    return report(products, resources, fake, invocations, runMs, lines);
  } finally {
    console.log = savedLog;
    process.env = saved;
    await fake.stop();
    await eventBridge.stop();
    await cloudFormation.stop();
    await ssm.stop();
  }
}

function report(products: number, resources: number, fake: ServiceCatalogFake, invocations: Invocation[], runMs: number, lines: string[]): Omit<SectionResult, 'wallMs'> {
  const total = (key: string) => invocations.reduce((sum, i) => sum + (i.summary[key] ?? 0), 0);
  const actions: Record<string, number> = {};
  for (const line of lines) {
    const action = JSON.parse(line).action as string;
    actions[action] = (actions[action] ?? 0) + 1;
  }
  const operations = [...new Set(fake.calls.map((c) => c.operation))].sort();
  const calls = operations.map((operation) => {
    const of = fake.calls.filter((c) => c.operation === operation);
    return { operation, calls: of.length, throttled: of.filter((c) => c.outcome === 'throttled').length };
  });
  const records = fake.records().filter((r) => r.type === 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES').length;
  const table: Table = {
    title: `Drift correction at scale: ${products} declarations, ${DRIFTED_SHARE * 100}% drifted, throttled at ${RATE_PER_SECOND} requests/s per operation`,
    header: ['measure', 'value'],
    rows: [
      ['rule targets (concurrent invocations)', String(invocations.length)],
      ['products per invocation', invocations.map((i) => i.products).join(', ')],
      ['run time (slowest invocation)', fmt.seconds(runMs)],
      ['invocation times', invocations.map((i) => fmt.seconds(i.ms)).join(', ')],
      ['reported', `${lines.length} lines: ${Object.entries(actions).map(([a, n]) => `${a} ${n}`).join(', ')}`],
      ['summary (all invocations)', ['checked', 'drifted', 'corrected', 'failed', 'pending'].map((k) => `${k} ${total(k)}`).join(', ')],
      ['records created', String(records)],
      ...calls.map((c) => [`${c.operation} calls`, `${c.calls} (${c.throttled} throttled)`]),
    ],
    notes: [
      ...(resources > 500 ? [`${resources} resources: more than CloudFormation's 500 per stack, so not deployable as one stack; synthesized with aws-cdk-lib's check lifted, to run the schedule's payload bound.`] : []),
      `Each record takes ${RECORD_MS / 1000} s to succeed (the fake's duration; Service Catalog publishes none).`,
      'Every product declares an owner and a launch role: one SearchProvisionedProducts and one DescribeProvisionedProduct each.',
      'Throttled calls are retried by the SDK (adaptive mode, 8 attempts); the fake\'s buckets are shared by all invocations, as an account\'s quota is.',
    ],
  };
  const targets: Target[] = [
    target(`T-drift-${products}`, `${products} declarations, ${DRIFTED_SHARE * 100}% drifted, ${RATE_PER_SECOND}/s per operation: ends well within 15 min, all corrected`,
      `${fmt.seconds(runMs)}; ${total('corrected')} corrected, ${total('pending')} pending, ${total('failed')} failed`, `≤ ${TARGET_RUN_MS / 60_000} min, 0 pending, 0 failed`,
      runMs <= TARGET_RUN_MS && total('pending') === 0 && total('failed') === 0 && lines.length === products),
  ];
  return { name: 'drift at scale', tables: [table], targets, data: { products, ratePerSecond: RATE_PER_SECOND, recordMs: RECORD_MS, runMs, invocations, actions, calls, records } };
}
