/**
 * Many at once, throttled: N = 100 and N = 400 declarations created in parallel against the fake
 * throttling the account at 5 requests per second per operation (burst 10), ours and the
 * baseline (a default cr.Provider, bench/baseline/) side by side in the same run.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OperationName } from '../test/e2e/service-catalog-fake/model-constraints';
import { bundleBaseline, baselineTemplate } from './baseline/provider';
import { ASSET } from './cold-start';
import { Bundle } from './container-pool';
import { SectionResult, Table, Target, fmt, stats, target } from './report';
import { ScaleRun, runScale } from './scale-run';
import { Variant, buildAndSynthesize, launchRoleArn, productId } from './stacks';
import { runWritePaths } from './write-paths';

export const THROTTLE = { ratePerSecond: 5, burst: 10 } as const;
const SIZES = [100, 400];
const TARGET_N = 400;
const TARGET_WALL_RATIO = 1.5;
const TARGET_CALLS_PER_INSTANCE = 5;
/** A record that completes at once: the calls counted are the design's, not the record's length. */
const RECORD_DURATION_MS = 0;

const OPS: readonly OperationName[] = [
  'DescribeProvisionedProduct', 'SearchProvisionedProducts', 'UpdateProvisionedProductProperties', 'DescribeRecord',
];
const SHORT: Record<string, string> = {
  DescribeProvisionedProduct: 'DescribePP', SearchProvisionedProducts: 'Search', UpdateProvisionedProductProperties: 'Update', DescribeRecord: 'DescribeRecord',
};

/**
 * Calls of each operation the design needs per instance for a record that completes at once:
 * ours reads the launch role and the owner, writes once and reads the record once; the baseline
 * writes and reads the record.
 */
export const CALLS_NEEDED: Record<Variant, Partial<Record<OperationName, number>>> = {
  ours: { DescribeProvisionedProduct: 1, SearchProvisionedProducts: 1, UpdateProvisionedProductProperties: 1, DescribeRecord: 1 },
  baseline: { UpdateProvisionedProductProperties: 1, DescribeRecord: 1 },
};

/** One bucket per operation, all refilling at once: the slowest operation sets the bound. */
export function lowerBoundMs(variant: Variant, n: number, throttle = THROTTLE): number {
  return Math.max(0, ...Object.values(CALLS_NEEDED[variant]).map((calls) => ((calls * n - throttle.burst) / throttle.ratePerSecond) * 1000));
}

export async function runManyAtOnce(): Promise<Omit<SectionResult, 'wallMs'> & { runs: ScaleRun[] }> {
  const baselineDir = mkdtempSync(path.join(os.tmpdir(), 'ppp-bench-baseline-'));
  try {
    await bundleBaseline(baselineDir);
    const bundles: Record<Variant, Bundle> = { ours: new Bundle(ASSET), baseline: new Bundle(path.join(baselineDir, 'index.js')) };
    const runs: ScaleRun[] = [];
    for (const n of SIZES) {
      for (const variant of ['ours', 'baseline'] as const) {
        const template = variant === 'ours'
          ? buildAndSynthesize({ variant, n, roles: 'shared' }).template
          : baselineTemplate(baselineDir, Array.from({ length: n }, (_, i) => ({ productId: productId(i) })), launchRoleArn(0));
        // Bounded: three times the lower bound, and at least a minute.
        const timeoutMs = Math.max(60_000, 3 * lowerBoundMs(variant, n));
        runs.push(await runScale({ variant, template, bundle: bundles[variant], throttle: THROTTLE, recordDurationMs: RECORD_DURATION_MS, timeoutMs }));
      }
    }
    return { ...summarize(runs), runs };
  } finally {
    rmSync(baselineDir, { recursive: true, force: true });
  }
}

const perInstance = (run: ScaleRun, op: OperationName) => run.byOperation[op].answered / run.n;
const callsPerInstance = (run: ScaleRun) => OPS.reduce((sum, op) => sum + perInstance(run, op), 0);
const ratio = (run: ScaleRun) => run.wallMs / lowerBoundMs(run.variant, run.n);

