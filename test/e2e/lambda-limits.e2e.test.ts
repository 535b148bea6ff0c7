/**
 * Within the Lambda functions' own timeouts, end to end. The harness enforces each function's
 * timeout (here 14 s, so an invocation has 4 s of work before the handler's 10 s safety margin)
 * and answers `Sandbox.Timedout` past it, as Lambda does; the provider framework fails the
 * resource at once on any function error, so a timeout must never happen.
 */
import { createRequest } from './cloudformation-request';
import { arn, synthesizedResource, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd({ functionTimeoutMs: { onEvent: 14_000, isComplete: 14_000 } });
const OWNER = arn('role/PlatformTeam');
const timedOut = (requestId: string) => e2e.harness.invocationsOf(requestId).filter((i) => /timed out/i.test(i.error ?? ''));

test('a record longer than one invocation: isComplete hands back before its timeout, the waiter invokes it again, and it completes', async () => {
  const id = 'pp-longrecord1';
  e2e.fake.addProduct({ id, recordDurationMs: 9_000 });
  const create = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: OWNER })), 40_000);
  expect(create).toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
  expect(e2e.harness.invocationsOf(create.RequestId, 'isComplete').length).toBeGreaterThanOrEqual(2);
  expect(timedOut(create.RequestId)).toEqual([]);
}, 45_000);

test.each([
  ['a DescribeRecord slower than the invocation has left is abandoned, not waited on past the timeout', 'pp-slowpoll001', 'DescribeRecord'],
  ['an update slower than onEvent has left: onEvent returns in time, and isComplete finds the change in place without a second write',
    'pp-slowupdate1', 'UpdateProvisionedProductProperties'],
] as const)('%s', async (_title, id, operation) => {
  e2e.fake.addProduct({ id, recordDurationMs: 300 });
  e2e.fake.injectFaults(operation, { kind: 'delay', ms: 15_000 }); // longer than the function's 14 s
  const create = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: OWNER })), 40_000);
  expect(create).toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
  expect(timedOut(create.RequestId)).toEqual([]);
  expect(e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id && c.effect === 'created')).toHaveLength(1);
  expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
}, 45_000);
