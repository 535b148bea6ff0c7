/**
 * The packed tarball works for a consumer: installed into a fresh CDK app outside this repository,
 * required from plain JavaScript (no ts-node), it synthesizes the custom resource, and the bundled
 * handler is staged as the Lambda asset. Needs `npm run build` first (`npm test` runs it).
 *
 * Offline and quick (./consumer-app): the tarball is installed with npm, and the peers are
 * symlinked from this repository's node_modules, so one copy of each is loaded.
 */
import { existsSync, readFileSync, rmSync } from 'fs';
import * as path from 'path';
import { PACKAGE, buildConsumer, root } from './consumer-app';

const APP = `
const { App, Stack } = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const { ProvisionedProductProperties, AcceptLanguage } = require('${PACKAGE}');

const app = new App();
const stack = new Stack(app, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });
new ProvisionedProductProperties(stack, 'Ownership', {
  provisionedProductId: 'pp-abc123def4567',
  owner: 'arn:aws:iam::123456789012:role/PlatformTeam',
  launchRole: iam.Role.fromRoleName(stack, 'LaunchRole', 'SCLaunchRole'),
  acceptLanguage: AcceptLanguage.ENGLISH,
});
app.synth();
`;

jest.setTimeout(120_000);

let work: string;
let consumer: string;

beforeAll(() => {
  ({ work, consumer } = buildConsumer(APP));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

test('the package is installed from the tarball, not linked to this repository', () => {
  const installed = path.join(consumer, 'node_modules', PACKAGE);
  expect(existsSync(path.join(installed, 'lib', 'index.js'))).toBe(true);
  expect(existsSync(path.join(installed, 'lib', 'index.ts'))).toBe(false);
  expect(readJson(path.join(installed, '.jsii')).name).toBe(PACKAGE);
});

test('the consumer app synthesizes the custom resource with the declared properties', () => {
  const template = readJson(path.join(consumer, 'cdk.out', 'Consumer.template.json'));
  const resources = Object.values(template.Resources) as { Type: string; Properties: Record<string, unknown> }[];
  const custom = resources.filter((r) => r.Type === 'Custom::ProvisionedProductProperties');
  expect(custom).toHaveLength(1);
  expect(custom[0].Properties).toMatchObject({
    ProvisionedProductId: 'pp-abc123def4567',
    Owner: 'arn:aws:iam::123456789012:role/PlatformTeam',
    AcceptLanguage: 'en',
  });
});

test('the bundled handler from the package is the Lambda asset in cdk.out', () => {
  const template = readJson(path.join(consumer, 'cdk.out', 'Consumer.template.json'));
  type LambdaFunction = { Type: string; Properties: { Handler: string; Code: { S3Key: string } } };
  const functions = (Object.values(template.Resources) as LambdaFunction[])
    .filter((r) => r.Type === 'AWS::Lambda::Function' && /^index\.(onEvent|isComplete)$/.test(r.Properties.Handler));
  expect(functions.map((f) => f.Properties.Handler).sort()).toEqual(['index.isComplete', 'index.onEvent']);

  const assetHash = String(functions[0].Properties.Code.S3Key).replace(/\.zip$/, '');
  const staged = path.join(consumer, 'cdk.out', `asset.${assetHash}`, 'index.js');
  expect(existsSync(staged)).toBe(true);
  const shipped = path.join(consumer, 'node_modules', PACKAGE, 'assets', 'handler', 'index.js');
  expect(readFileSync(staged).equals(readFileSync(shipped))).toBe(true);
  expect(readFileSync(staged).equals(readFileSync(path.join(root, 'assets', 'handler', 'index.js')))).toBe(true);
});
