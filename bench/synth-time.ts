/**
 * Synth time at N = 200 (the largest N at which the AwsCustomResource baseline still
 * synthesizes): ours and the baseline in paired fresh processes, alternating which goes first,
 * after one discarded warm-up process. Each process times building the constructs plus
 * `app.synth()` inside itself (see synth-worker.ts): first N = 200, the sample of the ratio, then
 * N = 100 and 400 twice, whose last pair gives the marginal cost per instance (synth-slope.ts).
 *
 * Two settings: aws-cdk-lib's defaults (what users pay; the target), and with its built-in
 * CloudFormation template validation off (CDK_VALIDATION=false), which shows the part of synth
 * time the constructs themselves cause: the validator's start-up is a fixed cost in both.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { SectionResult, Stats, Table, fmt, stats, target } from './report';
import { SLOPE_SIZES, slopeSection } from './synth-slope';
import { Variant } from './stacks';

const N = 200;
const PAIRS = 4;
const TARGET_RATIO = 0.8;

export type Mode = 'default' | 'no-validation';

export interface Sample {
  readonly variant: Variant;
  readonly n: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  /** CPU time (user + system, all threads) of constructs + synth. */
  readonly cpuMs: number;
}

/** One process: its samples in the order synthesized. */
export type Run = readonly Sample[];
export interface Pair { readonly ours: Run; readonly baseline: Run }

function runWorker(variant: Variant, mode: Mode, sizes: readonly number[]): Run {
  const worker = path.join(__dirname, 'synth-worker.ts');
  const env: NodeJS.ProcessEnv = { ...process.env, TS_NODE_PREFER_TS_EXTS: 'true' };
  if (mode === 'no-validation') env.CDK_VALIDATION = 'false';
  else delete env.CDK_VALIDATION;
  const child = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', worker, variant, sizes.join(',')], {
    cwd: path.join(__dirname, '..'), env, encoding: 'utf8', timeout: 180_000,
  });
  const lines = (child.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
  if (child.status !== 0 || lines.length !== sizes.length) {
    throw new Error(`synth worker (${variant}, N=${sizes.join(',')}, ${mode}) failed with status ${child.status}`
      + `${child.error ? ` (${child.error.message})` : ''}: ${(child.stderr ?? '').slice(-2000)}${(child.stdout ?? '').slice(-1000)}`);
  }
  return lines.map((l) => JSON.parse(l) as Sample);
}

function runPairs(mode: Mode): Pair[] {
  const pairs: Pair[] = [];
  const sizes = [N, ...SLOPE_SIZES];
  for (let i = 0; i < PAIRS; i++) {
    const first: Variant = i % 2 === 0 ? 'ours' : 'baseline';
    const a = runWorker(first, mode, sizes);
    const b = runWorker(first === 'ours' ? 'baseline' : 'ours', mode, sizes);
    pairs.push(first === 'ours' ? { ours: a, baseline: b } : { ours: b, baseline: a });
  }
  return pairs;
}

type Key = 'constructMs' | 'synthMs' | 'totalMs' | 'cpuMs';

function summarize(mode: Mode, pairs: Pair[]) {
  // The first sample of each process is the fresh-process one at N = 200.
  const ratio = (key: Key) => stats(pairs.map((p) => p.ours[0][key] / p.baseline[0][key]));
  const of = (v: Variant, key: Key): Stats => stats(pairs.map((p) => p[v][0][key]));
  const row = (label: string, v: Variant) => [label, fmt.spread(of(v, 'constructMs'), fmt.ms), fmt.spread(of(v, 'synthMs'), fmt.ms),
    fmt.spread(of(v, 'totalMs'), fmt.ms), fmt.spread(of(v, 'cpuMs'), fmt.ms)];
  const label = mode === 'default' ? 'aws-cdk-lib defaults' : 'CDK_VALIDATION=false';
  const ratios = { total: ratio('totalMs'), cpu: ratio('cpuMs') };
  const rows = [
    row(`ours, ${label}`, 'ours'),
    row(`AwsCustomResource, ${label}`, 'baseline'),
    [`ratio ours / baseline, ${label}`, '', '', fmt.spread(ratios.total, fmt.ratio), fmt.spread(ratios.cpu, fmt.ratio)],
  ];
  return { mode, pairs, ratios, rows };
}

export function runSynthTime(): Omit<SectionResult, 'wallMs'> {
  runWorker('baseline', 'default', [1]); // warm-up: file-system cache, discarded
  const byDefault = summarize('default', runPairs('default'));
  const noValidation = summarize('no-validation', runPairs('no-validation'));
  const median = (pairs: Pair[], v: Variant, key: Key) => stats(pairs.map((p) => p[v][0][key])).median;
  const validationCost = (v: Variant, key: Key) => median(byDefault.pairs, v, key) - median(noValidation.pairs, v, key);
  const table: Table = {
    title: `Synth time, N = ${N} (distinct launch roles), ${PAIRS} alternating pairs of fresh processes per setting, median (min–max)`,
    header: ['variant', 'constructs', 'app.synth()', 'constructs + synth', 'same, CPU time'],
    rows: [...byDefault.rows, ...noValidation.rows],
    notes: [
      'The target is the median of the per-pair ratios of "constructs + synth" (wall clock, timed inside each process) with '
        + 'aws-cdk-lib\'s defaults. Node start-up, ts-node and module loading are left out: a fixed cost common to both '
        + '(aws-cdk-lib loads its modules lazily, so what each variant uses is loaded inside the timed part). The sample is each '
        + 'process\'s first synthesis; the worker lifts the 500-resource check (it only counts) so the same process can go on to N = 400.',
      'aws-cdk-lib runs its built-in CloudFormation template validation (a WebAssembly engine) in app.synth() by default; '
        + `here it adds ${fmt.ms(validationCost('ours', 'totalMs'))} to ours and ${fmt.ms(validationCost('baseline', 'totalMs'))} `
        + `to the baseline in wall-clock time (${fmt.ms(validationCost('ours', 'cpuMs'))} and `
        + `${fmt.ms(validationCost('baseline', 'cpuMs'))} of CPU; differences of the medians). In a CPU profile most of it is the `
        + 'engine\'s start-up (initializeEngine), a fixed cost; the rest grows with the template. CDK_VALIDATION=false turns it '
        + 'off and shows what the constructs themselves cost.',
      'CPU time is user + system of all threads (GC included): less sensitive to other load on a shared machine.',
      'Ours includes staging its Lambda bundle into the cloud assembly; the baseline stages AwsCustomResource\'s handler.',
    ],
  };
  const ratio = byDefault.ratios.total.median;
  const slope = slopeSection({ default: byDefault.pairs, 'no-validation': noValidation.pairs });
  return {
    name: 'synthTime',
    tables: [table, slope.table],
    targets: [target('T7', `synth time ours / AwsCustomResource, N=${N}`, `${ratio.toFixed(3)}×`, `≤ ${TARGET_RATIO}×`, ratio <= TARGET_RATIO),
      ...slope.targets],
    data: { n: N, default: byDefault, noValidation, slope: slope.data, validationCostMs: {
      wall: { ours: validationCost('ours', 'totalMs'), baseline: validationCost('baseline', 'totalMs') },
      cpu: { ours: validationCost('ours', 'cpuMs'), baseline: validationCost('baseline', 'cpuMs') },
    } },
  };
}
