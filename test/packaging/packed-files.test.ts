/**
 * What `npm pack` ships: the compiled library, its types, the bundled Lambda, the jsii assembly,
 * README and LICENSE; no sources, tests, scripts or build leftovers. Needs `npm run build` first
 * (`npm test` runs it).
 */
import { execFileSync } from 'child_process';
import { existsSync, readdirSync } from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

interface PackResult { files: { path: string; size: number }[]; unpackedSize: number }

function packedFiles(): PackResult {
  for (const built of ['lib/index.js', 'lib/index.d.ts', '.jsii', 'assets/handler/index.js', 'assets/cli/index.js']) {
    if (!existsSync(path.join(root, built))) {
      throw new Error(`${built} is missing: run "npm run build" before this test (npm test does).`);
    }
  }
  // --ignore-scripts: `prepare` would rebuild the package while other tests read its files.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return (JSON.parse(out) as PackResult[])[0];
}

/** lib/**\/*.ts sources, relative to the root, without .d.ts files. */
function librarySources(dir = 'lib'): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return librarySources(rel);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

describe('npm pack', () => {
  const pack = packedFiles();
  const files = pack.files.map((f) => f.path).sort();

  test.each(['package.json', 'README.md', 'LICENSE', '.jsii', 'assets/handler/index.js', 'assets/cli/index.js',
    'bin/cdk-provisioned-product-properties.js', 'lib/index.js', 'lib/index.d.ts'])(
    'ships %s', (file) => {
      expect(files).toContain(file);
    });

  test('ships the compiled JavaScript and declarations of every library source, lib/shared/ included', () => {
    const sources = librarySources();
    expect(sources).toContain('lib/shared/validation.ts');
    for (const source of sources) {
      expect(files).toContain(source.replace(/\.ts$/, '.js'));
      expect(files).toContain(source.replace(/\.ts$/, '.d.ts'));
    }
  });

  test('ships no stale compiled file whose source is gone', () => {
    const sources = new Set(librarySources().map((s) => s.replace(/\.ts$/, '')));
    const orphans = files.filter((f) => f.startsWith('lib/'))
      .filter((f) => !sources.has(f.replace(/\.(js|d\.ts)$/, '')));
    expect(orphans).toEqual([]);
  });

  test('ships nothing else: no TypeScript sources, tests, scripts, snapshots or build leftovers', () => {
    const allowed = /^(package\.json|README\.md|LICENSE|\.jsii|assets\/(handler|cli)\/index\.js|bin\/cdk-provisioned-product-properties\.js|lib\/.+\.(js|d\.ts))$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f))).toEqual([]);
    expect(files.filter((f) => /^(test|lambda|cli|scripts|bench|cdk\.out|dist|node_modules|coverage)\//.test(f))).toEqual([]);
  });

  test('stays small: under 2 MB unpacked', () => {
    expect(pack.unpackedSize).toBeLessThan(2 * 1024 * 1024);
  });
});
