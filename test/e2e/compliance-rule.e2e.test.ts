/**
 * The AWS Config rule end to end: the built asset's evaluateCompliance, invoked with the events
 * Config sends, reading the declarations in force from the drift rule's targets (EventBridge
 * fake), the products through the real SDK (Service Catalog fake), and reporting through the
 * real @aws-sdk/client-config-service to the Config fake, which enforces PutEvaluations' limits.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { DriftMode, ProvisionedProductComplianceRule, ProvisionedProductProperties } from '../../lib';
import { PRODUCT_TYPE, changeNotification, deployCompliance, scheduledNotification, useConfigFake } from './compliance-setup';
import { ACCOUNT, arn, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();
const config = useConfigFake();

const ALICE = arn('user/alice');
const OWNER = arn('role/PlatformTeam');

function complianceStack(stackName: string, products: { id?: string; name?: string }[], driftMode?: DriftMode, context?: Record<string, unknown>) {
  const stack = new Stack(new App({ context }), stackName, { env: { account: ACCOUNT, region: 'us-east-1' } });
  products.forEach((p, i) => new ProvisionedProductProperties(stack, `P${i}`, {
    provisionedProductId: p.id, provisionedProductName: p.name, owner: OWNER, driftCorrection: events.Schedule.rate(Duration.hours(1)), driftMode,
  }));
  new ProvisionedProductComplianceRule(stack, 'Compliance');
  return deployCompliance(e2e, config.fake, stack);
}

test('a drifted product is NON_COMPLIANT with what differs, and COMPLIANT once the drift correction put it back, whatever Search still shows', async () => {
  const id = 'pp-cfgdrift001';
  e2e.fake.addProduct({ id, ownerArn: ALICE });
  // Search keeps showing ALICE after the correction, under every reading: how late it shows an OWNER change is undocumented.
  e2e.fake.configureProduct(id, { searchLagMs: Infinity });
  const rule = complianceStack('ConfigDrift', [{ id }]);
  await expect(rule.evaluate(scheduledNotification())).resolves.toMatchObject({ declared: 1, nonCompliant: 1, compliant: 0, putEvaluationsCalls: 1 });
  const before = rule.evaluationOf(id)!;
  expect(before).toMatchObject({ ComplianceResourceType: PRODUCT_TYPE, ComplianceType: 'NON_COMPLIANT' });
  expect(before.Annotation).toContain(`OWNER is ${ALICE}, declared ${OWNER}`);
  expect([...before.Annotation!].length).toBeLessThanOrEqual(256);
  expect(e2e.fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id)).toHaveLength(0);

  await expect(rule.drift.run(rule.drift.input())).resolves.toMatchObject({ corrected: 1 });
  // Search never shows the correction (configured above): the rule reads the owner the drift run recorded in the ledger.
  await expect(rule.evaluate(scheduledNotification(new Date(Date.now() + 1000)))).resolves.toMatchObject({ compliant: 1, nonCompliant: 0 });
  expect(rule.evaluationOf(id)).toMatchObject({ ComplianceType: 'COMPLIANT' });
});

test('a product Search does not list is not "compliant": NON_COMPLIANT, could not be verified', async () => {
  const id = 'pp-cfgunlist01';
  e2e.fake.addProduct({ id, ownerArn: OWNER, neverListed: true });
  const rule = complianceStack('ConfigUnlisted', [{ id }]);
  await rule.evaluate(scheduledNotification());
  expect(rule.evaluationOf(id)).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringContaining('Could not be verified') });
});

test('a busy product is evaluated from what it has now, and the rule writes nothing to it', async () => {
  const id = 'pp-cfgbusy0001';
  e2e.fake.addProduct({ id, ownerArn: ALICE, status: 'UNDER_CHANGE' });
  const rule = complianceStack('ConfigBusy', [{ id }]);
  await rule.evaluate(scheduledNotification());
  expect(rule.evaluationOf(id)).toMatchObject({ ComplianceType: 'NON_COMPLIANT' });
  expect(e2e.fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id)).toHaveLength(0);
});

describe('throttling', () => {
  test('Config throttling its reads and PutEvaluations: the SDK retries, and the evaluations land', async () => {
    const id = 'pp-cfgthrot001';
    e2e.fake.addProduct({ id, ownerArn: OWNER });
    const rule = complianceStack('ConfigThrottled', [{ id }]);
    const refusedBefore = config.fake.refusals.length;
    config.fake.throttle('GetComplianceDetailsByConfigRule', 1);
    config.fake.throttle('PutEvaluations', 2);
    await expect(rule.evaluate(scheduledNotification())).resolves.toMatchObject({ compliant: 1 });
    expect(config.fake.refusals.slice(refusedBefore)).toEqual(['ThrottlingException', 'ThrottlingException', 'ThrottlingException']);
    expect(rule.evaluationOf(id)).toMatchObject({ ComplianceType: 'COMPLIANT' });
  });

  test('Service Catalog not answering past the retries: no evaluation this time (Config keeps the last one), the others still reported', async () => {
    const named = 'team-cfg-unanswered';
    e2e.fake.addProduct({ id: 'pp-cfgnamed001', name: named, ownerArn: OWNER });
    e2e.fake.addProduct({ id: 'pp-cfgother001', ownerArn: OWNER });
    const rule = complianceStack('ConfigUnanswered', [{ name: named }, { id: 'pp-cfgother001' }]);
    e2e.fake.injectFaults('DescribeProvisionedProduct', ...Array(8).fill({ kind: 'server-error' }));
    try {
      await expect(rule.evaluate(scheduledNotification())).resolves.toMatchObject({ declared: 2, skipped: 1, compliant: 1 });
    } finally {
      e2e.fake.clearFaults();
    }
    expect(rule.evaluationOf('pp-cfgnamed001')).toBeUndefined();
    expect(rule.evaluationOf('pp-cfgother001')).toMatchObject({ ComplianceType: 'COMPLIANT' });
  });
});

// With the provider's 23 resources, one stack deploys at most 477 declarations (CloudFormation's 500
// resources per stack): the 480 declarations' targets are synthesized with aws-cdk-lib's resource
// limit lifted. The function reads the targets' inputs, whatever deployed them.
test('480 declarations: every product evaluated, in calls of at most 100 evaluations, each with the ResultToken', async () => {
  const ids = Array.from({ length: 480 }, (_, i) => `pp-cfgscale${String(i).padStart(3, '0')}`);
  ids.forEach((id, i) => e2e.fake.addProduct({ id, ownerArn: i % 7 === 0 ? ALICE : OWNER }));
  const rule = complianceStack('ConfigScale', ids.map((id) => ({ id })), DriftMode.REPORT, { '@aws-cdk/core:stackResourceLimit': 0 });
  const callsBefore = config.fake.calls.length;
  const token = config.fake.issueResultToken(rule.ruleName);
  const summary = await rule.evaluate(scheduledNotification(), { resultToken: token });
  const calls = config.fake.calls.slice(callsBefore);
  expect(calls.map((c) => c.evaluations.length)).toEqual([100, 100, 100, 100, 80]);
  expect(calls.every((c) => c.resultToken === token)).toBe(true);
  expect(summary).toMatchObject({ declared: 480, evaluations: 480, nonCompliant: ids.filter((_, i) => i % 7 === 0).length, putEvaluationsCalls: 5 });
  expect(ids.every((id) => rule.evaluationOf(id) !== undefined)).toBe(true);
}, 180_000); // about 30 s under the adversarial readings (Search pages of 5, filtered after paging) on 2 shared cores

describe('a configuration change', () => {
  test('of a declared product: that product alone is evaluated, at the configuration item\'s time', async () => {
    e2e.fake.addProduct({ id: 'pp-cfgchange01', ownerArn: ALICE });
    e2e.fake.addProduct({ id: 'pp-cfgchange02', ownerArn: ALICE });
    const rule = complianceStack('ConfigChange', [{ id: 'pp-cfgchange01' }, { id: 'pp-cfgchange02' }]);
    const at = new Date('2026-01-02T03:04:05Z');
    await expect(rule.evaluate(changeNotification({ resourceId: 'pp-cfgchange01', at }))).resolves.toMatchObject({ evaluations: 1, nonCompliant: 1 });
    expect(rule.evaluationOf('pp-cfgchange01')).toMatchObject({ ComplianceType: 'NON_COMPLIANT', OrderingTimestamp: at.getTime() / 1000 });
    expect(rule.evaluationOf('pp-cfgchange02')).toBeUndefined();
  });

  // What Config uses as this type's resource id is undocumented: the id, or the product's ARN.
  test('of a declared product Config names by its ARN: matched, and reported on the id Config sent', async () => {
    const id = 'pp-cfgarnform1';
    e2e.fake.addProduct({ id, name: 'team-arn-form', ownerArn: OWNER });
    const rule = complianceStack('ConfigArnForm', [{ id }, { name: 'team-arn-form-2' }]);
    const resourceArn = `arn:aws:servicecatalog:us-east-1:${ACCOUNT}:stack/team-arn-form/${id}`;
    await expect(rule.evaluate(changeNotification({ resourceId: resourceArn, resourceName: 'team-arn-form' }))).resolves.toMatchObject({ evaluations: 1, compliant: 1 });
    expect(rule.evaluationOf(resourceArn)).toMatchObject({ ComplianceType: 'COMPLIANT' });
  });

  test('of a product the stack does not declare: NOT_APPLICABLE, never COMPLIANT', async () => {
    e2e.fake.addProduct({ id: 'pp-cfgelse0001', ownerArn: ALICE });
    const rule = complianceStack('ConfigElse', [{ id: 'pp-cfgdeclared1' }]);
    await rule.evaluate(changeNotification({ resourceId: 'pp-cfgelse0001' }));
    expect(rule.evaluationOf('pp-cfgelse0001')).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringContaining('Not declared') });
  });

  test('of a deleted product, or one that left the scope: NOT_APPLICABLE, nothing read', async () => {
    const rule = complianceStack('ConfigDeleted', [{ id: 'pp-cfgdeleted1' }]);
    const reads = e2e.fake.callsOf('DescribeProvisionedProduct').length;
    await rule.evaluate(changeNotification({ resourceId: 'pp-cfgdeleted1', status: 'ResourceDeleted' }));
    expect(rule.evaluationOf('pp-cfgdeleted1')).toMatchObject({ ComplianceType: 'NOT_APPLICABLE' });
    await rule.evaluate(changeNotification({ resourceId: 'pp-cfgdeleted1' }), { eventLeftScope: true });
    expect(e2e.fake.callsOf('DescribeProvisionedProduct').length).toBe(reads);
  });
});

test('an event without a ResultToken is refused before anything is read', async () => {
  const rule = complianceStack('ConfigNoToken', [{ id: 'pp-cfgnotoken1' }]);
  await expect(rule.evaluate(scheduledNotification(), { resultToken: '' })).rejects.toThrow(/no resultToken/);
});

describe('a product the stack no longer declares', () => {
  test('a periodic evaluation reports it NOT_APPLICABLE, not left COMPLIANT for good; the declared ones, also by ARN, keep theirs', async () => {
    e2e.fake.addProduct({ id: 'pp-cfgkeep0001', ownerArn: OWNER });
    e2e.fake.addProduct({ id: 'pp-cfggone0001', ownerArn: OWNER });
    const before = complianceStack('ConfigWithdrawn', [{ id: 'pp-cfgkeep0001' }, { id: 'pp-cfggone0001' }]);
    await before.evaluate(scheduledNotification(new Date('2026-05-01T00:00:00Z')));
    const keptArn = `arn:aws:servicecatalog:us-east-1:${ACCOUNT}:stack/keep/pp-cfgkeep0001`;
    await before.evaluate(changeNotification({ resourceId: keptArn, at: new Date('2026-05-01T01:00:00Z') }));
    expect(before.evaluationOf('pp-cfggone0001')).toMatchObject({ ComplianceType: 'COMPLIANT' });

    // The next deploy declares one product only; the same rule evaluates again.
    const after = complianceStack('ConfigWithdrawn', [{ id: 'pp-cfgkeep0001' }]);
    await expect(after.evaluate(scheduledNotification(new Date('2026-05-02T00:00:00Z')))).resolves.toMatchObject({ compliant: 1, notApplicable: 1 });
    expect(after.evaluationOf('pp-cfggone0001')).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'No longer declared by stack ConfigWithdrawn' });
    expect(after.evaluationOf('pp-cfgkeep0001')).toMatchObject({ ComplianceType: 'COMPLIANT' });
    expect(after.evaluationOf(keptArn)).toMatchObject({ ComplianceType: 'COMPLIANT' });
  });

  test('none is withdrawn while a product declared by name could not be read: it may be among the results', async () => {
    e2e.fake.addProduct({ id: 'pp-cfgbyname01', name: 'team-cfg-byname', ownerArn: OWNER });
    e2e.fake.addProduct({ id: 'pp-cfgold00001', ownerArn: OWNER });
    const before = complianceStack('ConfigUnsure', [{ name: 'team-cfg-byname' }, { id: 'pp-cfgold00001' }]);
    await before.evaluate(scheduledNotification(new Date('2026-05-01T00:00:00Z')));
    const after = complianceStack('ConfigUnsure', [{ name: 'team-cfg-byname' }]);
    e2e.fake.injectFaults('DescribeProvisionedProduct', ...Array(8).fill({ kind: 'server-error' }));
    try {
      await expect(after.evaluate(scheduledNotification(new Date('2026-05-02T00:00:00Z')))).resolves.toMatchObject({ skipped: 1, notApplicable: 0 });
    } finally {
      e2e.fake.clearFaults();
    }
    expect(after.evaluationOf('pp-cfgold00001')).toMatchObject({ ComplianceType: 'COMPLIANT' });
  });
});
