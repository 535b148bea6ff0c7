/**
 * The marginal synth cost per instance: the slope between N = 100 and N = 400, ours and
 * AwsCustomResource, with aws-cdk-lib's template validation on and off. Measured in the synth-time
 * processes after their N = 200 sample: N = 100 and 400 twice, the first pair discarded (the
 * second synthesis of a process still pays one-time costs of the validation engine), each after a
 * garbage collection. The fixed costs of a synthesis cancel out in the difference.
 */
import { Table, Target, fmt, stats, target } from './report';
import type { Mode, Pair, Run } from './synth-time';
import { Variant } from './stacks';

export const SLOPE_SIZES = [100, 400, 100, 400];
const FROM = 100;
const TO = 400;
const TARGET_RATIO = 0.5;

/** ms per instance from the last (100, 400) pair of a process, wall clock and CPU. */
function slopeOf(run: Run): { wall: number; cpu: number } {
  const last = (n: number) => [...run].reverse().find((s) => s.n === n)!;
  const from = last(FROM);
  const to = last(TO);
  return { wall: (to.totalMs - from.totalMs) / (TO - FROM), cpu: (to.cpuMs - from.cpuMs) / (TO - FROM) };
}

export function slopeSection(pairs: Record<Mode, Pair[]>): { table: Table; targets: Target[]; data: unknown } {
  const modes: Mode[] = ['default', 'no-validation'];
  const summary = modes.map((mode) => {
    const per = (v: Variant) => pairs[mode].map((p) => slopeOf(p[v]));
    const ours = per('ours');
    const baseline = per('baseline');
    return {
      mode,
      ours: { wall: stats(ours.map((s) => s.wall)), cpu: stats(ours.map((s) => s.cpu)) },
      baseline: { wall: stats(baseline.map((s) => s.wall)), cpu: stats(baseline.map((s) => s.cpu)) },
      ratio: { wall: stats(ours.map((s, i) => s.wall / baseline[i].wall)), cpu: stats(ours.map((s, i) => s.cpu / baseline[i].cpu)) },
    };
  });
  const label = (mode: Mode) => (mode === 'default' ? 'aws-cdk-lib defaults' : 'CDK_VALIDATION=false');
  const msPer = (v: number) => `${v.toFixed(2)} ms`;
  const table: Table = {
    title: `Marginal synth cost per instance, slope from N = ${FROM} to N = ${TO} (distinct launch roles), median (min–max) of ${pairs.default.length} process pairs`,
    header: ['setting', 'ours', 'AwsCustomResource', 'ours / AwsCustomResource', 'ours, CPU', 'AwsCustomResource, CPU', 'ratio, CPU'],
    rows: summary.map((s) => [label(s.mode), fmt.spread(s.ours.wall, msPer), fmt.spread(s.baseline.wall, msPer), fmt.spread(s.ratio.wall, fmt.ratio),
      fmt.spread(s.ours.cpu, msPer), fmt.spread(s.baseline.cpu, msPer), fmt.spread(s.ratio.cpu, fmt.ratio)]),
    notes: [
      '(constructs + synth at N = 400 − the same at N = 100) / 300, in the same process, after its N = 200 sample and a discarded '
        + 'pair; the ratio is taken per pair of processes. AwsCustomResource at N = 400 has 802 resources: it is synthesized with the '
        + '500-resource check lifted, only to measure it.',
    ],
  };
  const targets = summary.map((s, i) => target(`Y${i + 1}`, `synth slope per instance ours / AwsCustomResource, ${label(s.mode)}`,
    `${fmt.ratio(s.ratio.wall.median)} (${msPer(s.ours.wall.median)} / ${msPer(s.baseline.wall.median)})`, `≤ ${TARGET_RATIO}×`,
    s.ratio.wall.median <= TARGET_RATIO));
  return { table, targets, data: summary };
}
