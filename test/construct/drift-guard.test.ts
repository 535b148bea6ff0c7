/**
 * What the template gives the drift function so that it acts only on its stack's declarations and
 * orders itself against deploys (lambda/drift/stack-guard.ts): its rule's name and its stack's id
 * in its environment, and read access to exactly that rule and that stack.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { ProvisionedProductProperties } from '../../lib';
import { driftRuleName } from '../../lib/drift/schedule';
import { DRIFT_RULE_NAME_ENV, DRIFT_STACK_ID_ENV } from '../../lib/shared/drift-payload';

function synth(stackName: string) {
  const stack = new Stack(new App(), 'Stack', { stackName, env: { account: '123456789012', region: 'eu-west-1' } });
  new ProvisionedProductProperties(stack, 'Ownership', {
    provisionedProductId: 'pp-1', owner: 'arn:aws:iam::123456789012:role/Owner', driftCorrection: events.Schedule.rate(Duration.hours(1)),
  });
  return Template.fromStack(stack);
}

test('the function is told its rule\'s name (fixed at synth) and its stack\'s id, and may read only those', () => {
  const template = synth('team-stack');
  const [rule] = Object.values(template.findResources('AWS::Events::Rule')) as any[];
  const ruleName: string = rule.Properties.Name;
  expect(ruleName).toMatch(/^team-stack-DriftCorrection-[0-9a-f]{8}$/);
  template.hasResourceProperties('AWS::Lambda::Function', {
    Handler: 'index.correctDrift',
    Environment: { Variables: { [DRIFT_RULE_NAME_ENV]: ruleName, [DRIFT_STACK_ID_ENV]: { Ref: 'AWS::StackId' } } },
  });
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([
      { Action: 'events:ListTargetsByRule', Effect: 'Allow', Resource: Match.anyValue() },
      { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
    ]) },
  });
  const statement = (Object.values(template.findResources('AWS::IAM::Policy')) as any[])
    .flatMap((p) => p.Properties.PolicyDocument.Statement).find((s: any) => s.Action === 'events:ListTargetsByRule');
  expect(JSON.stringify(statement.Resource)).toContain(`:events:eu-west-1:123456789012:rule/${ruleName}`);
});

test('rule names stay within EventBridge\'s 64 characters and differ between stacks', () => {
  const long = synth('a'.repeat(128));
  const names = [long, synth('team-stack'), synth('other-stack')]
    .map((t) => (Object.values(t.findResources('AWS::Events::Rule'))[0] as any).Properties.Name as string);
  for (const name of names) expect(name).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
  expect(new Set(names).size).toBe(3);
  expect(driftRuleName(new Stack(new App(), 'S', { stackName: 'x' }))).toMatch(/^x-DriftCorrection-/);
});
