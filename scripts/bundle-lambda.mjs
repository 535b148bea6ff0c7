// Bundles the Lambda handler (lambda/index.ts) and everything it imports, the Service Catalog
// SDK included (so its version is the one pinned by package-lock.json), into assets/handler.
// Deterministic output: the same sources give the same bytes, so the asset hash is identical
// across clones.
//
// Not minified, so that what runs in the Lambda is what a reviewer reads: the bundle names each
// file it took from node_modules (a `// node_modules/...` line), and CloudWatch stack traces show
// real function names. A source map was the other way to audit it, but is only readable with its
// sources inside (1.7 MB, beyond the package itself), and the deployed code would still be
// minified. The cost: 0.9 MB instead of 0.37 MB in the package; a 185 KB Lambda zip instead of 112 KB.
// THIRD-PARTY-NOTICES next to it holds the licenses of everything bundled (scripts/third-party-notices.mjs).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeThirdPartyNotices } from './third-party-notices.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'assets', 'handler');

rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: ['lambda/index.ts'],
  outfile: join(outdir, 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // The oldest runtime of the runtime policy (lib/provider/runtime-policy.ts).
  target: 'node22',
  // ES module builds of the SDK tree-shake better than its CommonJS builds.
  mainFields: ['module', 'main'],
  // The SDK lazy-loads Node built-ins with import(); as require() they load the same on Lambda, and
  // also inside jest's VM, which runs this bundle in the end-to-end tests.
  supported: { 'dynamic-import': false },
  minify: false,
  // The licenses are in THIRD-PARTY-NOTICES, whole, not as comments scattered through the code.
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
writeThirdPartyNotices(metafile, root, join(outdir, 'THIRD-PARTY-NOTICES'));
