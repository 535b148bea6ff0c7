/**
 * The drift schedule's input budget with the input transformer's envelope: filled to the bound
 * with the longest literal values, every target's template stays within the budget, and so
 * within EventBridge's 8,192 characters.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../../lib';
import { MAX_TARGET_INPUT_CHARACTERS } from '../../lib/drift/schedule';
import { deliver, ruleTargetInputs, scheduledEvent } from '../eventbridge-delivery';

const ACCOUNT = '123456789012';
const HOURLY = events.Schedule.rate(Duration.hours(1));

test('at the bound, with a 128-character stack name and distinct 64-character principals, each template fits', () => {
  const stackName = `S${'x'.repeat(127)}`;
  const stack = new Stack(new App(), 'Long', { stackName, env: { account: ACCOUNT, region: 'us-east-1' } });
  const added: string[] = [];
  expect(() => {
    for (let i = 0; ; i++) {
      const name = `${String(i).padStart(6, '0')}-${'n'.repeat(121)}`;
      const role = (kind: string) => `arn:aws:iam::${ACCOUNT}:role/${kind}${String(i).padStart(6, '0')}${'r'.repeat(52)}`;
      new ProvisionedProductProperties(stack, `P${i}`, {
        provisionedProductName: name, owner: role('o'), launchRole: iam.Role.fromRoleArn(stack, `L${i}`, role('l')),
        acceptLanguage: 'jp' as never, driftCorrection: HOURLY,
      });
      added.push(name);
    }
  }).toThrow(/holds at most 5 EventBridge targets/);
  const inputs = ruleTargetInputs(Template.fromStack(stack));
  expect(inputs).toHaveLength(5);
  const event = scheduledEvent();
  const delivered = inputs.flatMap((input) => {
    expect(input.inputTemplate.length).toBeLessThanOrEqual(MAX_TARGET_INPUT_CHARACTERS);
    const payload = deliver(input, event);
    expect(payload).toMatchObject({ stackName, id: event.id, time: event.time });
    return (payload.products as string[][]).map((p) => p[0]);
  });
  // Every declaration that was accepted is in an input; the one refused is not.
  expect(delivered).toEqual(added);
});
