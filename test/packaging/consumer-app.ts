/**
 * A consumer app built from the packed tarball, outside this repository: the package installed with
 * npm (offline: it has no dependencies, and --legacy-peer-deps leaves the peers alone), the peers
 * aws-cdk-lib and constructs symlinked from this repository's node_modules, and `app.js` run to
 * synthesize cdk.out. Needs `npm run build` first (`npm test` runs it).
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

export const root = path.join(__dirname, '..', '..');
export const PACKAGE = 'cdk-provisioned-product-properties';

export interface ConsumerApp {
  /** The temp folder holding the tarball and the app; remove it after the tests. */
  readonly work: string;
  readonly consumer: string;
}

export function buildConsumer(appSource: string, built: readonly string[] = ['lib/index.js', 'assets/handler/index.js']): ConsumerApp {
  if (built.some((file) => !existsSync(path.join(root, file)))) {
    throw new Error('The package is not built: run "npm run build" before this test (npm test does).');
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'ppp-consumer-'));
  const consumer = path.join(work, 'app');
  mkdirSync(consumer);

  // --ignore-scripts: `prepare` would rebuild the package while other tests read its files.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }))[0];
  const tarball = path.join(work, packed.filename);

  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', tarball, '--legacy-peer-deps', '--offline', '--ignore-scripts', '--no-audit', '--no-fund',
    '--no-package-lock', '--no-save'], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const peer of ['aws-cdk-lib', 'constructs']) {
    symlinkSync(path.join(root, 'node_modules', peer), path.join(consumer, 'node_modules', peer), 'dir');
  }
  writeFileSync(path.join(consumer, 'app.js'), appSource);
  execFileSync(process.execPath, ['app.js'], {
    cwd: consumer,
    env: { ...process.env, CDK_OUTDIR: path.join(consumer, 'cdk.out') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { work, consumer };
}
