// Fails when API.md is not what jsii-docgen generates from the current jsii assembly (.jsii).
// `npm test` compiles first (jsii), then runs this; `npm run docgen` rewrites API.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => {
  console.error(message);
  process.exit(1);
};

const assembly = join(root, '.jsii');
if (!existsSync(assembly)) fail('No .jsii assembly: run "npm run compile" (or "npm run build") first.');
const sources = (dir) => readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(dir, f));
const stale = sources(join(root, 'lib')).filter((f) => statSync(f).mtimeMs > statSync(assembly).mtimeMs);
if (stale.length) fail(`.jsii is older than ${stale.map((f) => f.slice(root.length + 1)).join(', ')}: run "npm run compile" first.`);

const dir = mkdtempSync(join(tmpdir(), 'api-md-'));
try {
  const output = join(dir, 'API.md');
  const docgen = spawnSync(process.execPath, [join(root, 'node_modules', 'jsii-docgen', 'bin', 'jsii-docgen'), '-o', output],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (docgen.status !== 0) fail(`jsii-docgen failed (exit code ${docgen.status ?? docgen.signal}).`);
  const expected = readFileSync(output, 'utf8');
  const committed = existsSync(join(root, 'API.md')) ? readFileSync(join(root, 'API.md'), 'utf8') : '';
  if (committed === expected) {
    console.log('API.md is up to date.');
  } else {
    const [a, b] = [committed.split('\n'), expected.split('\n')];
    let line = 0;
    while (line < a.length && a[line] === b[line]) line++;
    fail('API.md is out of date with the public API (lib/index.ts). Run "npm run docgen" and commit API.md.\n'
      + `First difference at line ${line + 1}:\n  committed: ${JSON.stringify(a[line] ?? '(end of file)')}\n`
      + `  generated: ${JSON.stringify(b[line] ?? '(end of file)')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
