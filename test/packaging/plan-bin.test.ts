/**
 * `npx cdk-provisioned-product-properties plan` works in a consumer app built from the packed
 * tarball: the bin and the bundled CLI are shipped, and they plan the app's cdk.out against the
 * Service Catalog, CloudFormation and SSM fakes through the real SDK, with the table and the JSON.
 */
import { spawn } from 'child_process';
import { rmSync } from 'fs';
import { CloudFormationFake } from '../e2e/cloudformation-fake/server';
import { PlanRun, outcomeOf } from '../e2e/plan/plan-setup';
import { ServiceCatalogFake } from '../e2e/service-catalog-fake';
import { SsmFake } from '../e2e/ssm-fake/server';
import { PACKAGE, buildConsumer } from './consumer-app';

const ACCOUNT = '123456789012';
const TEAM = `arn:aws:iam::${ACCOUNT}:role/PlatformTeam`;
const PROVISIONER = `arn:aws:iam::${ACCOUNT}:role/Provisioner`;
const LAUNCH = `arn:aws:iam::${ACCOUNT}:role/SCLaunchRole`;

const APP = `
const { App, Stack } = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const { ProvisionedProductProperties } = require('${PACKAGE}');

const app = new App();
const stack = new Stack(app, 'Consumer', { env: { account: '${ACCOUNT}', region: 'us-east-1' } });
new ProvisionedProductProperties(stack, 'Ownership', {
  provisionedProductId: 'pp-abc123def4567',
  owner: '${TEAM}',
  launchRole: iam.Role.fromRoleName(stack, 'LaunchRole', 'SCLaunchRole'),
});
app.synth();
`;

jest.setTimeout(120_000);

let work: string;
let consumer: string;
let serviceCatalog: ServiceCatalogFake;
let cloudFormation: CloudFormationFake;
let ssm: SsmFake;

beforeAll(async () => {
  ({ work, consumer } = buildConsumer(APP, ['lib/index.js', 'assets/handler/index.js', 'assets/cli/index.js']));
  serviceCatalog = await ServiceCatalogFake.start({ accountId: ACCOUNT });
  cloudFormation = await CloudFormationFake.start();
  ssm = await SsmFake.start({ accountId: ACCOUNT });
  serviceCatalog.addProduct({ id: 'pp-abc123def4567', name: 'payments-prod', ownerArn: PROVISIONER, launchRoleArn: LAUNCH });
});

afterAll(async () => {
  await serviceCatalog?.stop();
  await cloudFormation?.stop();
  await ssm?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** `npx cdk-provisioned-product-properties ...` in the consumer app, as its user types it (asynchronous: the fakes answer from this process). */
function npx(args: readonly string[]): Promise<PlanRun> {
  return outcomeOf(spawn('npx', ['--no-install', PACKAGE, ...args], {
    cwd: consumer,
    env: {
      PATH: process.env.PATH, HOME: work, npm_config_cache: `${work}/npm-cache`, npm_config_update_notifier: 'false', AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'local-fake-secret',
      AWS_ENDPOINT_URL_SERVICE_CATALOG: serviceCatalog.endpoint, AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.endpoint,
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
}

test('npx cdk-provisioned-product-properties plan prints the table from the packed package', async () => {
  const run = await npx(['plan']);
  process.stdout.write(`\n--- npx cdk-provisioned-product-properties plan (consumer app from npm pack)\n${run.stdout}`);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run.stdout).toMatch(/^Consumer\s+Consumer\/Ownership\s+pp-abc123def4567 \(payments-prod\)\s+OWNER\s+arn:aws:iam::123456789012:role\/Provisioner\s+arn:aws:iam::123456789012:role\/PlatformTeam\s+change$/m);
  expect(run.stdout).toMatch(/^\s+LAUNCH_ROLE\s+arn:aws:iam::123456789012:role\/SCLaunchRole\s+arn:aws:iam::123456789012:role\/SCLaunchRole\s+none$/m);
});

test('with --json and --detailed-exitcode: the document of the issue, exit 2', async () => {
  const run = await npx(['plan', '--app', 'cdk.out', '--json', '--detailed-exitcode']);
  expect(run.code).toBe(2);
  expect(JSON.parse(run.stdout)).toEqual({
    declarations: [{
      stack: 'Consumer', path: 'Consumer/Ownership', provisionedProductId: 'pp-abc123def4567',
      changes: [
        { key: 'OWNER', live: PROVISIONER, declared: TEAM, action: 'change' },
        { key: 'LAUNCH_ROLE', live: LAUNCH, declared: LAUNCH, action: 'none' },
      ],
    }],
  });
});
