// The tests against other aws-cdk-lib releases than the floor that `npm test` runs on (the
// devDependency). Run by .ci/run after `npm test`:
//
//   node scripts/cdk-releases.mjs newest       the newest 2.x aws-cdk-lib, constructs 10 and cdk-nag 3: the
//                                              construct, cdk-nag and end-to-end tests, and the template
//                                              snapshot of test/construct/cdk-compat.test.ts, which must hold
//                                              on both releases
//   node scripts/cdk-releases.mjs below-floor  aws-cdk-lib 2.182.0: the clear error (test/releases/)
//   node scripts/cdk-releases.mjs              both
//
// Each installs the peers into .cache/peers-<name>/ (npm, no lockfile) and runs jest with
// jest.peers.config.js, which maps every aws-cdk-lib, constructs and cdk-nag import to them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const PASSES = {
  newest: {
    peers: ['aws-cdk-lib@2', 'constructs@10', 'cdk-nag@3'],
    jest: ['test/construct', 'test/security', 'test/e2e'],
    env: {},
  },
  'below-floor': {
    peers: ['aws-cdk-lib@2.182.0', 'constructs@10'],
    jest: ['test/releases'],
    env: { PEERS_RELEASE_TESTS: '1' },
  },
};

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`cdk-releases: ${command} ${args.join(' ')} failed (exit code ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

function pass(name) {
  const { peers, jest, env } = PASSES[name];
  const dir = join(root, '.cache', `peers-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `peers-${name}`, private: true }));
  run(npm, ['install', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', ...peers], { cwd: dir });
  const version = (pkg) => JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  const installed = Object.fromEntries(peers.map((p) => p.replace(/@[^@]*$/, '')).map((p) => [p, version(p)]));
  console.log(`\ncdk-releases ${name}: ${Object.entries(installed).map(([p, v]) => `${p} ${v}`).join(', ')}\n`);
  run(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '-c', 'jest.peers.config.js', ...jest], {
    cwd: root,
    env: { ...process.env, ...env, PEERS_DIR: dir, EXPECT_AWS_CDK_LIB_VERSION: installed['aws-cdk-lib'] },
  });
}

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(PASSES)) {
  if (!PASSES[name]) {
    console.error(`cdk-releases: unknown pass ${name}; expected one of ${Object.keys(PASSES).join(', ')}`);
    process.exit(2);
  }
  pass(name);
}
