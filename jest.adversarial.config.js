// The end-to-end tests of the handler under the Service Catalog fake's hardest readings of what AWS
// does not document (test/e2e/service-catalog-fake/switches.ts, ADVERSARIAL_SWITCHES):
//   npm run test:e2e:adversarial
// The fake's own tests (service-catalog-fake-*.test.ts) check each switch explicitly and are not run here.
process.env.E2E_READINGS = 'adversarial';
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = { ...base, testMatch: ['**/test/e2e/**/*.e2e.test.ts'] };
