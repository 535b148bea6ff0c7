/**
 * `npm run bench`: measures this construct against what a user would otherwise write, side by
 * side in one run, prints the tables and PASS/MISS per target, and writes bench/report.json.
 * Exits 0 when targets are missed (it reports, it does not gate), non-zero when a measurement
 * itself fails.
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { runColdStart } from './cold-start';
import { runDetectionLag } from './detection-lag';
import { runDriftScale } from './drift-scale';
import { runPlanScale } from './plan-scale';
import {
  SectionError, SectionResult, Target, formatTable, machineInfo, targetsTable,
} from './report';
import { runScaleSection } from './scale';
import { runSynthTime } from './synth-time';
import { runTemplateCost } from './template-cost';

const REPORT = path.join(__dirname, 'report.json');
const out = (text = '') => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

/** The framework, the handler and aws-cdk-lib log a lot; the bench prints through `out` only. */
function silenceConsole(): () => void {
  const levels = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = levels.map((level) => console[level]);
  for (const level of levels) console[level] = () => undefined;
  return () => levels.forEach((level, i) => { console[level] = saved[i]; });
}

type Section = { readonly name: string; readonly run: () => Omit<SectionResult, 'wallMs'> | Promise<Omit<SectionResult, 'wallMs'>> };

/** The sections timed in real time in this process come first, before template cost leaves a large heap to collect. */
const SECTIONS: Section[] = [
  { name: 'cold start', run: runColdStart },
  { name: 'detection lag', run: runDetectionLag },
  { name: 'many at once', run: runScaleSection },
  { name: 'drift at scale', run: runDriftScale },
  { name: 'plan at scale', run: runPlanScale },
  { name: 'synth time', run: runSynthTime },
  { name: 'template cost', run: runTemplateCost },
];

/** `BENCH_ONLY="drift at scale"` (comma-separated section names) runs only those sections. */
const ONLY = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);

/** The SDK's warning that it will drop Node 20 is the handlers' output, not the bench's: silenced like their logs. */
function filterWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (!/NodeVersionSupportWarning/.test(`${warning.name} ${warning.message}`)) err(`${warning.name}: ${warning.message}`);
  });
}

async function main(): Promise<number> {
  filterWarnings();
  const started = Date.now();
  const machine = machineInfo();
  out(`cdk-provisioned-product-properties bench — ${new Date(started).toISOString()} — ${machine.cores} cores, `
    + `${machine.cpuModel}, ${machine.node}`);
  const results: SectionResult[] = [];
  const errors: SectionError[] = [];
  for (const section of SECTIONS.filter((s) => !ONLY || ONLY.includes(s.name))) {
    const sectionStart = Date.now();
    err(`… ${section.name}`);
    const restore = silenceConsole();
    try {
      const result = await section.run();
      results.push({ ...result, wallMs: Date.now() - sectionStart });
    } catch (error) {
      errors.push({ name: section.name, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    } finally {
      restore();
    }
  }
  for (const result of results) {
    for (const table of result.tables) out(`\n${formatTable(table)}`);
  }
  const targets: Target[] = results.flatMap((r) => r.targets);
  out(`\n${formatTable(targetsTable(targets))}`);
  const totalWallMs = Date.now() - started;
  out(`\n${targets.filter((t) => t.pass).length}/${targets.length} targets PASS; bench wall time ${(totalWallMs / 1000).toFixed(1)} s `
    + `(${results.map((r) => `${r.name} ${(r.wallMs / 1000).toFixed(1)} s`).join(', ')}). Report: ${path.relative(process.cwd(), REPORT)}`);
  for (const e of errors) err(`\nMEASUREMENT FAILED: ${e.name}\n${e.error}`);

  writeFileSync(REPORT, `${JSON.stringify({
    generatedAt: new Date(started).toISOString(), machine, totalWallMs, targets, errors,
    sections: Object.fromEntries(results.map((r) => [r.name, { wallMs: r.wallMs, targets: r.targets, tables: r.tables, data: r.data }])),
  }, null, 2)}\n`);
  return errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    err(`bench crashed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(2);
  },
);
