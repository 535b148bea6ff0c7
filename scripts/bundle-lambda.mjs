// Bundles the Lambda handler (lambda/index.ts) and everything it imports, the Service Catalog
// SDK included (so its version is the one pinned by package-lock.json), into assets/handler.
// Deterministic output: the same sources give the same bytes, so the asset hash is identical
// across clones.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'assets', 'handler');

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['lambda/index.ts'],
  outfile: join(outdir, 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // The Lambda runs on Node.js 24; tests run the same file on Node.js 20.
  target: 'node20',
  // ES module builds of the SDK tree-shake better than its CommonJS builds.
  mainFields: ['module', 'main'],
  // The SDK lazy-loads Node built-ins with import(); as require() they load the same on Lambda, and
  // also inside jest's VM, which runs this bundle in the end-to-end tests.
  supported: { 'dynamic-import': false },
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
