// Node.js binaries from the npm registry's `node` package, installed into .cache/node-<major>/, for
// the runtimes the provider's bundle may run on (TESTED_NODE_RUNTIMES, lib/provider/runtime-policy.ts).
//
//   node scripts/node-runtimes.mjs bin <major>          installs Node.js <major> if needed and prints its bin folder
//                                                       (.ci/run puts Node.js 24 first on PATH for the whole run)
//   node scripts/node-runtimes.mjs e2e [jest args]      the end-to-end suite (the built asset inside aws-cdk-lib's
//                                                       provider framework, against the fakes) on every tested
//                                                       runtime but the one running this script, which npm test covers
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`node-runtimes: ${command} ${args.join(' ')} failed (exit code ${result.status ?? result.signal})`);
    process.exit(1);
  }
  return result;
}

/** The bin folder of Node.js `major`, installed on first use. */
function nodeBin(major) {
  const dir = join(root, '.cache', `node-${major}`);
  const bin = join(dir, 'node_modules', 'node', 'bin');
  if (!existsSync(join(bin, 'node'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `node-${major}`, private: true }));
    // The `node` package's preinstall fetches the matching node-<platform>-<arch> package from the registry.
    run(npm, ['install', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `node@${major}`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const version = spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!version.startsWith(`v${major}.`)) {
    console.error(`node-runtimes: ${bin}/node is ${version || 'not runnable'}, not Node.js ${major}. Delete ${dir} and run again.`);
    process.exit(1);
  }
  return bin;
}

/** The majors of the runtimes the bundle is tested on, from the compiled runtime policy (npm run build first). */
function testedMajors() {
  const policy = join(root, 'lib', 'provider', 'runtime-policy.js');
  if (!existsSync(policy)) {
    console.error('node-runtimes: lib/provider/runtime-policy.js is missing: run npm run build first.');
    process.exit(1);
  }
  const { TESTED_NODE_RUNTIMES } = createRequire(import.meta.url)(policy);
  return TESTED_NODE_RUNTIMES.map((name) => Number(/^nodejs(\d+)\.x$/.exec(name)[1]));
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'bin' && /^\d+$/.test(rest[0] ?? '')) {
  console.log(nodeBin(rest[0]));
} else if (command === 'e2e') {
  const current = Number(process.versions.node.split('.')[0]);
  for (const major of testedMajors().filter((m) => m !== current)) {
    const node = join(nodeBin(major), 'node');
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`\nnode-runtimes: the end-to-end suite on Node.js ${version}\n`);
    run(node, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', ...(rest.length ? rest : ['test/e2e'])], { cwd: root });
  }
} else {
  console.error('usage: node scripts/node-runtimes.mjs bin <major> | e2e [jest arguments]');
  process.exit(2);
}
