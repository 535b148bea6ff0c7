/**
 * Faults a deploy meets, end to end: the built asset in the provider framework, the real SDK
 * (with its configured adaptive retry strategy), and faults injected by the Service Catalog fake.
 */
import { Duration } from 'aws-cdk-lib';
import { createRequest, deleteRequest } from './cloudformation-request';
import { arn, synthesizedResource, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();
const OWNER = arn('role/PlatformTeam');
const writesTo = (id: string) => e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id);
const updatesOf = (id: string) => e2e.fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id);

async function create(id: string, timeout?: Duration) {
  return e2e.harness.send(createRequest(synthesizedResource({ id, owner: OWNER, timeout })));
}

describe('transient service faults never fail a deploy that would succeed a few seconds later', () => {
  test('four ThrottlingExceptions in a row on the update', async () => {
    e2e.fake.addProduct({ id: 'pp-throttled01' });
    e2e.fake.injectFaults('UpdateProvisionedProductProperties', ...Array(4).fill({ kind: 'throttle' }));
    const response = await create('pp-throttled01');
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
    expect(updatesOf('pp-throttled01').map((c) => c.outcome))
      .toEqual(['throttle', 'throttle', 'throttle', 'throttle', 'ok']);
    expect(writesTo('pp-throttled01')).toHaveLength(1);
  });

  test('three HTTP 500s while polling the record', async () => {
    e2e.fake.addProduct({ id: 'pp-servererr01' });
    // Once the change has started: before it, DescribeRecord also reads the product's last record (lambda/product/activity.ts).
    e2e.fake.onAnswered((c) => c.operation === 'UpdateProvisionedProductProperties' && c.outcome === 'ok',
      () => e2e.fake.injectFaults('DescribeRecord', ...Array(3).fill({ kind: 'server-error' })));
    const response = await create('pp-servererr01');
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
    const recordId = writesTo('pp-servererr01')[0].recordId;
    const polls = e2e.fake.callsOf('DescribeRecord').filter((c) => c.input.Id === recordId).map((c) => c.outcome);
    expect(polls.filter((o) => o === 'server-error')).toHaveLength(3);
    expect(polls.at(-1)).toBe('ok');
  });

  test('a connection reset on the update: retried, and still exactly one change', async () => {
    e2e.fake.addProduct({ id: 'pp-reset000001' });
    e2e.fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'reset' });
    const response = await create('pp-reset000001');
    expect(response).toMatchObject({ Status: 'SUCCESS' });
    expect(updatesOf('pp-reset000001').map((c) => c.outcome)).toEqual(['reset', 'ok']);
    expect(writesTo('pp-reset000001')).toHaveLength(1);
  });

  test('a slow response (2 s) on the update and on a poll', async () => {
    e2e.fake.addProduct({ id: 'pp-slowreply01' });
    e2e.fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'delay', ms: 2000 });
    e2e.fake.injectFaults('DescribeRecord', { kind: 'delay', ms: 2000 });
    const response = await create('pp-slowreply01');
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
    expect(writesTo('pp-slowreply01')).toHaveLength(1);
  });
});

/**
 * Explicit ordering instead of a timer: once the service has refused the change as busy and then
 * answered one read of the product (still UNDER_CHANGE), the product becomes AVAILABLE.
 */
/** Explicit ordering: the product is freed when its status has been read busy `reads` times. */
function freeAfterBusyReads(id: string, reads: number): void {
  const isRead = (c: { operation: string; input: { Id?: string } }) => c.operation === 'DescribeProvisionedProduct' && c.input.Id === id;
  const after = (left: number): void => e2e.fake.onAnswered(isRead, () => (left > 1 ? after(left - 1) : e2e.fake.setProductStatus(id, 'AVAILABLE')));
  after(reads);
}

describe('a busy product', () => {
  test('UNDER_CHANGE for a while: the change waits with reads only and goes through once it is AVAILABLE', async () => {
    const id = 'pp-busy0000001';
    e2e.fake.addProduct({ id, status: 'UNDER_CHANGE' });
    freeAfterBusyReads(id, 2);
    const response = await create(id);
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED', Changed: 'true' } });
    expect(response.Data!.RecordId).toMatch(/^rec-/);
    const attempts = updatesOf(id);
    // The status is read first (lambda/product/activity.ts): reads only until the product is free, then one call that starts the change.
    expect(attempts.map((c) => c.outcome)).toEqual(['ok']);
    expect(e2e.fake.callsOf('DescribeProvisionedProduct').filter((c) => c.input.Id === id).length).toBeGreaterThanOrEqual(3);
    expect(writesTo(id)).toHaveLength(1);
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  });

  test('busy past the timeout: fails saying so, with the status and what to do, and the Delete after it succeeds', async () => {
    const id = 'pp-busy0000002';
    e2e.fake.addProduct({ id, status: 'PLAN_IN_PROGRESS' });
    const resource = synthesizedResource({ id, owner: OWNER, timeout: Duration.seconds(2) });
    const response = await e2e.harness.send(createRequest(resource));
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(new RegExp(`^Provisioned product ${id} was still busy with another operation after 2 s \\(status PLAN_IN_PROGRESS; `));
    expect(response.Reason).toContain('Wait until its status is AVAILABLE');
    expect(writesTo(id)).toHaveLength(0);
    const del = await e2e.harness.send(deleteRequest(resource, response.PhysicalResourceId));
    expect(del.Status).toBe('SUCCESS');
  });

  test('TAINTED: the handler does not refuse or wait; it sends the change at once and follows the record', async () => {
    const id = 'pp-tainted0001';
    e2e.fake.addProduct({ id, status: 'TAINTED' });
    const response = await create(id);
    // What the handler did: one update with the declaration, no busy-wait, and it reported
    // the record it started, as followed through DescribeRecord.
    const [update, ...more] = updatesOf(id);
    expect(more).toEqual([]);
    expect(update.input.ProvisionedProductProperties).toEqual({ OWNER });
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true', RecordId: update.recordId, RecordStatus: 'SUCCEEDED' } });
    expect(e2e.fake.callsOf('DescribeRecord').filter((c) => c.input.Id === update.recordId).length).toBeGreaterThanOrEqual(1);
  });
});

describe('deletes always succeed', () => {
  test('after a failed isComplete (record FAILED), with the real physical id', async () => {
    const id = 'pp-delfailed01';
    e2e.fake.addProduct({ id });
    e2e.fake.failNextRecord(id, [{ Code: 'E', Description: 'nope' }]);
    const resource = synthesizedResource({ id, owner: OWNER });
    const create = await e2e.harness.send(createRequest(resource));
    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: id });
    const del = await e2e.harness.send(deleteRequest(resource, id));
    expect(del).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
  });

  test('after a timed-out isComplete, and when the product no longer exists', async () => {
    const id = 'pp-delstuck001';
    e2e.fake.addProduct({ id, outcome: { stuck: true } });
    const resource = synthesizedResource({ id, owner: OWNER, timeout: Duration.seconds(1) });
    const create = await e2e.harness.send(createRequest(resource));
    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: id });
    e2e.fake.removeProduct(id);
    const before = e2e.fake.calls.length;
    const del = await e2e.harness.send(deleteRequest(resource, id));
    expect(del).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
    expect(e2e.fake.calls.length).toBe(before);
  });
});
