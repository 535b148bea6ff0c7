/**
 * IAM's default quota of 10 managed policies per role, at its edge: the most launch roles that
 * synth accepts leave the handler role with exactly 10 managed policies (its own one included with
 * managedPoliciesOnly), and one launch role more fails synth. A role with 11 must never synthesize:
 * CloudFormation would fail the deploy half-way, with the stack's other changes made.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../../lib';

const ACCOUNT = '123456789012';
/** A realistic CloudFormation-generated role name: stack, logical id and a 12-character suffix. */
const launchRoleArn = (i: number) => `arn:aws:iam::${ACCOUNT}:role/ProvisionedProductsStack-LaunchRole${String(i).padStart(4, '0')}A1B2C3D4-Xy7Zk9Qw3Rt5`;

/**
 * Filling 10 policies takes about 550 distinct launch roles, past CloudFormation's 500 resources
 * per stack: aws-cdk-lib's resource check is lifted so that the IAM limit is the one met.
 */
const NO_RESOURCE_LIMIT = { '@aws-cdk/core:stackResourceLimit': 0 };

function stackWith(managedPoliciesOnly: boolean): Stack {
  const stack = new Stack(new App({ context: NO_RESOURCE_LIMIT }), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
  if (managedPoliciesOnly) ProvisionedProductProperties.configureProvider(stack, { managedPoliciesOnly: true });
  return stack;
}

function declare(stack: Stack, i: number): void {
  new ProvisionedProductProperties(stack, `P${i}`, { provisionedProductId: `pp-${i}`, launchRole: iam.Role.fromRoleArn(stack, `R${i}`, launchRoleArn(i)) });
}

/** How many distinct launch roles synth accepts before it refuses one, and its message. */
function mostAccepted(managedPoliciesOnly: boolean): { accepted: number; error: string } {
  const stack = stackWith(managedPoliciesOnly);
  for (let i = 0; i < 2_000; i++) {
    try {
      declare(stack, i);
    } catch (error) {
      return { accepted: i, error: String(error) };
    }
  }
  throw new Error('2,000 distinct launch roles were all accepted');
}

/** The managed policies attached to the stack's handler role, through its ManagedPolicyArns. */
function handlerRoleManagedPolicies(template: Template): unknown[] {
  const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) => id.includes('HandlerRole'));
  expect(roles).toHaveLength(1);
  return (roles[0][1] as any).Properties.ManagedPolicyArns ?? [];
}

test.each([
  ['inline statements (default)', false],
  ['managedPoliciesOnly', true],
])('with %s: the most launch roles synth accepts give the handler role exactly 10 managed policies; one more fails synth', (_, managedPoliciesOnly) => {
  const { accepted, error } = mostAccepted(managedPoliciesOnly);
  expect(error).toMatch(/no longer fit in \d+ managed policies of the handler role \(IAM's default quota\)/);
  const stack = stackWith(managedPoliciesOnly);
  for (let i = 0; i < accepted; i++) declare(stack, i);
  const template = Template.fromStack(stack);
  expect(handlerRoleManagedPolicies(template)).toHaveLength(10);
  for (const policy of Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[]) {
    expect(JSON.stringify(policy.Properties.PolicyDocument).length).toBeLessThanOrEqual(6_144);
  }
});
