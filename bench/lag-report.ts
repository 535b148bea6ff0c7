/**
 * The detection-lag tables and targets: lag, DescribeRecord calls, Lambda invocations,
 * GB-seconds and Step Functions state transitions per resource, by record length, ours next to
 * the baseline; rows in virtual time or modelled are marked so.
 */
import type { WaiterSettings } from '../test/e2e/framework-harness';
import { LagRun } from './lag-virtual';
import { SectionResult, Stats, Table, Target, fmt, stats, target } from './report';
import { Variant } from './stacks';

export type Mode = 'measured' | 'virtual' | 'modelled';

export interface LagSample {
  readonly variant: Variant;
  readonly durationMs: number;
  readonly mode: Mode;
  readonly run: LagRun;
}

interface Memory { readonly handler: Record<string, number>; readonly framework: number }

export interface LagMeta {
  readonly waiter: Record<Variant, WaiterSettings>;
  readonly memory: Record<Variant, Memory>;
  readonly isCompleteTimeoutMs: number;
}

const TARGET_LAG_MS = 500;
const TARGET_LAG_60S_MS = 2_000;
const TARGET_RATIO = 10;
const TARGET_READS_PER_SECOND = 2;
const TARGET_INVOCATIONS_PER_30S = 1;
const FIRST_MINUTE_MS = 60_000;

