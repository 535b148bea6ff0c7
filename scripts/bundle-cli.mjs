// Bundles the `plan` command (cli/index.ts) and everything it imports, the handler's read path and
// the AWS SDK clients included, into assets/cli/index.js: the package gets no runtime dependency.
// Readable and with its THIRD-PARTY-NOTICES, as the handler's bundle (scripts/bundle-lambda.mjs says why).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeThirdPartyNotices } from './third-party-notices.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'assets', 'cli');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: ['cli/index.ts'],
  outfile: join(outdir, 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22', // engines: Node.js 22 or newer
  mainFields: ['module', 'main'],
  // As the handler's bundle: the SDK's lazy import() of Node built-ins loads as require(), in jest's VM too.
  supported: { 'dynamic-import': false },
  define: { CLI_VERSION: JSON.stringify(version) },
  minify: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
writeThirdPartyNotices(metafile, root, join(outdir, 'THIRD-PARTY-NOTICES'));
