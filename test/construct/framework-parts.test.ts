/**
 * lib/provider/framework-parts.ts: the provider framework's functions and waiter role are found by
 * what they are (a `framework.<entry point>` handler; the role the state machine runs as), not by
 * aws-cdk-lib's private construct ids. `npm test` runs this on the floor release, and
 * scripts/cdk-releases.mjs again on the newest 2.x.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ProvisionedProductProperties } from '../../lib';
import { MIN_AWS_CDK_LIB_VERSION, loadedAwsCdkLibVersion } from '../../lib/cdk-compat';
import { FRAMEWORK_ENTRY_POINTS, frameworkPartsOf } from '../../lib/provider/framework-parts';

const OWNER = 'arn:aws:iam::123456789012:role/PlatformTeam';

/** The roles and the aws-cdk-lib Provider of a stack's provider (ids of this library, not aws-cdk-lib's). */
function installedProvider() {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
  new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-abc123', owner: OWNER });
  const ours = stack.node.findChild('ProvisionedProductPropertiesProvider');
  const given = ['FrameworkOnEventRole', 'FrameworkWaiterRole'].map((id) => ours.node.findChild(id) as iam.Role);
  return { stack, ours, provider: ours.node.findChild('Provider'), given };
}

describe('on the installed aws-cdk-lib', () => {
  test('finds each framework function by its entry point, and none of our handlers', () => {
    const { stack, ours, provider, given } = installedProvider();
    const parts = frameworkPartsOf(provider, given);
    const template = Template.fromStack(stack).toJSON();
    for (const entryPoint of FRAMEWORK_ENTRY_POINTS) {
      const { construct, resource } = parts.functions[entryPoint];
      expect(template.Resources[stack.getLogicalId(resource)].Properties.Handler).toBe(`framework.${entryPoint}`);
      expect(construct).toBeInstanceOf(lambda.Function);
      expect(construct.node.defaultChild).toBe(resource);
    }
    const found = Object.values(parts.functions).map((f) => f.construct);
    for (const own of ['OnEventHandler', 'IsCompleteHandler'].map((id) => ours.node.findChild(id))) {
      expect(found).not.toContain(own);
    }
    expect(new Set(found).size).toBe(3);
  });

  test('finds the waiter\'s role: the one its state machine runs as, never a role given to the Provider', () => {
    const { stack, provider, given } = installedProvider();
    const { waiterRole } = frameworkPartsOf(provider, given);
    expect(given).not.toContain(waiterRole);
    const template = Template.fromStack(stack).toJSON();
    const [machine] = Object.values(template.Resources as Record<string, { Type: string; Properties: { RoleArn: unknown } }>)
      .filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    const roleId = stack.getLogicalId(waiterRole.node.defaultChild as iam.CfnRole);
    expect(machine.Properties.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });
});

/**
 * A construct tree shaped like aws-cdk-lib's Provider, with other construct ids than any release
 * uses: discovery must not depend on them.
 */
function fakeProvider(options: { entryPoints?: readonly string[]; machineRole?: 'waiter' | 'given' } = {}) {
  const stack = new Stack(new App(), 'Fake');
  const provider = new Construct(stack, 'SomeProvider');
  const given = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const functions: Record<string, lambda.Function> = {};
  (options.entryPoints ?? FRAMEWORK_ENTRY_POINTS).forEach((entryPoint, i) => {
    functions[entryPoint] = new lambda.Function(provider, `renamed-function-${i}`, {
      runtime: lambda.Runtime.NODEJS_20_X, handler: `framework.${entryPoint}`, code: lambda.Code.fromInline('exports.x = 1'), role: given,
    });
  });
  new lambda.Function(provider, 'a-user-function', {
    runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.onEvent', code: lambda.Code.fromInline('exports.x = 1'), role: given,
  });
  const nested = new Construct(provider, 'renamed-waiter');
  const waiter = new iam.Role(nested, 'renamed-role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
  new iam.Role(nested, 'unrelated-role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
  new sfn.CfnStateMachine(nested, 'renamed-machine', {
    roleArn: (options.machineRole === 'given' ? given : waiter).roleArn, definitionString: '{}',
  });
  return { provider, given, functions, waiter };
}

describe('independent of aws-cdk-lib\'s construct ids', () => {
  test('a Provider-shaped tree with other ids resolves to the same kinds of parts', () => {
    const { provider, given, functions, waiter } = fakeProvider();
    const parts = frameworkPartsOf(provider, [given]);
    for (const entryPoint of FRAMEWORK_ENTRY_POINTS) {
      expect(parts.functions[entryPoint].construct).toBe(functions[entryPoint]);
    }
    expect(parts.waiterRole).toBe(waiter);
  });

  test('a missing part fails synth with the aws-cdk-lib release and what to do', () => {
    const { provider, given } = fakeProvider({ entryPoints: ['onEvent', 'isComplete'] });
    const version = loadedAwsCdkLibVersion()!;
    expect(() => frameworkPartsOf(provider, [given])).toThrow(
      `cdk-provisioned-product-properties: aws-cdk-lib ${version} builds its custom resource Provider ('Fake/SomeProvider') `
      + `differently from the releases this library supports (${MIN_AWS_CDK_LIB_VERSION} and newer): it has no onTimeout function (Handler framework.onTimeout)`);
    expect(() => frameworkPartsOf(provider, [given])).toThrow(/Please report it at https:\/\/github\.com\/.+\/issues .*pin aws-cdk-lib/);
  });

  test('two candidates for one part are refused, not guessed between', () => {
    const { provider, given } = fakeProvider({ entryPoints: [...FRAMEWORK_ENTRY_POINTS, 'onEvent'] });
    expect(() => frameworkPartsOf(provider, [given])).toThrow(/it has 2 candidates for the onEvent function \(Handler framework\.onEvent\)/);
  });

  test('a state machine that runs as a role given to the Provider has no waiter role of its own to configure', () => {
    const { provider, given } = fakeProvider({ machineRole: 'given' });
    expect(() => frameworkPartsOf(provider, [given])).toThrow(/it has no waiter state machine role apart from the roles this library gives the Provider/);
  });
});
