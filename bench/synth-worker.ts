/**
 * One synth-time sample, in a fresh process: `node -r ts-node/register/transpile-only
 * bench/synth-worker.ts <ours|baseline> <N>`. Modules are loaded before the clock starts (their
 * transpilation by ts-node is a bench artifact); the clock covers building the N constructs
 * (which stages the Lambda assets) and `app.synth()` into a temp dir, in wall-clock and CPU time
 * (user + system, all threads). Prints one JSON line.
 */
import { buildApp, tempOutdir, Variant } from './stacks';

function main(): void {
  const [variant, nText] = process.argv.slice(2);
  const n = Number(nText);
  if ((variant !== 'ours' && variant !== 'baseline') || !Number.isInteger(n) || n < 1) {
    throw new Error(`usage: synth-worker.ts <ours|baseline> <N>, got ${process.argv.slice(2).join(' ')}`);
  }
  const write = process.stdout.write.bind(process.stdout);
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = () => undefined;
  const { outdir, cleanup } = tempOutdir();
  try {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const { app } = buildApp({ variant: variant as Variant, n, roles: 'distinct', outdir });
    const built = process.hrtime.bigint();
    app.synth();
    const done = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpuStart);
    const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
    write(`${JSON.stringify({
      variant, n, constructMs: ms(start, built), synthMs: ms(built, done), totalMs: ms(start, done), cpuMs: (cpu.user + cpu.system) / 1000,
    })}\n`);
  } finally {
    cleanup();
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`synth worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
