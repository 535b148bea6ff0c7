// The end-to-end suite (test/e2e) on Node.js 24, the runtime Lambda runs the bundle on, with a
// Node.js 24 binary from the npm registry (the `node` package), installed into .cache/node24/.
// Run by .ci/run after `npm test`, which runs every test on the Node.js that runs npm.
//
//   node scripts/node24.mjs [jest arguments]     default: test/e2e
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.cache', 'node24');
const binary = join(dir, 'node_modules', 'node', 'bin', 'node');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`node24: ${command} ${args.join(' ')} failed (exit code ${result.status ?? result.signal})`);
    process.exit(1);
  }
  return result;
}

if (!existsSync(binary)) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node24', private: true }));
  // The `node` package's preinstall fetches the matching node-<platform>-<arch> package from the registry.
  run('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', 'node@24'], { cwd: dir });
}
const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (!version.startsWith('v24.')) {
  console.error(`node24: ${binary} is ${version || 'not runnable'}, not Node.js 24. Delete ${dir} and run again.`);
  process.exit(1);
}
console.log(`\nnode24: jest on Node.js ${version}\n`);
const args = process.argv.slice(2);
run(binary, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', ...(args.length ? args : ['test/e2e'])], { cwd: root });
