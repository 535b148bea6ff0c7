// Bundles what the package ships as JavaScript, each with everything it imports (the AWS SDK
// clients included, so their versions are the ones package-lock.json pins, and the package has no
// runtime dependency), into assets/:
//   assets/handler/index.js  the Lambda handler (lambda/index.ts)
//   assets/cli/index.js      the `plan` command (cli/index.ts), run by bin/cdk-provisioned-product-properties.js
// Deterministic output: the same sources give the same bytes, so the asset hash is identical across clones.
//
// Not minified, so that what runs is what a reviewer reads: the bundle names each file it took from
// node_modules (a `// node_modules/...` line), and CloudWatch stack traces show real function names.
// A source map was the other way to audit it, but is only readable with its sources inside (1.7 MB,
// beyond the package itself), and the deployed code would still be minified. The cost: 0.9 MB per
// bundle instead of 0.37 MB; a 185 KB Lambda zip instead of 112 KB. THIRD-PARTY-NOTICES next to
// each bundle holds the licenses of everything in it (scripts/third-party-notices.mjs).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeThirdPartyNotices } from './third-party-notices.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const BUNDLES = [
  { entry: 'lambda/index.ts', outdir: 'assets/handler' },
  { entry: 'cli/index.ts', outdir: 'assets/cli', define: { CLI_VERSION: JSON.stringify(version) } },
];

for (const { entry, outdir, define } of BUNDLES) {
  rmSync(join(root, outdir), { recursive: true, force: true });
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: join(root, outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // The oldest Node.js of the runtime policy (lib/provider/runtime-policy.ts) and of `engines`.
    target: 'node22',
    // ES module builds of the SDK tree-shake better than its CommonJS builds.
    mainFields: ['module', 'main'],
    // The SDK lazy-loads Node built-ins with import(); as require() they load the same on Lambda, and
    // also inside jest's VM, which runs the handler's bundle in the end-to-end tests.
    supported: { 'dynamic-import': false },
    define,
    minify: false,
    // The licenses are in THIRD-PARTY-NOTICES, whole, not as comments scattered through the code.
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  writeThirdPartyNotices(metafile, root, join(root, outdir, 'THIRD-PARTY-NOTICES'));
}
