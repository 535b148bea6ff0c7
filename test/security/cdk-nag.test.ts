/**
 * cdk-nag's AwsSolutions rules over the example app, the way a security review would run them:
 * no unacknowledged error or warning. Each acknowledgment sits next to the resource it covers
 * (in lib/ for the provider's resources, in the example app for the example's), with its reason.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ProvisionedProductProperties } from '../../lib';
import { ExampleStack } from '../integ.provisioned-product-properties';
import { nagFindings } from './nag';

const findings = (app: App) => nagFindings(app, AwsSolutionsChecks);

test('AwsSolutionsChecks finds no unacknowledged error or warning in the example app', () => {
  const app = new App();
  new ExampleStack(app, 'ProvisionedProductPropertiesExample');
  expect(findings(app)).toEqual([]);
});

test('nor with drift correction, a product found by name, and restoreOnDelete', () => {
  const app = new App();
  const stack = new Stack(app, 'Governed', { env: { account: '123456789012', region: 'us-east-1' } });
  new ProvisionedProductProperties(stack, 'Ownership', {
    provisionedProductName: 'legacy-app',
    owner: 'arn:aws:iam::123456789012:role/PlatformTeam',
    launchRole: iam.Role.fromRoleArn(stack, 'Launch', 'arn:aws:iam::123456789012:role/Launch'),
    restoreOnDelete: true,
    driftCorrection: events.Schedule.rate(Duration.hours(1)),
  });
  expect(findings(app)).toEqual([]);
});

test('the rules do run: an unacknowledged wildcard is reported', () => {
  const app = new App();
  const stack = new ExampleStack(app, 'Unacknowledged');
  // The example's launch role acknowledges its own findings by id; a new wildcard action is not among them.
  stack.launchRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  expect(findings(app)).toContainEqual(expect.stringMatching(/^error AwsSolutions-IAM5\[Action::s3:\*\] at Unacknowledged\/LaunchRole/));
});
