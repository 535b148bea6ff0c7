/**
 * What `npm pack` ships: the compiled library, its types, the bundled Lambda with the notices of
 * every third-party package in it, the jsii assembly, README and LICENSE; no sources, tests,
 * scripts or build leftovers, and no script that runs when a consumer installs it. Needs
 * `npm run build` first (`npm test` runs it).
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import * as os from 'os';
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

  test.each(['package.json', 'README.md', 'LICENSE', '.jsii', 'assets/handler/index.js', 'assets/handler/THIRD-PARTY-NOTICES',
    'assets/cli/index.js', 'assets/cli/THIRD-PARTY-NOTICES', 'bin/cdk-provisioned-product-properties.js', 'lib/index.js', 'lib/index.d.ts'])(
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
    const allowed = /^(package\.json|README\.md|LICENSE|\.jsii|assets\/(handler|cli)\/(index\.js|THIRD-PARTY-NOTICES)|bin\/cdk-provisioned-product-properties\.js|lib\/.+\.(js|d\.ts))$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f))).toEqual([]);
    expect(files.filter((f) => /^(test|lambda|cli|scripts|bench|cdk\.out|dist|node_modules|coverage)\//.test(f))).toEqual([]);
  });

  test('stays small: under 3.5 MB unpacked (the two bundles are readable, not minified: about 0.9 MB each)', () => {
    expect(pack.unpackedSize).toBeLessThan(3.5 * 1024 * 1024);
  });
});

describe('the packed package.json', () => {
  let manifest: { scripts?: Record<string, string> };
  beforeAll(() => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'ppp-packed-manifest-'));
    try {
      const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work],
        { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }))[0];
      manifest = JSON.parse(execFileSync('tar', ['-xzOf', path.join(work, packed.filename), 'package/package.json'], { encoding: 'utf8' }));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('has no script that npm runs when a consumer installs the package, from the registry, a tarball, a folder or git', () => {
    // npm runs preinstall, install and postinstall for every source, and prepare for a tarball, a folder or git.
    const installTime = ['preinstall', 'install', 'postinstall', 'prepare'];
    expect(Object.keys(manifest.scripts ?? {}).filter((name) => installTime.includes(name))).toEqual([]);
  });
});

describe.each([
  ['the Lambda bundle', 'handler', '// lambda/index.ts', 'node_modules/@aws-sdk/client-service-catalog'],
  ['the plan command\'s bundle', 'cli', '// cli/index.ts', 'node_modules/@aws-sdk/client-cloudformation'],
])('%s can be audited', (_name, folder, entry, sdk) => {
  const bundle = () => readFileSync(path.join(root, 'assets', folder, 'index.js'), 'utf8');
  const notices = () => readFileSync(path.join(root, 'assets', folder, 'THIRD-PARTY-NOTICES'), 'utf8');
  /** The package directories the bundle says it took code from (esbuild's `// node_modules/...` lines). */
  const bundledPackages = () => [...new Set([...bundle().matchAll(/^\/\/ ((?:\S*\/)?node_modules\/(?:@[^/\s]+\/)?[^/\s]+)\//gm)].map((m) => m[1]))];

  test('it is readable: not minified, each part under the path of the file it came from', () => {
    const lines = bundle().split('\n');
    // A minified bundle is a few lines of 100,000 characters or more.
    expect(lines.length).toBeGreaterThan(10_000);
    expect(lines.filter((line) => line.length > 2000)).toEqual([]);
    expect(lines).toContain(entry);
    expect(bundledPackages()).toEqual(expect.arrayContaining([sdk]));
  });

  test('THIRD-PARTY-NOTICES names every bundled package with its version and holds its license text', () => {
    // Compared with white space collapsed: one section stands for texts that differ only in it.
    const collapse = (t: string) => t.replace(/\s+/g, ' ').trim();
    const text = notices();
    const collapsed = collapse(text);
    const packages = bundledPackages();
    expect(packages.length).toBeGreaterThan(5);
    for (const dir of packages) {
      const manifest = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
      expect(text).toContain(`${manifest.name}@${manifest.version} (${manifest.license})`);
      const licenseFile = readdirSync(path.join(root, dir)).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
      // A few SDK packages declare Apache-2.0 and ship no LICENSE file: the standard text stands in.
      const license = licenseFile ? readFileSync(path.join(root, dir, licenseFile), 'utf8') : readFileSync(path.join(root, 'LICENSE'), 'utf8');
      expect(collapsed).toContain(collapse(license));
    }
    expect(text).toContain('Apache License');
    expect(text).toContain('MIT License');
  });
});
