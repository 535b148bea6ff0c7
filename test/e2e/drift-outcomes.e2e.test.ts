/**
 * What a drift run calls pending and what it calls failed, end to end (the built asset, the real
 * SDK, the Service Catalog fake): a busy product and a call Service Catalog did not answer are
 * pending, for the next run; DriftCorrectionFailed counts only what a person must fix.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { ProvisionedProductProperties } from '../../lib';
import { ACCOUNT, arn, useEndToEnd } from './e2e-setup';
import { deployDrift, driftLinesOf } from './drift-setup';

const e2e = useEndToEnd();
const ALICE = arn('user/alice');
const OWNER = arn('role/PlatformTeam');

/** A stack declaring OWNER on each product (by id, or by name), deployed with its drift schedule. */
function deployed(stackName: string, products: { id?: string; name?: string }[]) {
  const stack = new Stack(new App(), stackName, { env: { account: ACCOUNT, region: 'us-east-1' } });
  products.forEach((p, i) => new ProvisionedProductProperties(stack, `Declaration${i}`, {
    provisionedProductId: p.id, provisionedProductName: p.name, owner: OWNER, driftCorrection: events.Schedule.rate(Duration.hours(1)),
  }));
  return deployDrift(e2e, stack);
}

const runOnce = (stackName: string, products: { id?: string; name?: string }[]) => {
  const drift = deployed(stackName, products);
  return drift.run(drift.input());
};

test('a busy product (InvalidStateException) is pending for the next run, not a failed correction', async () => {
  const id = 'pp-driftbusy01';
  e2e.fake.addProduct({ id, ownerArn: ALICE, status: 'UNDER_CHANGE' });
  const from = e2e.logs.length;
  const summary = await runOnce('BusyDrift', [{ id }]);
  expect(e2e.fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id).map((c) => c.outcome))
    .toEqual(['InvalidStateException']);
  expect(summary).toMatchObject({ drifted: 1, corrected: 0, failed: 0, pending: 1 });
  expect(driftLinesOf(e2e.logs, from)).toEqual([expect.objectContaining({
    provisionedProductId: id, action: 'correction-pending', DriftCorrectionFailed: 0, DriftPending: 1,
    reason: expect.stringContaining('busy with another operation'),
  })]);
});

test('a product given by name whose look-up gets no answer (HTTP 500 past the retries) is pending, not "check the permission"', async () => {
  const name = 'team-unanswered';
  e2e.fake.addProduct({ id: 'pp-driftname01', name, ownerArn: ALICE });
  e2e.fake.injectFaults('DescribeProvisionedProduct', ...Array(8).fill({ kind: 'server-error' }));
  const from = e2e.logs.length;
  try {
    const summary = await runOnce('UnansweredDrift', [{ name }]);
    expect(summary).toMatchObject({ checked: 0, failed: 0, pending: 1 });
  } finally {
    e2e.fake.clearFaults();
  }
  const [line] = driftLinesOf(e2e.logs, from);
  expect(line).toMatchObject({ provisionedProductName: name, action: 'check-pending', DriftCorrectionFailed: 0, DriftPending: 1 });
  expect(line.reason).not.toMatch(/permission/);
  expect(e2e.fake.product('pp-driftname01')!.ownerArn).toBe(ALICE);
});

test('a product by name that does not exist is still a failed check: a person must fix the declaration', async () => {
  const from = e2e.logs.length;
  const summary = await runOnce('MissingDrift', [{ name: 'team-nobody' }]);
  expect(summary).toMatchObject({ failed: 1, pending: 0 });
  expect(driftLinesOf(e2e.logs, from)).toEqual([expect.objectContaining({ action: 'check-failed', DriftCorrectionFailed: 1 })]);
});
