/**
 * Synth-time samples, in a fresh process: `node --expose-gc -r ts-node/register/transpile-only
 * bench/synth-worker.ts <ours|baseline> <N>[,<N>...]`. Modules are loaded before the clock starts
 * (their transpilation by ts-node is a bench artifact). For each N in turn, after a garbage
 * collection, the clock covers building the N constructs (which stages the Lambda assets) and
 * `app.synth()` into a temp dir, in wall-clock and CPU time (user + system, all threads). The
 * resource-count check is lifted so that the baseline synthesizes past 500 resources (N = 400).
 * Prints one JSON line per N.
 */
import { buildApp, tempOutdir, Variant } from './stacks';

const NO_RESOURCE_LIMIT = { '@aws-cdk/core:stackResourceLimit': 0 };

function sample(variant: Variant, n: number) {
  (globalThis as { gc?: () => void }).gc?.();
  const { outdir, cleanup } = tempOutdir();
  try {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const { app } = buildApp({ variant, n, roles: 'distinct', outdir, context: NO_RESOURCE_LIMIT });
    const built = process.hrtime.bigint();
    app.synth();
    const done = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpuStart);
    const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
    return { variant, n, constructMs: ms(start, built), synthMs: ms(built, done), totalMs: ms(start, done), cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    cleanup();
  }
}

function main(): void {
  const [variant, sizesText] = process.argv.slice(2);
  const sizes = (sizesText ?? '').split(',').map(Number);
  if ((variant !== 'ours' && variant !== 'baseline') || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error(`usage: synth-worker.ts <ours|baseline> <N>[,<N>...], got ${process.argv.slice(2).join(' ')}`);
  }
  const write = process.stdout.write.bind(process.stdout);
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = () => undefined;
  for (const n of sizes) write(`${JSON.stringify(sample(variant, n))}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`synth worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
