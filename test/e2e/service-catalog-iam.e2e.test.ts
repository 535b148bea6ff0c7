/**
 * The Service Catalog stand-in applies the IAM of the template in force, as the SSM one does: a
 * grant missing from a function's role is a failure here, not only in an account. Each test builds
 * the template, removes one action from one role, and runs the function under it.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { ProvisionedProductComplianceRule, ProvisionedProductProperties } from '../../lib';
import { STACK_ID, TemplateJson, createRequest } from './cloudformation-request';
import { ON_EVENT_HANDLER, functionAllowed } from './cloudformation-fake/template-iam';
import { deployCompliance, scheduledNotification, useConfigFake } from './compliance-setup';
import { ACCOUNT, arn, synthesizedResource, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();
const config = useConfigFake();

const ALICE = arn('user/alice');
const OWNER = arn('role/PlatformTeam');
const DESCRIBE_RECORD = 'servicecatalog:DescribeRecord';

/**
 * A copy of `template` where the role of function `handler` lacks `action` in every policy the
 * library attaches to it. Throws if the role had no such grant, so a test cannot pass vacuously.
 */
function withoutGrant(template: TemplateJson, handler: string, action: string): TemplateJson {
  const copy = JSON.parse(JSON.stringify(template)) as TemplateJson;
  if (!functionAllowed(copy, handler, action)) throw new Error(`the role of ${handler} has no ${action} to remove`);
  const fn = Object.values(copy.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Handler === handler)!;
  const roleId = (fn.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  for (const resource of Object.values(copy.Resources)) {
    const roles = resource.Properties?.Roles as { Ref?: string }[] | undefined;
    if (resource.Type !== 'AWS::IAM::Policy' || !roles?.some((r) => r.Ref === roleId)) continue;
    for (const statement of (resource.Properties!.PolicyDocument as { Statement: { Action?: string | string[] }[] }).Statement) {
      statement.Action = [statement.Action ?? []].flat().filter((a) => a !== action);
    }
  }
  if (functionAllowed(copy, handler, action)) throw new Error(`${action} is still granted to ${handler}'s role another way`);
  return copy;
}

test('the handler role without servicecatalog:DescribeRecord: the deploy fails, naming the permission', async () => {
  const id = 'pp-iamrecord01';
  e2e.fake.addProduct({ id, ownerArn: ALICE });
  const resource = synthesizedResource({ id, owner: OWNER });
  e2e.cloudFormation.setTemplateInForce(STACK_ID, withoutGrant(resource.template, ON_EVENT_HANDLER, DESCRIBE_RECORD));
  try {
    const response = await e2e.harness.send(createRequest(resource));
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(new RegExp(`^Could not read the status of provisioned product ${id} \\(AccessDeniedException: [^)]*${DESCRIBE_RECORD}[^)]*\\)\\. `
      + `Check the handler role's .*${DESCRIBE_RECORD}`));
    expect(e2e.fake.callsOf('DescribeRecord').map((c) => c.outcome)).toContain('AccessDeniedException');
  } finally {
    e2e.cloudFormation.setTemplateInForce(STACK_ID, resource.template);
  }
});

test('the same deploy under the template as synthesized succeeds: the failure above is the missing grant alone', async () => {
  const id = 'pp-iamrecord02';
  e2e.fake.addProduct({ id, ownerArn: ALICE });
  const resource = synthesizedResource({ id, owner: OWNER });
  e2e.cloudFormation.setTemplateInForce(STACK_ID, resource.template);
  await expect(e2e.harness.send(createRequest(resource))).resolves.toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
  expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
});

/** A stack with one declaration under drift correction and the Config rule, "deployed" under `iam`. */
function complianceStack(stackName: string, id: string, iam?: (synthesized: TemplateJson) => TemplateJson) {
  const stack = new Stack(new App(), stackName, { env: { account: ACCOUNT, region: 'us-east-1' } });
  new ProvisionedProductProperties(stack, 'P0', { provisionedProductId: id, owner: OWNER, driftCorrection: events.Schedule.rate(Duration.hours(1)) });
  new ProvisionedProductComplianceRule(stack, 'Compliance');
  return deployCompliance(e2e, config.fake, stack, { iam });
}

describe('the Config rule\'s role, after a drift correction the ledger records while Search still shows the drift', () => {
  async function corrected(id: string, stackName: string, iam?: (synthesized: TemplateJson) => TemplateJson) {
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    e2e.fake.configureProduct(id, { searchLagMs: Infinity });
    const rule = complianceStack(stackName, id, iam);
    await expect(rule.drift.run(rule.drift.input())).resolves.toMatchObject({ corrected: 1 });
    return rule;
  }

  test('without servicecatalog:DescribeRecord: the product is not verified, so not COMPLIANT', async () => {
    const id = 'pp-iamconfig01';
    const rule = await corrected(id, 'IamConfigDenied', (t) => withoutGrant(t, 'index.evaluateCompliance', DESCRIBE_RECORD));
    const deniedBefore = e2e.fake.callsOf('DescribeRecord').filter((c) => c.outcome === 'AccessDeniedException').length;
    await expect(rule.evaluate(scheduledNotification())).resolves.toMatchObject({ compliant: 0 });
    expect(rule.evaluationOf(id)).toMatchObject({
      ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringMatching(new RegExp(`^Could not be verified: .*${DESCRIBE_RECORD}`)),
    });
    expect(e2e.fake.callsOf('DescribeRecord').filter((c) => c.outcome === 'AccessDeniedException').length).toBeGreaterThan(deniedBefore);
  });

  test('with the grant as synthesized: COMPLIANT', async () => {
    const id = 'pp-iamconfig02';
    const rule = await corrected(id, 'IamConfigGranted');
    await expect(rule.evaluate(scheduledNotification())).resolves.toMatchObject({ compliant: 1, nonCompliant: 0 });
    expect(rule.evaluationOf(id)).toMatchObject({ ComplianceType: 'COMPLIANT' });
  });
});
