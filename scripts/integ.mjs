// Integration tests (test/integ/integ.*.ts, built with @aws-cdk/integ-tests-alpha `IntegTest`).
//
//   node scripts/integ.mjs check    CI, offline: synthesizes each test and compares its templates with
//                                   the committed snapshot (<test>.snapshot/); fails on a difference.
//   node scripts/integ.mjs update   rewrites the snapshots from the current code.
//   node scripts/integ.mjs deploy   real AWS account: deploys each test (its assertions run as custom
//                                   resources and fail the deploy when they do not hold), then destroys it.
//
// Why not `integ-runner`: the newest @aws-cdk/integ-runner on npm (2.197.x) bundles a CDK toolkit that
// reads cloud assembly schema 53 at most, and aws-cdk-lib 2.276 writes schema 55, so every
// integ-runner command, the offline snapshot check included, stops with "Cloud assembly schema
// version mismatch". This script does what integ-runner's snapshot check does, the same way:
// - it synthesizes with the context integ-runner uses (aws-cdk-lib's currently recommended feature
//   flags, no version reporting, no path or asset metadata, no stack traces) and its CDK_INTEG_* env;
// - it writes the snapshot in integ-runner's layout (test/integ/integ.x.ts.snapshot/), without the
//   `asset.*` directories of test cases whose update workflow is off, as integ-runner does;
// - it compares the templates of the stacks under test with asset hashes replaced by placeholders
//   (integ-runner's default `diffAssets: false`), so a rebuilt Lambda bundle alone does not fail.
// It also compares the assertion stack (with its per-synth `salt` removed) and the test cases in
// integ.json, which integ-runner does not. Once an integ-runner that reads schema 55 is published,
// `npx integ-runner --directory test/integ --language typescript` works on the same snapshots.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const integDir = join(root, 'test', 'integ');
const require = createRequire(join(root, 'package.json'));

/** The environment integ-runner gives every synthesis (runner-base.ts, DEFAULT_SYNTH_OPTIONS.env). */
const INTEG_ENV = {
  CDK_INTEG_ACCOUNT: '12345678',
  CDK_INTEG_REGION: 'test-region',
  CDK_INTEG_HOSTED_ZONE_ID: 'Z23ABC4XYZL05B',
  CDK_INTEG_HOSTED_ZONE_NAME: 'example.com',
  CDK_INTEG_DOMAIN_NAME: '*.example.com',
  CDK_INTEG_CERT_ARN: 'arn:aws:acm:test-region:12345678:certificate/86468209-a272-595d-b831-0efb6421265z',
  CDK_INTEG_SUBNET_ID: 'subnet-0dff1a399d8f6f92c',
};

function integContext() {
  return {
    ...require('aws-cdk-lib/cx-api').CURRENTLY_RECOMMENDED_FLAGS,
    'aws:cdk:version-reporting': false,
    'aws:cdk:enable-path-metadata': false,
    'aws:cdk:enable-asset-metadata': false,
    'aws:cdk:disable-stack-trace': true,
    // No construct creation stacks in *.metadata.json: they hold absolute paths of this machine.
    'aws:cdk:disable-creation-stack-traces': true,
  };
}

function discoverTests(filter) {
  const tests = readdirSync(integDir)
    .filter((f) => /^integ\..*\.ts$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(integDir, f));
  const picked = filter.length ? tests.filter((t) => filter.some((f) => t.endsWith(f))) : tests;
  if (picked.length === 0) fail(`no integration test found in ${relative(root, integDir)} matching ${filter.join(' ') || 'integ.*.ts'}`);
  return picked;
}

const snapshotDirOf = (test) => `${test}.snapshot`;
const show = (p) => relative(root, p) || '.';

