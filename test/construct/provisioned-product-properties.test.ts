import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { AcceptLanguage, ProvisionedProductProperties } from '../../lib';
import { defaultNodeRuntime } from '../../lib/provider/runtime-policy';

const ACCOUNT = '123456789012';
const OWNER = `arn:aws:iam::${ACCOUNT}:role/PlatformTeam`;

function newStack(account: string | null = ACCOUNT): Stack {
  return new Stack(new App(), 'Stack', account ? { env: { account, region: 'us-east-1' } } : undefined);
}

function launchRole(stack: Stack, name = 'LaunchRole'): iam.IRole {
  return iam.Role.fromRoleArn(stack, name, `arn:aws:iam::${ACCOUNT}:role/${name}`);
}

const customResources = (t: Template) => t.findResources('Custom::ProvisionedProductProperties');

describe('ProvisionedProductProperties resource', () => {
  test('writes the declared properties, the timeout and a service timeout above it', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'Ownership', {
      provisionedProductId: 'pp-abc123def4567',
      owner: OWNER,
      launchRole: launchRole(stack),
      acceptLanguage: AcceptLanguage.JAPANESE,
      timeout: Duration.minutes(10),
    });
    const template = Template.fromStack(stack);
    template.hasResource('Custom::ProvisionedProductProperties', {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('frameworkonEvent'), 'Arn'] },
        ProvisionedProductId: 'pp-abc123def4567',
        Owner: OWNER,
        LaunchRoleArn: `arn:aws:iam::${ACCOUNT}:role/LaunchRole`,
        AcceptLanguage: 'jp',
        TimeoutSeconds: '600',
        ServiceTimeout: '720',
      },
      DeletionPolicy: 'Delete',
    });
  });

  test('defaults: 30 minute timeout, no AcceptLanguage, no LaunchRoleArn when only the owner is declared', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'Ownership', { provisionedProductId: 'pp-1', owner: OWNER });
    const props = Object.values(customResources(Template.fromStack(stack)))[0].Properties;
    expect(props.TimeoutSeconds).toBe('1800');
    expect(props.ServiceTimeout).toBe('1920');
    expect(props).not.toHaveProperty('AcceptLanguage');
    expect(props).not.toHaveProperty('LaunchRoleArn');
  });

  test('a one hour timeout keeps the service timeout at CloudFormation\'s maximum of 3600 s', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'Ownership', { provisionedProductId: 'pp-1', owner: OWNER, timeout: Duration.hours(1) });
    const props = Object.values(customResources(Template.fromStack(stack)))[0].Properties;
    expect(props.ServiceTimeout).toBe('3600');
  });

  test('accepts tokens for the id, the owner and a launch role created in the app', () => {
    const stack = newStack(null);
    const role = new iam.Role(stack, 'Launch', { assumedBy: new iam.ServicePrincipal('servicecatalog.amazonaws.com') });
    const owner = new iam.Role(stack, 'Owner', { assumedBy: new iam.AccountRootPrincipal() });
    const product = new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Pp', { productName: 'p', provisioningArtifactName: 'v1' });
    new ProvisionedProductProperties(stack, 'Ownership', {
      provisionedProductId: product.attrProvisionedProductId,
      owner: owner.roleArn,
      launchRole: role,
    });
    Template.fromStack(stack).hasResourceProperties('Custom::ProvisionedProductProperties', {
      ProvisionedProductId: { 'Fn::GetAtt': ['Pp', 'ProvisionedProductId'] },
      Owner: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Owner'), 'Arn'] },
      LaunchRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Launch'), 'Arn'] },
    });
  });

  test('exposes the record id, the record status and the provisioned product id as attributes', () => {
    const stack = newStack();
    const ownership = new ProvisionedProductProperties(stack, 'Ownership', { provisionedProductId: 'pp-1', owner: OWNER });
    const logicalId = Object.keys(customResources(Template.fromStack(stack)))[0];
    expect(stack.resolve(ownership.recordId)).toEqual({ 'Fn::GetAtt': [logicalId, 'RecordId'] });
    expect(stack.resolve(ownership.recordStatus)).toEqual({ 'Fn::GetAtt': [logicalId, 'RecordStatus'] });
    expect(stack.resolve(ownership.provisionedProductId)).toEqual({ 'Fn::GetAtt': [logicalId, 'ProvisionedProductId'] });
    expect(stack.resolve(ownership.changed)).toEqual({ 'Fn::GetAtt': [logicalId, 'Changed'] });
  });
});

