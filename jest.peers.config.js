// The same tests against other releases of the peers: `node scripts/cdk-releases.mjs` installs
// them into .cache/<name>/ and runs jest with this config and PEERS_DIR pointing there. Every
// `aws-cdk-lib`, `constructs` and `cdk-nag` import, ours and the tests' alike, then loads that
// copy (one copy of each, as in a consumer's app).
const path = require('path');
const base = require('./jest.config');

const peersDir = process.env.PEERS_DIR;
if (!peersDir) {
  throw new Error('jest.peers.config.js: set PEERS_DIR to a folder whose node_modules holds the peers (scripts/cdk-releases.mjs does).');
}
const modules = path.resolve(peersDir, 'node_modules');
const mapped = {};
for (const name of ['aws-cdk-lib', 'constructs', 'cdk-nag']) {
  mapped[`^${name}$`] = path.join(modules, name);
  mapped[`^${name}/(.*)$`] = path.join(modules, name, '$1');
}

module.exports = {
  ...base,
  moduleNameMapper: mapped,
  // test/releases/*.release.ts hold what only holds on other releases (below the floor).
  ...(process.env.PEERS_RELEASE_TESTS ? { testMatch: ['**/test/releases/*.release.ts'] } : {}),
};
