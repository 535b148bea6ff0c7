// One temp folder per jest run, removed when the run ends: every App() without an outdir writes
// its cloud assembly to a new cdk.out* folder under os.tmpdir() that aws-cdk-lib never removes
// (about 165 folders, 115 MB, for test/construct alone). TMPDIR is set before the workers start,
// so they, and every process a test starts, inherit it; os.tmpdir() reads it on each call.
const { mkdtempSync, rmSync } = require('fs');
const os = require('os');
const path = require('path');

const KEY = 'PPP_JEST_TMPDIR';

async function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ppp-jest-'));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
}

async function teardown() {
  const dir = process.env[KEY];
  if (dir) rmSync(dir, { recursive: true, force: true });
}

module.exports = { setup, teardown };