describe('the stack-singleton provider', () => {
  function countByType(template: Template): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of Object.values(template.toJSON().Resources) as Array<{ Type: string }>) {
      counts[r.Type] = (counts[r.Type] ?? 0) + 1;
    }
    return counts;
  }

  test('N instances sharing a launch role add N custom resources and no further functions, roles, policies or state machines', () => {
    const one = newStack();
    new ProvisionedProductProperties(one, 'P0', { provisionedProductId: 'pp-0', owner: OWNER, launchRole: launchRole(one) });
    const hundred = newStack();
    const shared = launchRole(hundred);
    for (let i = 0; i < 100; i++) {
      new ProvisionedProductProperties(hundred, `P${i}`, { provisionedProductId: `pp-${i}`, owner: OWNER, launchRole: shared });
    }
    const a = countByType(Template.fromStack(one));
    const b = countByType(Template.fromStack(hundred));
    expect(a['Custom::ProvisionedProductProperties']).toBe(1);
    expect(b['Custom::ProvisionedProductProperties']).toBe(100);
    const { ['Custom::ProvisionedProductProperties']: _a, ...providerA } = a;
    const { ['Custom::ProvisionedProductProperties']: _b, ...providerB } = b;
    expect(providerB).toEqual(providerA);
    expect(providerA['AWS::Lambda::Function']).toBe(5); // onEvent, isComplete, and the framework's three
    expect(providerA['AWS::StepFunctions::StateMachine']).toBe(1);
    expect(providerA['AWS::Logs::LogGroup']).toBe(1);
  });

  test('the handlers run on Node.js 24, the latest (arm64) from the bundled asset, and all logs go to one log group with retention', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
    const template = Template.fromStack(stack);
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    const [logGroupId] = Object.keys(logGroups);
    expect(logGroups[logGroupId].Properties.RetentionInDays).toBe(30);
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    for (const fn of functions) {
      expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: logGroupId });
    }
    // The framework's functions too: the runtime policy's, not aws-cdk-lib's own choice (test/construct/runtime-policy.test.ts).
    expect(new Set(functions.map((fn) => fn.Properties.Runtime))).toEqual(new Set([defaultNodeRuntime()]));
    const handlers = functions.filter((fn) => /^index\.(onEvent|isComplete)$/.test(fn.Properties.Handler));
    expect(handlers).toHaveLength(2);
    for (const fn of handlers) {
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
    }
    expect(template.findResources('Custom::LogRetention')).toEqual({});
  });

  test('the waiter polls every 5 s for 65 minutes, above the largest per-resource timeout', () => {
    const stack = newStack();
    new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
    const definition = JSON.stringify(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toContain('\\"IntervalSeconds\\":5');
    expect(definition).toContain('\\"MaxAttempts\\":780');
  });

  test('providers in two stacks are independent', () => {
    const app = new App();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    new ProvisionedProductProperties(a, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
    new ProvisionedProductProperties(b, 'P', { provisionedProductId: 'pp-2', owner: OWNER });
    expect(Object.keys(Template.fromStack(a).findResources('AWS::StepFunctions::StateMachine'))).toHaveLength(1);
    expect(Object.keys(Template.fromStack(b).findResources('AWS::StepFunctions::StateMachine'))).toHaveLength(1);
  });
});
