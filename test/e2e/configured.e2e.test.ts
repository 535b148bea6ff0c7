/**
 * A stack whose provider is configured as a regulated team would (VPC, encrypted logs, managed
 * policies, prefixes, reserved concurrency), with a second instance in another construct scope,
 * still deploys end to end: the built asset in aws-cdk-lib's provider-framework runtime, with the
 * waiter settings of this stack's template, the real SDK, and the local Service Catalog fake.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ProvisionedProductProperties } from '../../lib';
import { HANDLER_ASSET_DIR } from '../../lib/provider/handler-functions';
import { TemplateJson, createRequest, resourceOf } from './cloudformation-request';
import { handlerAllowed } from './cloudformation-fake/template-iam';
import { FrameworkHarness } from './framework-harness';
import { ServiceCatalogFake } from './service-catalog-fake';
import { SsmFake } from './ssm-fake/server';

const ACCOUNT = '123456789012';
const arn = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;

let fake: ServiceCatalogFake;
let ssm: SsmFake;
let harness: FrameworkHarness;
let template: Template;

beforeAll(async () => {
  fake = await ServiceCatalogFake.start({ accountId: ACCOUNT });
  ssm = await SsmFake.start({ accountId: ACCOUNT });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SERVICE_CATALOG: fake.endpoint, AWS_ENDPOINT_URL_SSM: ssm.endpoint, AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'local-fake-secret',
  });
  for (const level of ['log', 'info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);

  const stack = new Stack(new App(), 'Regulated', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  ProvisionedProductProperties.configureProvider(stack, {
    vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-1'] }),
    logEncryptionKey: key, logRetention: logs.RetentionDays.ONE_YEAR, environmentEncryption: key,
    managedPoliciesOnly: true, reservedConcurrentExecutions: 5, iamPath: '/platform/', roleNamePrefix: 'ppp-', functionNamePrefix: 'ppp-',
  });
  new ProvisionedProductProperties(stack, 'Ownership', {
    provisionedProductId: 'pp-configured1', owner: arn('role/PlatformTeam'),
    launchRole: iam.Role.fromRoleArn(stack, 'Launch', arn('role/SCLaunchRole')),
  });
  new ProvisionedProductProperties(new Construct(new Construct(stack, 'Teams'), 'Payments'), 'Ownership', {
    provisionedProductId: 'pp-configured2', owner: arn('role/PaymentsTeam'),
  });
  template = Template.fromStack(stack);
  // This stack's own provider, as its template synthesizes it (functions, timeouts, waiter).
  harness = new FrameworkHarness({ assetDir: HANDLER_ASSET_DIR, template });
  // The ledger under this stack's IAM: its handler role holds managed policies only.
  ssm.authorize = (action, resourceArn) => handlerAllowed(template.toJSON() as TemplateJson, action, resourceArn);
});

afterAll(async () => {
  await harness?.stop();
  await fake?.stop();
  await ssm?.stop();
});

test('both instances use the one configured provider', () => {
  const tokens = Object.values(template.findResources('Custom::ProvisionedProductProperties')).map((r) => JSON.stringify(r.Properties.ServiceToken));
  expect(tokens).toHaveLength(2);
  expect(new Set(tokens).size).toBe(1);
  template.resourceCountIs('AWS::Lambda::Function', 5);
  template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'ppp-FrameworkOnEvent', ReservedConcurrentExecutions: 5 });
});

test('each instance, with the properties its template holds, deploys and sets its product', async () => {
  fake.addProduct({ id: 'pp-configured1', ownerArn: arn('user/alice') });
  fake.addProduct({ id: 'pp-configured2', ownerArn: arn('user/bob') });
  for (const logicalId of Object.keys(template.findResources('Custom::ProvisionedProductProperties'))) {
    const request = createRequest(resourceOf(template, logicalId));
    const response = await harness.send(request);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: request.ResourceProperties.ProvisionedProductId, Data: { RecordStatus: 'SUCCEEDED' } });
  }
  expect(fake.product('pp-configured1')).toMatchObject({ ownerArn: arn('role/PlatformTeam'), launchRoleArn: arn('role/SCLaunchRole') });
  expect(fake.product('pp-configured2')).toMatchObject({ ownerArn: arn('role/PaymentsTeam') });
});
