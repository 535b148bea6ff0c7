/**
 * A folder install either enforces or fails synth saying why (issue 18 §3). `npm install <folder>`
 * links the folder, so the library loads the folder's own aws-cdk-lib while the app loads its own:
 * two copies. Here the app's copy is this repository's aws-cdk-lib hard-linked into the app (a
 * distinct path, so Node.js loads it as a distinct module, at no disk cost). The app must fail with
 * the instruction; installed with --install-links, the same app enforces. Needs `npm run build`.
 */
import { execFileSync, spawnSync } from 'child_process';
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const PACKAGE = 'cdk-provisioned-product-properties';

const APP = `
const { App, Aspects, AspectPriority, Stack } = require('aws-cdk-lib');
const servicecatalog = require('aws-cdk-lib/aws-servicecatalog');
const { EnforceProvisionedProductProperties } = require('${PACKAGE}');

const app = new App();
const stack = new Stack(app, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });
new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Product', { productName: 'p', provisioningArtifactName: 'v1' });
Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: 'arn:aws:iam::123456789012:role/PlatformTeam' }),
  { priority: AspectPriority.MUTATING });
app.synth();
`;

jest.setTimeout(120_000);

let work: string;

beforeAll(() => {
  if (!existsSync(path.join(root, 'lib', 'index.js')) || !existsSync(path.join(root, 'assets', 'handler', 'index.js'))) {
    throw new Error('The package is not built: run "npm run build" before this test (npm test does).');
  }
  work = mkdtempSync(path.join(os.tmpdir(), 'ppp-folder-install-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A copy of `from` at `to` made of hard links (a copy where linking is not possible). */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory()) {
      linkTree(source, target);
    } else if (entry.isFile()) {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/** A new app with its own aws-cdk-lib, this repository installed with `npm install <folder> ...flags`; the app run. */
function appInstalledWith(name: string, flags: string[]) {
  const app = path.join(work, name);
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', private: true }));
  execFileSync('npm', ['install', root, ...flags, '--offline', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund',
    '--no-package-lock', '--no-save'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  linkTree(path.join(root, 'node_modules', 'aws-cdk-lib'), path.join(app, 'node_modules', 'aws-cdk-lib'));
  // Its dependencies that npm hoisted (the rest are bundled inside it), and one constructs, shared.
  const manifest = JSON.parse(readFileSync(path.join(root, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8'));
  const bundled = new Set<string>(manifest.bundleDependencies ?? manifest.bundledDependencies ?? []);
  for (const dependency of [...Object.keys(manifest.dependencies ?? {}).filter((d) => !bundled.has(d)), 'constructs']) {
    const target = path.join(app, 'node_modules', dependency);
    mkdirSync(path.dirname(target), { recursive: true });
    symlinkSync(path.join(root, 'node_modules', dependency), target, 'dir');
  }
  writeFileSync(path.join(app, 'app.js'), APP);
  const run = spawnSync(process.execPath, ['app.js'], {
    cwd: app, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: path.join(app, 'cdk.out') },
  });
  return { app, run };
}

test('npm install <folder> links it, loads a second aws-cdk-lib, and synth fails saying what to do', () => {
  const { app, run } = appInstalledWith('linked', []);
  expect(lstatSync(path.join(app, 'node_modules', PACKAGE)).isSymbolicLink()).toBe(true);
  if (!run.stderr.includes('ValidationError: ')) throw new Error(`expected the app to fail; stderr: ${run.stderr}`);
  expect(run.status).not.toBe(0);
  const firstLine = run.stderr.split('\n').find((line) => line.startsWith('ValidationError: '));
  expect(firstLine).toContain(`cdk-provisioned-product-properties loads aws-cdk-lib 2.183.0 at ${path.join(root, 'node_modules', 'aws-cdk-lib')}, `
    + "and the app uses another copy of aws-cdk-lib: the stack 'Consumer' is not an instance of the Stack class it loaded.");
  expect(firstLine).toContain('install it with "npm install --install-links <folder>"');
  expect(firstLine).toContain('"npm ls aws-cdk-lib"; "npm dedupe"');
  expect(existsSync(path.join(app, 'cdk.out', 'Consumer.template.json'))).toBe(false);
});

test('npm install --install-links <folder> installs a copy that loads the app\'s aws-cdk-lib, and enforces', () => {
  const { app, run } = appInstalledWith('copied', ['--install-links']);
  expect(lstatSync(path.join(app, 'node_modules', PACKAGE)).isSymbolicLink()).toBe(false);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const template = JSON.parse(readFileSync(path.join(app, 'cdk.out', 'Consumer.template.json'), 'utf8'));
  const declarations = Object.values(template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>)
    .filter((r) => r.Type === 'Custom::ProvisionedProductProperties');
  expect(declarations.map((d) => d.Properties.Owner)).toEqual(['arn:aws:iam::123456789012:role/PlatformTeam']);
});
