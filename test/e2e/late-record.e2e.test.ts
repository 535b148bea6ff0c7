/**
 * Issue 17 #4: the grace for a record that DescribeRecord does not find yet counts from the
 * change (the UpdateProvisionedProductProperties answer), as the README promises ("30 s after the
 * change"), not from onEvent's start. Slow reads before the change (three answers 11 s late, each
 * under the SDK's 15 s request timeout) push the change 33 s past onEvent's start.
 */
import { createRequest } from './cloudformation-request';
import { arn, synthesizedResource, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();

test('#4: a record not readable at once, after 33 s of slow reads before the change, is waited for, not failed', async () => {
  const id = 'pp-laterecord1';
  e2e.fake.addProduct({ id, ownerArn: arn('user/alice'), recordVisibleAfterMs: 1_000, recordDurationMs: 1_500 });
  for (const operation of ['DescribeProvisionedProduct', 'DescribeRecord', 'SearchProvisionedProducts'] as const) {
    e2e.fake.injectFaults(operation, { kind: 'delay', ms: 11_000 });
  }
  const create = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: arn('role/PlatformTeam') })), 55_000);
  expect(create).toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
  const polls = e2e.fake.callsOf('DescribeRecord').filter((c) => c.input.Id === create.Data!.RecordId);
  expect(polls.some((c) => c.outcome === 'ResourceNotFoundException')).toBe(true);
}, 58_000);
