/**
 * The runtime policy (lib/provider/runtime-policy.ts) under cdk-nag's AwsSolutions-L1, which
 * compares each function's runtime with the newest Node.js runtime the loaded aws-cdk-lib knows.
 * `npm test` runs it on the floor with cdk-nag v2, `.ci/run` on the newest release with cdk-nag v3.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ProvisionedProductProperties } from '../../lib';
import { TESTED_NODE_RUNTIMES, knownNodeRuntimes } from '../../lib/provider/runtime-policy';
import { nagFindings } from './nag';

const OWNER = 'arn:aws:iam::123456789012:role/PlatformTeam';

function appWithProvider(runtime?: lambda.Runtime): App {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  if (runtime) ProvisionedProductProperties.configureProvider(stack, { runtime });
  new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: OWNER });
  return app;
}

const l1 = (app: App) => nagFindings(app, AwsSolutionsChecks).filter((f) => f.includes('AwsSolutions-L1'));

test('the default runtime is the newest this aws-cdk-lib knows: no L1 finding', () => {
  expect(l1(appWithProvider())).toEqual([]);
});

test('a runtime the user chooses that is not the newest known is reported, not acknowledged', () => {
  const oldest = lambda.Runtime.ALL.find((r) => r.name === TESTED_NODE_RUNTIMES[0])!;
  const findings = l1(appWithProvider(oldest));
  // Our three functions and the framework's three... of which the drift function is absent: five.
  expect(findings).toHaveLength(5);
  expect(findings.every((f) => f.startsWith('error AwsSolutions-L1 at S/ProvisionedProductPropertiesProvider/'))).toBe(true);
});

test('an aws-cdk-lib that knows a runtime this release has not tested: the newest tested one, acknowledged with why', () => {
  // What the next aws-cdk-lib release will do: define a newer Node.js runtime (this file only; jest isolates modules per file).
  new lambda.Runtime('nodejs98.x', lambda.RuntimeFamily.NODEJS);
  expect(knownNodeRuntimes().at(-1)).toBe('nodejs98.x');
  const app = appWithProvider();
  expect(l1(app)).toEqual([]);
  const template = app.synth().getStackByName('S').template as { Resources: Record<string, { Type: string; Properties: { Runtime?: string }; Metadata?: Record<string, unknown> }> };
  const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  expect(functions).toHaveLength(5);
  for (const fn of functions) {
    expect(TESTED_NODE_RUNTIMES).toContain(fn.Properties.Runtime);
    expect(JSON.stringify(fn.Metadata)).toMatch(/AwsSolutions-L1.*knows nodejs98\.x.*tested its bundle on nodejs22\.x, nodejs24\.x, nodejs26\.x only/);
  }
});
