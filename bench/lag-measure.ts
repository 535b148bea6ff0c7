/**
 * The measured part of detection lag: every run of a variant at once, each on its own product, in
 * aws-cdk-lib's provider-framework runtime (the e2e harness) against the local fake. One harness
 * per process (it patches the framework's module state), so the baseline is measured in a child
 * process at the same time as ours: `node -r ts-node/register/transpile-only bench/lag-measure.ts
 * <baseline asset dir>` prints its samples as one JSON line.
 */
import * as path from 'path';
import { TemplateJson, TemplateResource, createRequest, resourceOf } from '../test/e2e/cloudformation-request';
import { FrameworkHarness } from '../test/e2e/framework-harness';
import { ServiceCatalogFake } from '../test/e2e/service-catalog-fake';
import { baselineTemplate } from './baseline/provider';
import { Bundle, ContainerPool } from './container-pool';
import { withServiceCatalogEnv } from './fake-env';
import { LagRun } from './lag-virtual';
import { LagSample } from './lag-report';
import { ACCOUNT, Variant, launchRoleArn } from './stacks';

/** Record lengths measured in real time, and how many runs of each (all at once). */
export const MEASURED = [
  { durationMs: 300, runs: 5 },
  { durationMs: 3_000, runs: 7 },
  { durationMs: 10_000, runs: 5 },
  { durationMs: 60_000, runs: 5 },
];

export interface LagSetup {
  readonly template: TemplateJson;
  readonly resource: TemplateResource;
}

/** The baseline's template: one resource whose product id is the ProductId parameter. */
export function baselineSetup(assetDir: string): LagSetup {
  const template = baselineTemplate(assetDir, [{ parameter: true }], launchRoleArn(1));
  return { template, resource: resourceOf(template) };
}

/** Every measured run of a variant, at once, each on its own product whose records take the run's length. */
export async function measure(variant: Variant, setup: LagSetup, bundle: Bundle): Promise<LagSample[]> {
  const fake = await ServiceCatalogFake.start({ accountId: ACCOUNT });
  return withServiceCatalogEnv(fake, async () => {
    const pool = new ContainerPool(bundle);
    const harness = new FrameworkHarness({ template: setup.template, handlers: pool.handlers('onEvent', 'isComplete') });
    const plan = MEASURED.flatMap(({ durationMs, runs }) => Array.from({ length: runs }, (_, i) => ({ durationMs, id: `pp-lag-${variant}-${durationMs}ms-${i + 1}` })));
    for (const { id, durationMs } of plan) fake.addProduct({ id, recordDurationMs: durationMs });
    // Warm-up: as many Creates at once as the measured runs, so that each run finds a warm container
    // (a cold one spends its first call setting up the SDK, which shifts where its polls fall).
    const warmUp = plan.map((_, i) => `pp-lag-${variant}-warm-${i + 1}`);
    for (const id of warmUp) fake.addProduct({ id, recordDurationMs: 0 });
    await Promise.all(warmUp.map((id) => harness.send(createRequest(setup.resource, { resolve: { ProductId: id } }), 60_000)));
    await harness.settle(10_000);
    const longest = Math.max(...plan.map((p) => p.durationMs));
    const responses = await Promise.all(plan.map(({ id }) => harness.send(createRequest(setup.resource, { resolve: { ProductId: id } }), longest + 60_000)));
    await harness.stop();
    return plan.map(({ id, durationMs }, i) => {
      const response = responses[i];
      if (response.Status !== 'SUCCESS') throw new Error(`${variant} Create of ${id} answered ${response.Status}: ${response.Reason}`);
      const writes = fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id);
      const record = writes.length === 1 ? fake.record(writes[0].recordId!) : undefined;
      if (!record || record.status !== 'SUCCEEDED' || record.terminalAt === undefined) {
        throw new Error(`${variant} Create of ${id}: expected one SUCCEEDED record, found ${writes.length} writes (${record?.status})`);
      }
      const run: LagRun = {
        lagMs: response.at - record.terminalAt,
        describeRecordCalls: fake.callsOf('DescribeRecord').filter((c) => c.input.Id === record.recordId).length,
        describeRecordAt: fake.callsOf('DescribeRecord').filter((c) => c.input.Id === record.recordId).map((c) => c.at - record.createdAt),
        invocations: harness.invocationsOf(response.RequestId).map((inv) => ({ handler: inv.handler, start: inv.start - record.createdAt, end: inv.end - record.createdAt })),
      };
      return { variant, durationMs, mode: 'measured' as const, run };
    });
  }).finally(() => fake.stop());
}

if (require.main === module) {
  const write = process.stdout.write.bind(process.stdout);
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = () => undefined;
  process.removeAllListeners('warning');
  process.on('warning', () => undefined);
  const assetDir = process.argv[2];
  const setup = baselineSetup(assetDir);
  const bundle = new Bundle(path.join(assetDir, 'index.js'));
  // The parent starts its own runs on this line, so that this process's start-up does not compete with them.
  write('ready\n');
  measure('baseline', setup, bundle).then(
    (samples) => { write(`${JSON.stringify(samples)}\n`); process.exit(0); },
    (error) => { process.stderr.write(`lag-measure failed: ${error instanceof Error ? error.stack : String(error)}\n`); process.exit(1); },
  );
}
