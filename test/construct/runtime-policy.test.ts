import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ProvisionedProductProperties } from '../../lib';
import {
  MIN_DEFAULT_NODE_RUNTIME, TESTED_NODE_RUNTIMES, chooseNodeRuntime, defaultNodeRuntime, knownNodeRuntimes,
} from '../../lib/provider/runtime-policy';

const upTo = (major: number) => [18, 20, 22, 24, 26, 28, 30].filter((m) => m <= major).map((m) => `nodejs${m}.x`);

describe('the runtime policy: the newest runtime aws-cdk-lib knows and the bundle is tested on, at least Node.js 24', () => {
  test.each([
    // [newest Node.js the aws-cdk-lib release knows, runtime, L1 acknowledged]
    [22, 'nodejs24.x', false], // aws-cdk-lib before 2.224.0: Node.js 24 by name
    [24, 'nodejs24.x', false],
    [26, 'nodejs26.x', false],
    [28, 'nodejs26.x', true], // newer than any tested: the newest tested, acknowledged
    [30, 'nodejs26.x', true],
  ])('aws-cdk-lib knows up to Node.js %i: %s (acknowledged: %s)', (newest, runtime, acknowledged) => {
    const known = upTo(newest);
    expect(defaultNodeRuntime(known)).toBe(runtime);
    const choice = chooseNodeRuntime(undefined, known);
    expect(choice.runtime.name).toBe(runtime);
    expect(choice.acknowledgements.map((a) => a.id)).toEqual(acknowledged ? ['AwsSolutions-L1'] : []);
  });

  test('a runtime the user chooses is used as given and never acknowledged', () => {
    const chosen = new lambda.Runtime('nodejs22.x', lambda.RuntimeFamily.NODEJS);
    const choice = chooseNodeRuntime(chosen, upTo(30));
    expect(choice.runtime).toBe(chosen);
    expect(choice.acknowledgements).toEqual([]);
  });

  test('the policy\'s floor is itself a tested runtime', () => {
    expect(TESTED_NODE_RUNTIMES).toContain(MIN_DEFAULT_NODE_RUNTIME);
  });
});

describe('every function of the provider runs on the policy\'s runtime', () => {
  const runtimesOf = (stack: Stack) => Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: { Runtime?: string } }>)
    .filter((r) => r.Type === 'AWS::Lambda::Function').map((r) => r.Properties.Runtime);

  test('by default, on the loaded aws-cdk-lib', () => {
    const stack = new Stack(new App(), 'Default');
    new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: 'arn:aws:iam::123456789012:role/O' });
    const expected = defaultNodeRuntime(knownNodeRuntimes());
    expect(runtimesOf(stack)).toEqual(Array(5).fill(expected));
  });

  test('configureProvider({ runtime }) sets them all', () => {
    const stack = new Stack(new App(), 'Chosen');
    ProvisionedProductProperties.configureProvider(stack, { runtime: new lambda.Runtime('nodejs22.x', lambda.RuntimeFamily.NODEJS) });
    new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: 'arn:aws:iam::123456789012:role/O' });
    expect(runtimesOf(stack)).toEqual(Array(5).fill('nodejs22.x'));
  });

  test('a runtime the bundle is not tested on is refused, naming the prop, the value and what to do', () => {
    const stack = new Stack(new App(), 'Old');
    expect(() => ProvisionedProductProperties.configureProvider(stack, { runtime: lambda.Runtime.NODEJS_18_X }))
      .toThrow(/configureProvider: Invalid runtime "nodejs18.x": the provider's bundle is tested on nodejs22.x, nodejs24.x, nodejs26.x only\. Pick one/);
    expect(() => ProvisionedProductProperties.configureProvider(stack, { runtime: lambda.Runtime.PYTHON_3_12 }))
      .toThrow(/Invalid runtime "python3.12"/);
  });
});
