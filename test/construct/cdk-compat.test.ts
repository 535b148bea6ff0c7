/**
 * The supported aws-cdk-lib range (see lib/cdk-compat.ts). `npm test` runs this file against the
 * floor (the devDependency), and `.ci/run` again against the newest 2.x release
 * (scripts/cdk-releases.mjs): the same snapshot must hold for both.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ProvisionedProductProperties } from '../../lib';
import {
  MIN_AWS_CDK_LIB_VERSION, acknowledge, assertSupportedAwsCdkLib, isAtLeast, loadedAwsCdkLibVersion, toNagV2Rule,
} from '../../lib/cdk-compat';
import { defaultNodeRuntime } from '../../lib/provider/runtime-policy';

const OWNER = 'arn:aws:iam::123456789012:role/PlatformTeam';
const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('the aws-cdk-lib range', () => {
  test('the peer dependency starts at the floor, and the devDependency is pinned to it (build and tests run on it)', () => {
    expect(pkg.peerDependencies['aws-cdk-lib']).toBe(`^${MIN_AWS_CDK_LIB_VERSION}`);
    expect(pkg.devDependencies['aws-cdk-lib']).toBe(MIN_AWS_CDK_LIB_VERSION);
    // constructs likewise: 10.0.5 is the oldest release lib/ compiles and its tests pass against.
    expect(pkg.peerDependencies.constructs).toBe('^10.0.5');
    expect(pkg.devDependencies.constructs).toBe('10.0.5');
  });

  test('the loaded release is read from aws-cdk-lib itself (the one the tests run on)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const expected = process.env.EXPECT_AWS_CDK_LIB_VERSION ?? require('aws-cdk-lib/package.json').version;
    expect(loadedAwsCdkLibVersion()).toBe(expected);
    expect(() => assertSupportedAwsCdkLib()).not.toThrow();
  });

  test('below the floor, a message that names both releases and what to do', () => {
    expect(() => assertSupportedAwsCdkLib('2.182.0')).toThrow(
      `cdk-provisioned-product-properties needs aws-cdk-lib ${MIN_AWS_CDK_LIB_VERSION} or newer, and this app loads aws-cdk-lib 2.182.0.`);
    expect(() => assertSupportedAwsCdkLib('2.100.1')).toThrow(/Upgrade aws-cdk-lib \(npm install aws-cdk-lib@\^2\.183\.0; pip install/);
    for (const ok of [MIN_AWS_CDK_LIB_VERSION, '2.276.0', '2.1000.0', '0.0.0']) {
      expect(() => assertSupportedAwsCdkLib(ok)).not.toThrow();
    }
  });

  test('versions compare by number, not as strings', () => {
    expect(isAtLeast('2.1000.0', '2.183.0')).toBe(true);
    expect(isAtLeast('2.99.0', '2.183.0')).toBe(false);
    expect(isAtLeast('2.183.1', '2.183.0')).toBe(true);
    expect(isAtLeast('2.183.0-rc.1', '2.183.0')).toBe(true);
  });
});

describe('one template across the range', () => {
  const synth = (stack: Stack) => Template.fromStack(stack).toJSON();

  test('the framework functions run on the handlers\' runtime, also with no region (no runtime mapping left)', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
    const template = synth(stack);
    const runtimes = Object.values(template.Resources as Record<string, { Type: string; Properties: { Runtime?: unknown } }>)
      .filter((r) => r.Type === 'AWS::Lambda::Function').map((r) => r.Properties.Runtime);
    expect(runtimes).toEqual(Array(5).fill(defaultNodeRuntime()));
    expect(template.Mappings).toBeUndefined();
  });

  test('a runtime mapping that the app itself uses stays', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const runtime = lambda.determineLatestNodeRuntime(stack);
    new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
    new lambda.Function(stack, 'Own', { runtime, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1') });
    const template = synth(stack);
    // A release whose regions all share one runtime needs no mapping at all.
    const own = template.Resources[stack.getLogicalId(stack.node.findChild('Own').node.defaultChild as lambda.CfnFunction)];
    if (typeof own.Properties.Runtime === 'string') return;
    expect(Object.keys(template.Mappings ?? {})).toContain('LatestNodeRuntimeMap');
  });

  test('the waiter state machine does not log (the default changed in aws-cdk-lib 2.206)', () => {
    const stack = new Stack(new App(), 'S');
    new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
    Template.fromStack(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', { LoggingConfiguration: Match.absent() });
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 1);
  });

  test('the provider\'s resources are the same on the floor and on the newest release (asset hashes and the runtime policy\'s choice masked)', () => {
    const stack = new Stack(new App(), 'Stable', { env: { account: '123456789012', region: 'us-east-1' } });
    new ProvisionedProductProperties(stack, 'P', {
      provisionedProductId: 'pp-1', owner: OWNER,
      launchRole: iam.Role.fromRoleArn(stack, 'Launch', 'arn:aws:iam::123456789012:role/Launch'),
    });
    const text = JSON.stringify(synth(stack), null, 1).replace(/[0-9a-f]{64}\.zip/g, '<asset hash>.zip')
      .replaceAll(`"${defaultNodeRuntime()}"`, '"<runtime policy>"');
    expect(JSON.parse(text)).toMatchSnapshot();
  });
});

describe('acknowledgements for cdk-nag v2 and v3', () => {
  test('a granular finding becomes cdk-nag v2\'s id with applies_to', () => {
    expect(toNagV2Rule({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'why' }))
      .toEqual({ id: 'AwsSolutions-IAM5', reason: 'why', applies_to: ['Resource::*'] });
    expect(toNagV2Rule({ id: 'AwsSolutions-SF1', reason: 'why' })).toEqual({ id: 'AwsSolutions-SF1', reason: 'why' });
  });

  test('written as template metadata on each resource under the scope, once each, next to what was there', () => {
    const stack = new Stack(new App(), 'S');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'i.h', code: lambda.Code.fromInline('x') });
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    cfn.addMetadata('cdk_nag', { rules_to_suppress: [{ id: 'Mine-1', reason: 'already there' }] });
    acknowledge(fn, { id: 'AwsSolutions-L1', reason: 'pinned on purpose' });
    acknowledge(fn, { id: 'AwsSolutions-L1', reason: 'pinned on purpose' });
    expect(cfn.getMetadata('cdk_nag')).toEqual({
      rules_to_suppress: [{ id: 'Mine-1', reason: 'already there' }, { id: 'AwsSolutions-L1', reason: 'pinned on purpose' }],
    });
    // The role lambda.Function made is under the scope too.
    expect((fn.role!.node.defaultChild as lambda.CfnFunction).getMetadata('cdk_nag').rules_to_suppress).toHaveLength(1);
  });

  test('a scope with no resource (a role iam.Role.customizeRoles does not synthesize) gets nothing, and no error', () => {
    const stack = new Stack(new App(), 'S');
    const empty = new Stack(stack, 'Empty');
    expect(() => acknowledge(empty, { id: 'X-1', reason: 'no resource here' })).not.toThrow();
    expect(empty.node.findAll().some((c) => c.node.metadata.some((m) => m.type === 'aws:cdk:cloudformation:metadata'))).toBe(false);
  });
});