/** The most DescribeRecord calls in any window of one second. */
export function peakPerSecond(at: readonly number[]): number {
  const sorted = [...at].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1_000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/** Invocations that start after the first minute of the record, per 30 s of waiting after it; undefined for a wait shorter than 30 s past it. */
export function invocationsPer30sAfterFirstMinute(run: LagRun, durationMs: number): number | undefined {
  const waitEnd = durationMs + run.lagMs;
  if (waitEnd - FIRST_MINUTE_MS < 30_000) return undefined;
  const late = run.invocations.filter((i) => i.start >= FIRST_MINUTE_MS).length;
  return late / ((waitEnd - FIRST_MINUTE_MS) / 30_000);
}

/** GB-seconds as billed: memory × duration rounded up to 1 ms; with `framework`, plus the framework function that waits on each handler. */
function gbSeconds(run: LagRun, memory: Memory, framework: boolean): number {
  return run.invocations.reduce((sum, i) => sum
    + (((memory.handler[i.handler] ?? 128) + (framework ? memory.framework : 0)) / 1024) * (Math.ceil(i.end - i.start) / 1000), 0);
}

function metrics(sample: LagSample, memory: Memory) {
  const { run } = sample;
  return {
    lagMs: run.lagMs,
    describeRecordCalls: run.describeRecordCalls,
    peakReadsPerSecond: peakPerSecond(run.describeRecordAt),
    invocations: run.invocations.length,
    afterFirstMinutePer30s: invocationsPer30sAfterFirstMinute(run, sample.durationMs),
    gbSeconds: gbSeconds(run, memory, false),
    gbSecondsWithFramework: gbSeconds(run, memory, true),
    // Each isComplete attempt is one state of the waiter entered (retries are billed as transitions).
    stateTransitions: run.invocations.filter((i) => i.handler === 'isComplete').length,
  };
}

type Metrics = ReturnType<typeof metrics>;
const spread = (values: readonly number[], unit: (v: number) => string) => fmt.spread(stats(values), unit);
const MODE_LABEL: Record<Mode, string> = { measured: 'measured', virtual: 'virtual time', modelled: 'modelled' };

export function summarizeLag(samples: readonly LagSample[], virtualCheck: readonly LagSample[], meta: LagMeta): Omit<SectionResult, 'wallMs'> {
  const durations = [...new Set(samples.map((s) => s.durationMs))].sort((a, b) => a - b);
  const groups = durations.flatMap((durationMs) => (['ours', 'baseline'] as const).map((variant) => {
    const of = samples.filter((s) => s.durationMs === durationMs && s.variant === variant);
    return { durationMs, variant, mode: of[0].mode, metrics: of.map((s) => metrics(s, meta.memory[variant])) };
  }));
  const lagOf = (durationMs: number, variant: Variant): Stats => stats(groups.find((g) => g.durationMs === durationMs && g.variant === variant)!
    .metrics.map((m) => m.lagMs));
  const col = (ms: Metrics[], key: keyof Metrics, unit: (v: number) => string) => {
    const values = ms.map((m) => m[key]).filter((v): v is number => v !== undefined);
    return values.length === 0 ? '–' : spread(values, unit);
  };
  const label = (ms: number) => (ms >= 60_000 ? `${ms / 60_000} min` : fmt.seconds(ms));
  const table: Table = {
    title: 'Detection lag (record SUCCEEDED → SUCCESS response) and what the wait costs, per resource, median (min–max)',
    header: ['record', 'variant', 'how', 'runs', 'lag', 'DescribeRecord calls', 'peak DescribeRecord/s', 'Lambda invocations',
      'invocations per 30 s after 1st min', 'GB-s (handlers)', 'GB-s (+ framework)', 'Step Functions transitions', 'baseline lag / ours'],
    rows: groups.map((g) => [
      label(g.durationMs), g.variant, MODE_LABEL[g.mode], String(g.metrics.length), col(g.metrics, 'lagMs', fmt.seconds),
      col(g.metrics, 'describeRecordCalls', fmt.int), col(g.metrics, 'peakReadsPerSecond', fmt.int), col(g.metrics, 'invocations', fmt.int),
      col(g.metrics, 'afterFirstMinutePer30s', (v) => v.toFixed(2)), col(g.metrics, 'gbSeconds', (v) => v.toFixed(3)),
      col(g.metrics, 'gbSecondsWithFramework', (v) => v.toFixed(3)), col(g.metrics, 'stateTransitions', fmt.int),
      g.variant === 'baseline' ? fmt.ratio(lagOf(g.durationMs, 'baseline').median / lagOf(g.durationMs, 'ours').median) : '',
    ]),
    notes: [
      `measured: the built asset in aws-cdk-lib's provider-framework runtime with the synthesized waiter (${JSON.stringify(meta.waiter.ours)}); `
        + `baseline: a default cr.Provider (${JSON.stringify(meta.waiter.baseline)}) whose isComplete calls DescribeRecord once per invocation `
        + '(bench/baseline/handler.ts). Both against the local fake, every run of a variant at once, each on its own product, in warm '
        + 'Lambda containers (after a warm-up): a cold container\'s first call also sets up its SDK client, which moves the baseline\'s '
        + 'first poll late enough to catch a 0.3 s record, as a slow invocation on AWS would.',
      'The baseline polls on a fixed 5 s grid from its first isComplete, so its lag is anywhere from 0 to 5 s depending on where the '
        + 'record ends on that grid (10 s and 60 s are whole multiples of it: its polls land just after or just before the end).',
      'The 10-minute rows are NOT measured in real time. Ours: virtual time, the handler\'s own code (lambda/deploy/handlers.ts) with a virtual '
        + `clock, driven by a loop with the synthesized waiter settings and the template's isComplete timeout (${meta.isCompleteTimeoutMs / 1000} s), `
        + 'against a stub answering from a record timeline; calls and invocations take no virtual time. Baseline: modelled from the waiter '
        + 'settings (one DescribeRecord per invocation on the 5 s grid), each invocation lasting as long as the measured baseline ones.',
      'Lambda invocations are onEvent plus every isComplete. GB-s: the template\'s MemorySize × each invocation\'s duration, rounded up '
        + `to 1 ms (ours ${meta.memory.ours.handler.isComplete} MB, baseline ${meta.memory.baseline.handler.isComplete} MB); "+ framework" adds the `
        + `framework's own onEvent and isComplete functions (${meta.memory.ours.framework} MB), each waiting on the handler it invokes.`,
      'Step Functions transitions: isComplete task attempts of the waiter state machine, retries included (Standard workflows bill each).',
      'Ours polls inside an isComplete invocation until 10 s before its timeout, so after the first minute it is invoked about every two '
        + 'minutes; the baseline is invoked every 5 s. Ours pays for it in GB-s: its isComplete is billed while it sleeps between polls.',
    ],
  };
  const checkRows = [...new Set(virtualCheck.map((s) => s.durationMs))].map((durationMs) => {
    const measured = groups.find((g) => g.durationMs === durationMs && g.variant === 'ours')!.metrics;
    const virtual = virtualCheck.filter((s) => s.durationMs === durationMs).map((s) => metrics(s, meta.memory.ours));
    return [label(durationMs), col(measured, 'lagMs', fmt.seconds), col(virtual, 'lagMs', fmt.seconds),
      col(measured, 'describeRecordCalls', fmt.int), col(virtual, 'describeRecordCalls', fmt.int)];
  });
  const check: Table = {
    title: 'The virtual-time driver against the measurement (ours), median (min–max)',
    header: ['record', 'lag, measured', 'lag, virtual time', 'DescribeRecord calls, measured', 'DescribeRecord calls, virtual time'],
    rows: checkRows,
    notes: [`Virtual time: ${virtualCheck.length / checkRows.length} seeds per record length. The measured lag also holds the framework's `
      + 'and the fake\'s own time (a few ms to tens of ms on this machine), which virtual time leaves out.'],
  };
  return { name: 'detectionLag', tables: [table, check], targets: targetsOf(groups, lagOf), data: { meta, groups, samples, virtualCheck } };
}

function targetsOf(groups: ReadonlyArray<{ durationMs: number; variant: Variant; metrics: Metrics[] }>, lagOf: (d: number, v: Variant) => Stats): Target[] {
  const ours = groups.filter((g) => g.variant === 'ours');
  const lagTarget = (id: string, durationMs: number, goal: number) => target(id, `median lag, ${fmt.seconds(durationMs)} record (ours)`,
    fmt.seconds(lagOf(durationMs, 'ours').median), `≤ ${fmt.seconds(goal)}`, lagOf(durationMs, 'ours').median <= goal);
  const peak = Math.max(...ours.flatMap((g) => g.metrics.map((m) => m.peakReadsPerSecond)));
  const late = ours.flatMap((g) => g.metrics.map((m) => m.afterFirstMinutePer30s)).filter((v): v is number => v !== undefined);
  const ratio = lagOf(300, 'baseline').median / lagOf(300, 'ours').median;
  return [
    lagTarget('T1', 300, TARGET_LAG_MS),
    lagTarget('L1', 3_000, TARGET_LAG_MS),
    lagTarget('L2', 10_000, TARGET_LAG_MS),
    lagTarget('L3', 60_000, TARGET_LAG_60S_MS),
    target('T2', 'lag ratio baseline / ours, 0.3 s record', fmt.ratio(ratio), `≥ ${TARGET_RATIO}×`, ratio >= TARGET_RATIO),
    target('L4', 'most DescribeRecord calls in any second, per resource (ours, every run)', String(peak), `≤ ${TARGET_READS_PER_SECOND}`,
      peak <= TARGET_READS_PER_SECOND),
    target('L5', 'Lambda invocations per 30 s of waiting after the first minute (ours, 10 min record, virtual time)',
      late.length === 0 ? 'no run waited long enough' : Math.max(...late).toFixed(2), `≤ ${TARGET_INVOCATIONS_PER_30S}`,
      late.length > 0 && Math.max(...late) <= TARGET_INVOCATIONS_PER_30S),
  ];
}
