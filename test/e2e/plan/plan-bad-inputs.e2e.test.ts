/**
 * Bad input to `plan`, run as a user runs it (the built bundle in its own process): each is one
 * line on stderr and exit code 1, never a stack trace.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { ProvisionedProductProperties } from '../../../lib';
import { ACCOUNT, REGION, arn, endpointEnv, spawnPlan, synthesize, usePlanEndToEnd } from './plan-setup';

jest.setTimeout(60_000);

const e2e = usePlanEndToEnd();
let work: string;
let assembly: { dir: string; cleanup: () => void };

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'ppp-plan-bad-'));
  assembly = synthesize((app) => {
    new ProvisionedProductProperties(new Stack(app, 'Prod', { env: { account: ACCOUNT, region: REGION } }), 'Ownership', {
      provisionedProductId: 'pp-bad1', owner: arn('role/PlatformTeam'),
    });
  });
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  assembly?.cleanup();
});

/** A shell with no credentials anywhere the SDK's chain looks (no files, no instance metadata). */
function noCredentials(): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH, HOME: work, AWS_REGION: REGION, AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'none'), AWS_CONFIG_FILE: path.join(work, 'none'),
    AWS_ENDPOINT_URL_SERVICE_CATALOG: e2e.serviceCatalog.endpoint, AWS_ENDPOINT_URL_CLOUDFORMATION: e2e.cloudFormation.endpoint,
    AWS_ENDPOINT_URL_SSM: e2e.ssm.endpoint,
  };
}

const packageVersion = () => JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version;
const withCredentials = () => ({ PATH: process.env.PATH, HOME: work, ...endpointEnv(e2e) });

test.each([
  ['no assembly', () => ['plan', '--app', path.join(work, 'missing')], /^Error: no cloud assembly at .*missing: run "cdk synth" first/],
  ['a folder that is not an assembly', () => {
    const folder = mkdtempSync(path.join(work, 'not-an-assembly-'));
    writeFileSync(path.join(folder, 'app.ts'), '// an app, not its synthesized output');
    return ['plan', '--app', folder];
  }, /^Error: .*not-an-assembly-\w+ is not a cloud assembly \(it has no manifest\.json\)/],
  ['a stack pattern that matches nothing', () => ['plan', '--app', assembly.dir, '--stack', 'Staging/*'],
    /^Error: no stack matches "Staging\/\*" \(stacks in the assembly: Prod\)$/],
  ['an unknown option', () => ['plan', '--app', assembly.dir, '--out', 'x'], /^Error: Unknown option '--out' \(see --help\)$/],
  ['no command', () => ['--app', assembly.dir], /^Error: no command: the command is "plan"/],
])('%s: one line on stderr, exit 1', async (_name, args, message) => {
  const run = await spawnPlan(args(), withCredentials());
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(message);
  expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
});

test('no credentials: one line on stderr naming what to configure, exit 1, and no call made', async () => {
  const before = e2e.serviceCatalog.calls.length + e2e.cloudFormation.stackReads.calls.length;
  const run = await spawnPlan(['plan', '--app', assembly.dir], noCredentials());
  expect(run.code).toBe(1);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^Error: no AWS credentials: CredentialsProviderError: Could not load credentials from any providers\. Configure them/);
  expect(e2e.serviceCatalog.calls.length + e2e.cloudFormation.stackReads.calls.length).toBe(before);
});

test('the bundle runs as a command: --version, --help, and a plan with the stack pattern of the CDK CLI', async () => {
  expect(await spawnPlan(['--version'], withCredentials())).toMatchObject({ code: 0, stdout: `${packageVersion()}\n` });
  expect((await spawnPlan(['--help'], withCredentials())).stdout).toMatch(/^Usage: cdk-provisioned-product-properties plan \[--app DIR\]/);
  e2e.serviceCatalog.addProduct({ id: 'pp-bad1', ownerArn: arn('role/PlatformTeam') });
  const run = await spawnPlan(['plan', '--app', assembly.dir, '--stack', 'P*', '--detailed-exitcode'], withCredentials());
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run.stdout).toMatch(/^Prod\s+Prod\/Ownership\s+pp-bad1 \(sc-product-pp-bad1\)\s+OWNER\s+arn:aws:iam::123456789012:role\/PlatformTeam\s+arn:aws:iam::123456789012:role\/PlatformTeam\s+none$/m);
});