/** Runs the test app like integ-runner's TypeScript preset (`node -r ts-node/register <file>`). */
function synth(test, outdir) {
  const env = { ...process.env, ...INTEG_ENV, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(integContext()) };
  // Type errors are `npm run typecheck`'s job; transpiling only keeps this at a few seconds.
  env.TS_NODE_TRANSPILE_ONLY = 'true';
  for (const name of ['CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete env[name];
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register', test], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) fail(`synthesizing ${show(test)} failed (exit code ${result.status ?? result.signal})`);
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

function readAssembly(dir) {
  const integ = readJson(join(dir, 'integ.json'));
  const testCases = Object.values(integ.testCases ?? {});
  const stacks = [...new Set(testCases.flatMap((tc) => [...tc.stacks, tc.assertionStackName].filter(Boolean)))];
  const templates = {};
  for (const stack of stacks) {
    const file = join(dir, `${stack}.template.json`);
    templates[stack] = existsSync(file) ? canonicalize(readJson(file), assetIds(dir, stack)) : undefined;
  }
  return { testCases: integ.testCases, templates };
}

/** The ids of a stack's `asset.*` assets, as integ-runner reads them from `<stack>.assets.json`. */
function assetIds(dir, stack) {
  const file = join(dir, `${stack}.assets.json`);
  if (!existsSync(file)) return [];
  const manifest = readJson(file);
  return [
    ...Object.entries(manifest.files ?? {}).filter(([, a]) => a.source?.path?.startsWith('asset.') || a.source?.path?.endsWith('nested.template.json')),
    ...Object.entries(manifest.dockerImages ?? {}).filter(([, a]) => a.source?.directory?.startsWith('asset.')),
  ].map(([id]) => id);
}

/** Asset hashes become Asset1, Asset2…; the assertions' `salt` (Date.now() at synth) is dropped. */
function canonicalize(template, ids) {
  const substitute = (value) => {
    if (Array.isArray(value)) return value.map(substitute);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'salt').map(([k, v]) => [sub(k), substitute(v)]));
    }
    return typeof value === 'string' ? sub(value) : value;
  };
  const sub = (text) => ids.reduce((t, id, i) => t.split(id).join(`Asset${i + 1}`), text);
  return substitute(template);
}

/** Where two JSON values differ, as readable paths. */
function differences(expected, actual, path = '', out = []) {
  if (out.length >= 40 || isDeepStrictEqual(expected, actual)) return out;
  const isObject = (v) => v !== null && typeof v === 'object';
  if (isObject(expected) && isObject(actual) && Array.isArray(expected) === Array.isArray(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const child = `${path}/${key}`;
      if (!(key in actual)) out.push(`  - ${child} (removed)`);
      else if (!(key in expected)) out.push(`  + ${child} (added)`);
      else differences(expected[key], actual[key], child, out);
    }
    return out;
  }
  const brief = (v) => { const s = JSON.stringify(v) ?? 'undefined'; return s.length > 160 ? `${s.slice(0, 160)}…` : s; };
  out.push(`  ~ ${path || '/'}: ${brief(expected)} -> ${brief(actual)}`);
  return out;
}

function compare(expected, actual) {
  const problems = [];
  if (!isDeepStrictEqual(expected.testCases, actual.testCases)) {
    problems.push('integ.json test cases differ:', ...differences(expected.testCases, actual.testCases));
  }
  for (const stack of new Set([...Object.keys(expected.templates), ...Object.keys(actual.templates)])) {
    const [before, after] = [expected.templates[stack], actual.templates[stack]];
    if (before === undefined) problems.push(`stack ${stack} is new (not in the snapshot)`);
    else if (after === undefined) problems.push(`stack ${stack} is in the snapshot but no longer synthesized`);
    else if (!isDeepStrictEqual(before, after)) problems.push(`stack ${stack} template differs:`, ...differences(before, after));
  }
  return problems;
}

