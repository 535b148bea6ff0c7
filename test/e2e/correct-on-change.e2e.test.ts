/**
 * Correct at once (correctOnChange): a change-triggered evaluation that finds drift invokes the
 * stack's drift function asynchronously (the real SDK to the Lambda Invoke fake); delivered, the
 * drift function corrects the product, and the next change-triggered evaluation is COMPLIANT.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { ProvisionedProductComplianceRule, ProvisionedProductProperties } from '../../lib';
import { changeNotification, deployCompliance, scheduledNotification, useConfigFake } from './compliance-setup';
import { ACCOUNT, arn, useEndToEnd } from './e2e-setup';
import { LambdaInvokeFake } from './lambda-invoke-fake';

const e2e = useEndToEnd();
const config = useConfigFake();
let lambda: LambdaInvokeFake;
beforeAll(async () => {
  lambda = await LambdaInvokeFake.start();
  process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.endpoint;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_LAMBDA;
  await lambda?.stop();
});

const ALICE = arn('user/alice');
const OWNER = arn('role/PlatformTeam');

function correctingStack(stackName: string, ids: string[]) {
  const stack = new Stack(new App(), stackName, { env: { account: ACCOUNT, region: 'us-east-1' } });
  ids.forEach((id) => new ProvisionedProductProperties(stack, id, { provisionedProductId: id, owner: OWNER, driftCorrection: events.Schedule.rate(Duration.days(1)) }));
  new ProvisionedProductComplianceRule(stack, 'Compliance', { correctOnChange: true });
  const driftFunction = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
    .find(([, f]) => (f as any).Properties.Handler === 'index.correctDrift')![0];
  return { ...deployCompliance(e2e, config.fake, stack), driftFunction };
}

test('a console change is reported NON_COMPLIANT, corrected at once through the drift function, then COMPLIANT', async () => {
  const id = 'pp-cfgnow00001';
  e2e.fake.addProduct({ id, ownerArn: ALICE });
  // Search keeps showing ALICE after the correction, under every reading: how late it shows an OWNER change is undocumented.
  e2e.fake.configureProduct(id, { searchLagMs: Infinity });
  const rule = correctingStack('CorrectNow', [id, 'pp-cfgnow00002']);
  e2e.fake.addProduct({ id: 'pp-cfgnow00002', ownerArn: OWNER });
  const change = changeNotification({ resourceId: id, at: new Date('2026-03-04T05:06:07Z') });
  const queued = lambda.invocations.length;
  await expect(rule.evaluate(change)).resolves.toMatchObject({ nonCompliant: 1, correctionRequested: true });
  expect(rule.evaluationOf(id)).toMatchObject({ ComplianceType: 'NON_COMPLIANT' });

  const [invocation] = lambda.invocations.slice(queued);
  expect(invocation).toMatchObject({ functionName: rule.driftFunction, invocationType: 'Event' });
  expect(invocation.payload).toMatchObject({ id: expect.stringMatching(/^config-/), time: '2026-03-04T05:06:07.000Z', stackName: 'CorrectNow' });
  // Lambda delivers the queued event: the drift function corrects, acting only because the input is its rule's target.
  await expect(rule.drift.run(invocation.payload)).resolves.toMatchObject({ corrected: 1 });
  expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);

  // Search never shows the correction (configured above): the rule reads the owner the drift run recorded in the ledger.
  await expect(rule.evaluate(changeNotification({ resourceId: id, at: new Date('2026-03-04T05:10:00Z') })))
    .resolves.toMatchObject({ compliant: 1, nonCompliant: 0 });
  expect(rule.evaluationOf(id)).toMatchObject({ ComplianceType: 'COMPLIANT' });
});

test('a redelivered Config event asks with the same event id (the same idempotency token); a compliant product or a periodic evaluation asks nothing', async () => {
  const id = 'pp-cfgnow00003';
  e2e.fake.addProduct({ id, ownerArn: ALICE });
  e2e.fake.addProduct({ id: 'pp-cfgnow00004', ownerArn: OWNER });
  const rule = correctingStack('CorrectOnce', [id, 'pp-cfgnow00004']);
  const change = changeNotification({ resourceId: id, at: new Date('2026-03-04T06:00:00Z') });
  const queued = lambda.invocations.length;
  await rule.evaluate(change);
  await rule.evaluate(change);
  const ids = lambda.invocations.slice(queued).map((i) => i.payload.id);
  expect(ids).toHaveLength(2);
  expect(ids[0]).toBe(ids[1]);

  const more = lambda.invocations.length;
  await expect(rule.evaluate(changeNotification({ resourceId: 'pp-cfgnow00004' }))).resolves.not.toHaveProperty('correctionRequested');
  await rule.evaluate(scheduledNotification());
  expect(lambda.invocations.length).toBe(more);
});
