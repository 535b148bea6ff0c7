/**
 * Cold start of the Lambda bundle: its bytes, the module init time (require of
 * assets/handler/index.js, timed with process.hrtime inside fresh `node` processes) and the peak
 * RSS of such a process after the require, next to a bare `node` process for reference.
 */
import { spawnSync } from 'child_process';
import { statSync } from 'fs';
import * as path from 'path';
import { SectionResult, fmt, stats, target } from './report';

export const ASSET = path.join(__dirname, '..', 'assets', 'handler', 'index.js');
const RUNS = 7;
const MAX_BUNDLE_BYTES = 600_000;
const MAX_INIT_MS = 150;

interface Sample {
  readonly initMs: number;
  /** process.resourceUsage().maxRSS after the require, in KiB. */
  readonly maxRssKb: number;
}

/** A child that requires `file` (or nothing) between two hrtime readings. */
function sample(file: string | undefined): Sample {
  const script = [
    'const start = process.hrtime.bigint();',
    file ? `require(${JSON.stringify(file)});` : '',
    'const initMs = Number(process.hrtime.bigint() - start) / 1e6;',
    'process.stdout.write(JSON.stringify({ initMs, maxRssKb: process.resourceUsage().maxRSS }));',
  ].join('\n');
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH } });
  if (child.status !== 0) {
    throw new Error(`cold-start child failed with status ${child.status}: ${(child.stderr ?? '').slice(-2000)}`);
  }
  return JSON.parse(child.stdout);
}

export function runColdStart(): Omit<SectionResult, 'wallMs'> {
  const bundleBytes = statSync(ASSET).size;
  sample(ASSET); // warm-up: file-system cache, discarded
  const withBundle: Sample[] = [];
  const bare: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    withBundle.push(sample(ASSET));
    bare.push(sample(undefined));
  }
  const init = stats(withBundle.map((s) => s.initMs));
  const rss = stats(withBundle.map((s) => s.maxRssKb * 1024));
  const bareRss = stats(bare.map((s) => s.maxRssKb * 1024));
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return {
    name: 'coldStart',
    tables: [{
      title: `Cold start of assets/handler/index.js (${RUNS} fresh node processes, median (min–max))`,
      header: ['bundle', 'module init (require)', 'peak RSS after require', 'peak RSS, bare node (reference)'],
      rows: [[fmt.kb(bundleBytes), fmt.spread(init, fmt.ms), fmt.spread(rss, mb), fmt.spread(bareRss, mb)]],
      notes: [`Local ${process.version} on this machine, not Lambda's arm64 runtime; KB = 1,000 bytes; RSS is process.resourceUsage().maxRSS (KiB) in MiB.`],
    }],
    targets: [
      target('T8', 'bundle size (SDK pinned, inside)', fmt.kb(bundleBytes), `≤ ${fmt.kb(MAX_BUNDLE_BYTES)}`, bundleBytes <= MAX_BUNDLE_BYTES),
      target('T9', 'module init time, median', fmt.ms(init.median), `≤ ${MAX_INIT_MS} ms`, init.median <= MAX_INIT_MS),
    ],
    data: { bundleBytes, runs: RUNS, withBundle, bare, init, peakRssBytes: rss, bareNodePeakRssBytes: bareRss },
  };
}
