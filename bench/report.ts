/**
 * The bench's report: summary statistics, targets (PASS/MISS), plain-text tables, and the JSON
 * written to bench/report.json. Targets live here and in the report, never in unit tests: the
 * bench reports, it does not gate.
 */
import * as os from 'os';

/** Median, min and max of a set of measurements. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) {
    throw new Error('no measurements to summarize');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/** One target, judged against a measured figure of this run. */
export interface Target {
  readonly id: string;
  readonly description: string;
  /** The measured figure, as printed. */
  readonly measured: string;
  /** The target, as printed (e.g. "≤ 0.50 s"). */
  readonly threshold: string;
  readonly pass: boolean;
}

export function target(id: string, description: string, measured: string, threshold: string, pass: boolean): Target {
  return { id, description, measured, threshold, pass };
}

/** A titled table of rows, printed with aligned columns. */
export interface Table {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  /** Lines printed under the table: how a figure was measured or estimated. */
  readonly notes?: readonly string[];
}

export function formatTable(table: Table): string {
  const widths = table.header.map((h, i) => Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const out = [`### ${table.title}`, '', line(table.header), rule, ...table.rows.map(line)];
  if (table.notes?.length) {
    out.push('', ...table.notes.map((n) => `- ${n}`));
  }
  return out.join('\n');
}

export function targetsTable(targets: readonly Target[]): Table {
  return {
    title: 'Targets',
    header: ['target', 'measured', 'goal', 'result'],
    rows: targets.map((t) => [`${t.id}: ${t.description}`, t.measured, t.threshold, t.pass ? 'PASS' : 'MISS']),
  };
}

/** The outcome of one measurement section. */
export interface SectionResult {
  readonly name: string;
  readonly tables: readonly Table[];
  readonly targets: readonly Target[];
  /** Everything measured, for the JSON report. */
  readonly data: unknown;
  readonly wallMs: number;
}

export interface SectionError {
  readonly name: string;
  readonly error: string;
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** Formatting helpers shared by the sections. */
export const fmt = {
  seconds: (ms: number) => `${(ms / 1000).toFixed(2)} s`,
  ms: (ms: number) => `${ms.toFixed(1)} ms`,
  kb: (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`,
  int: (n: number) => String(Math.round(n)),
  ratio: (r: number) => `${r.toFixed(2)}×`,
  /** "median (min–max)". */
  spread: (s: Stats, unit: (v: number) => string) => (s.n === 1 ? unit(s.median) : `${unit(s.median)} (${unit(s.min)}–${unit(s.max)})`),
};