function summarize(runs: ScaleRun[]): Omit<SectionResult, 'wallMs'> {
  const label = (v: Variant) => (v === 'ours' ? 'ours' : 'baseline (default Provider)');
  const table: Table = {
    title: `Many at once: N declarations created in parallel, Service Catalog throttled at ${THROTTLE.ratePerSecond} requests/s per operation `
      + `(burst ${THROTTLE.burst}) for the account, records that complete at once`,
    header: ['variant', 'N', 'succeeded', 'failed', 'wall time', 'lower bound', 'wall / bound', 'calls per instance',
      ...OPS.map((op) => `${SHORT[op]} /inst.`), 'throttled answers', 'containers (onEvent, isComplete)', 'GB-s per instance'],
    rows: runs.map((r) => [
      label(r.variant), String(r.n), String(r.successes), String(r.failures), fmt.seconds(r.wallMs), fmt.seconds(lowerBoundMs(r.variant, r.n)),
      fmt.ratio(ratio(r)), callsPerInstance(r).toFixed(2), ...OPS.map((op) => perInstance(r, op).toFixed(2)),
      `${OPS.reduce((s, op) => s + r.byOperation[op].throttled, 0)} (${OPS.filter((op) => r.byOperation[op].throttled > 0)
        .map((op) => `${SHORT[op]} ${r.byOperation[op].throttled}`).join(', ')})`,
      `${r.pool.containers.onEvent ?? 0}, ${r.pool.containers.isComplete ?? 0}`, (r.gbSeconds / r.n).toFixed(2),
    ]),
    notes: [
      'Each Create goes through aws-cdk-lib\'s provider-framework runtime (the e2e harness) with its requests built from the synthesized '
        + 'template; every Lambda invocation runs in a container of a pool per function: an idle container is reused, a busy one means a '
        + 'new container with a fresh module instance of the bundle (its own SDK client and retry state), as on AWS.',
      'Calls are the calls the service answered (each took a token); throttled answers are counted apart. Wall time runs from the first '
        + 'request sent to the last response received.',
      `Lower bound: with one bucket per operation, for each operation (calls of it the design needs per instance × N − burst) / rate, `
        + 'the largest over the operations. Ours needs 1 DescribeProvisionedProduct, 1 SearchProvisionedProducts, 1 Update and 1 DescribeRecord '
        + 'per instance, the baseline 1 Update and 1 DescribeRecord: both bounds are (N − 10) / 5 s.',
      ...runs.filter((r) => r.variant === 'baseline' && r.failures > 0).map((r) => `Baseline, N=${r.n}: ${r.failures} failed, first reasons: `
        + `${r.failureReasons.slice(0, 2).map((reason) => JSON.stringify(reason.split('\n')[0])).join('; ')} (its client keeps the SDK's `
        + 'default of 3 attempts); CloudFormation would roll the stack back. Its wall time ends with its last answer, success or failure, '
        + 'so its ratio to the bound says nothing of a throughput.'),
      'GB-seconds: MemorySize from the template × each invocation\'s duration (rounded up to 1 ms), onEvent and isComplete together; an '
        + 'onEvent waiting its turn in the throttled queue is billed while it waits.',
    ],
  };
  const at = (variant: Variant, n: number) => runs.find((r) => r.variant === variant && r.n === n)!;
  const ours = at('ours', TARGET_N);
  const worstCalls = Math.max(...runs.filter((r) => r.variant === 'ours').map(callsPerInstance));
  const targets: Target[] = [
    target('S1', `every resource succeeds, ours, N=${TARGET_N} under throttling`, `${ours.successes}/${ours.n}`, `${ours.n}/${ours.n}`,
      ours.successes === ours.n),
    target('S2', `wall time / lower bound, ours, N=${TARGET_N}`, `${fmt.ratio(ratio(ours))} (${fmt.seconds(ours.wallMs)} / `
      + `${fmt.seconds(lowerBoundMs('ours', TARGET_N))})`, `≤ ${TARGET_WALL_RATIO}×`, ratio(ours) <= TARGET_WALL_RATIO),
    target('S3', 'Service Catalog calls per instance, record completing at once (ours, worst N)', worstCalls.toFixed(2),
      `≤ ${TARGET_CALLS_PER_INSTANCE}`, worstCalls <= TARGET_CALLS_PER_INSTANCE),
  ];
  const data = runs.map((r) => ({
    ...r, lowerBoundMs: lowerBoundMs(r.variant, r.n), wallRatio: ratio(r), callsPerInstance: callsPerInstance(r),
    answeredWrites: stats(r.answeredWritesPerInstance), records: stats(r.recordsPerInstance),
  }));
  return { name: 'manyAtOnce', tables: [table], targets, data };
}

/** The section of `npm run bench`: many at once, then reads only while waiting (which counts the writes of those runs too). */
export async function runScaleSection(): Promise<Omit<SectionResult, 'wallMs'>> {
  const many = await runManyAtOnce();
  const writes = await runWritePaths(many.runs);
  return {
    name: 'manyAtOnce', tables: [...many.tables, ...writes.tables], targets: [...many.targets, ...writes.targets],
    data: { manyAtOnce: many.data, readsOnlyWhileWaiting: writes.data },
  };
}