function check(tests) {
  let failed = 0;
  for (const test of tests) {
    const snapshot = snapshotDirOf(test);
    const started = Date.now();
    if (!existsSync(join(snapshot, 'integ.json'))) {
      console.error(`FAIL ${show(test)}: no snapshot at ${show(snapshot)}`);
      failed++;
      continue;
    }
    const outdir = mkdtempSync(join(tmpdir(), 'integ-check-'));
    try {
      synth(test, outdir);
      const problems = compare(readAssembly(snapshot), readAssembly(outdir));
      if (problems.length === 0) {
        console.log(`ok   ${show(test)} matches ${show(snapshot)} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
      } else {
        console.error(`FAIL ${show(test)}: the synthesized templates differ from ${show(snapshot)}\n${problems.join('\n')}`);
        failed++;
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  if (failed) {
    fail(`${failed} integration test snapshot(s) are stale or missing. If the change is intended, run\n`
      + '  npm run integ:update\n'
      + 'then review and commit the changes under test/integ/*.snapshot/ (git diff shows what the deploy would change).');
  }
}

function update(tests) {
  for (const test of tests) {
    const snapshot = snapshotDirOf(test);
    rmSync(snapshot, { recursive: true, force: true });
    synth(test, snapshot);
    cleanSnapshot(snapshot);
    console.log(`wrote ${show(snapshot)}`);
  }
}

/**
 * As integ-runner does: no `asset.*` copies for test cases whose update workflow is off, no .cache.
 * (integ-runner keeps the assertion stack's assets, 2 MB of integ-tests-alpha's handler; nothing
 * reads them from a snapshot without an update workflow, so they go too.)
 */
function cleanSnapshot(dir) {
  const integ = readJson(join(dir, 'integ.json'));
  const noUpdateWorkflow = Object.values(integ.testCases ?? {}).filter((tc) => tc.stackUpdateWorkflow === false);
  for (const stack of noUpdateWorkflow.flatMap((tc) => [...tc.stacks, tc.assertionStackName].filter(Boolean))) {
    const file = join(dir, `${stack}.assets.json`);
    if (!existsSync(file)) continue;
    const manifest = readJson(file);
    const locations = [
      ...Object.values(manifest.files ?? {}).map((a) => a.source?.path).filter((p) => p?.startsWith('asset.')),
      ...Object.values(manifest.dockerImages ?? {}).map((a) => a.source?.directory).filter((p) => p?.startsWith('asset.')),
    ];
    for (const location of locations) rmSync(join(dir, location), { recursive: true, force: true });
  }
  rmSync(join(dir, '.cache'), { recursive: true, force: true });
}

/** A real deploy: needs AWS credentials and a bootstrapped account (`npx cdk bootstrap`). */
function deploy(tests, { clean }) {
  for (const test of tests) {
    // The same synthesis as the snapshot's, so what is deployed is what the snapshot shows.
    const outdir = mkdtempSync(join(tmpdir(), 'integ-deploy-'));
    synth(test, outdir);
    const cdk = (...args) => spawnSync('npx', ['cdk', ...args, '--app', outdir], { cwd: root, stdio: 'inherit' });
    console.log(`deploying ${show(test)}; its assertions run during the deploy…`);
    const deployed = cdk('deploy', '--all', '--require-approval', 'never', '--outputs-file', join(outdir, 'outputs.json'));
    const ok = deployed.status === 0 && assertionOutputsPass(join(outdir, 'outputs.json'));
    if (clean) {
      console.log(`destroying ${show(test)}…`);
      if (cdk('destroy', '--all', '--force').status !== 0) {
        console.error(`destroying ${show(test)} failed: delete its stacks in the CloudFormation console.`);
      }
    }
    rmSync(outdir, { recursive: true, force: true });
    if (!ok) fail(`integration test ${show(test)} failed`);
    console.log(`ok   ${show(test)} deployed and its assertions passed`);
  }
}

/** Assertions without a waiter report through `AssertionResults…` outputs instead of failing the deploy. */
function assertionOutputsPass(file) {
  if (!existsSync(file)) return true;
  let ok = true;
  for (const [stack, outputs] of Object.entries(readJson(file))) {
    for (const [name, value] of Object.entries(outputs)) {
      if (!name.startsWith('AssertionResults')) continue;
      const result = (() => { try { return JSON.parse(value); } catch { return { status: value }; } })();
      if (result.status !== 'success') {
        console.error(`assertion ${stack}.${name} failed: ${value}`);
        ok = false;
      }
    }
  }
  return ok;
}

function fail(message) {
  console.error(`\n${message}`);
  process.exit(1);
}

const [command = 'check', ...rest] = process.argv.slice(2);
const options = rest.filter((a) => a.startsWith('--'));
const filter = rest.filter((a) => !a.startsWith('--')).map((a) => basename(a));
switch (command) {
  case 'check': check(discoverTests(filter)); break;
  case 'update': update(discoverTests(filter)); break;
  case 'deploy': deploy(discoverTests(filter), { clean: !options.includes('--no-clean') }); break;
  default: fail(`unknown command "${command}": use check, update or deploy`);
}
