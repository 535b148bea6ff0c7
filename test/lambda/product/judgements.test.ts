import { renderFailure } from '../../../lambda/failures';
import { PollContext, PollDecision, RECORD_VISIBILITY_GRACE_MS, classifyRecordStatus, judgePoll } from '../../../lambda/product/judgements';
import { idempotencyToken } from '../../../lambda/product/tokens';

/** The operator's message of a failed poll; fails the test when the poll did not fail. */
function rendered(decision: PollDecision): string {
  if (decision.kind !== 'fail') throw new Error(`expected a failure, got ${JSON.stringify(decision)}`);
  return renderFailure(decision.failure);
}

describe('idempotencyToken', () => {
  const request = { StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/g', LogicalResourceId: 'Ownership', RequestId: 'r-1' };
  test('is deterministic per request and fits the API token shape', () => {
    const token = idempotencyToken(request);
    expect(token).toBe(idempotencyToken({ ...request }));
    expect(token).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,127}$/);
    expect(token).toHaveLength(64);
  });
  test('differs by request, resource and stack', () => {
    const tokens = new Set([
      idempotencyToken(request),
      idempotencyToken({ ...request, RequestId: 'r-2' }),
      idempotencyToken({ ...request, LogicalResourceId: 'Other' }),
      idempotencyToken({ ...request, StackId: request.StackId.replace('S', 'T') }),
    ]);
    expect(tokens.size).toBe(4);
  });
});

test.each([
  ['SUCCEEDED', 'succeeded'], ['FAILED', 'failed'],
  ['CREATED', 'pending'], ['IN_PROGRESS', 'pending'], ['IN_PROGRESS_IN_ERROR', 'pending'], [undefined, 'pending'],
])('record status %s is %s', (status, verdict) => {
  expect(classifyRecordStatus(status)).toBe(verdict);
});

describe('judgePoll', () => {
  const ctx: PollContext = { provisionedProductId: 'pp-1', recordId: 'rec-1', timeoutSeconds: 60, deadline: 60_000, now: 1_000, startedAt: 0, lastStatus: 'CREATED' };
  test('SUCCEEDED completes', () => {
    expect(judgePoll(ctx, { kind: 'record', status: 'SUCCEEDED', errors: [] })).toEqual({ kind: 'complete', status: 'SUCCEEDED' });
  });
  test('FAILED fails with every error', () => {
    const decision = judgePoll(ctx, { kind: 'record', status: 'FAILED', errors: [{ Code: 'A', Description: 'a' }, { Code: 'B', Description: 'b' }] });
    expect(decision).toEqual({ kind: 'fail', failure: { kind: 'record-failed', productId: 'pp-1', recordId: 'rec-1', errors: [{ Code: 'A', Description: 'a' }, { Code: 'B', Description: 'b' }] } });
    expect(renderFailure((decision as Extract<typeof decision, { kind: 'fail' }>).failure)).toContain('rec-1 for provisioned product pp-1 FAILED: A: a; B: b.');
  });
  test('FAILED without errors says so', () => {
    expect(rendered(judgePoll(ctx, { kind: 'record', status: 'FAILED', errors: [] }))).toContain('FAILED: (the record reported no errors)');
  });
  test('a pending status is pending until the deadline, then a timeout naming the status', () => {
    expect(judgePoll(ctx, { kind: 'record', status: 'IN_PROGRESS_IN_ERROR', errors: [] })).toEqual({ kind: 'pending', lastStatus: 'IN_PROGRESS_IN_ERROR' });
    expect(judgePoll({ ...ctx, now: 60_000 }, { kind: 'record', status: 'IN_PROGRESS_IN_ERROR', errors: [] }))
      .toMatchObject({ kind: 'fail', failure: { kind: 'record-timed-out', lastStatus: 'IN_PROGRESS_IN_ERROR', timeoutSeconds: 60 } });
    expect(rendered(judgePoll({ ...ctx, now: 60_000 }, { kind: 'record', status: 'IN_PROGRESS_IN_ERROR', errors: [] }))).toContain('its last status was IN_PROGRESS_IN_ERROR');
  });
  test('a transient error keeps the last status seen', () => {
    expect(judgePoll({ ...ctx, lastStatus: 'IN_PROGRESS' }, { kind: 'transient-error', error: 'ThrottlingException: slow down' }))
      .toEqual({ kind: 'pending', lastStatus: 'IN_PROGRESS' });
  });
  test('a record not found yet is pending for a grace period after the change started, then fails', () => {
    const notFound = { kind: 'not-found' as const, error: 'ResourceNotFoundException: Record rec-1 not found.' };
    expect(judgePoll({ ...ctx, now: RECORD_VISIBILITY_GRACE_MS - 1 }, notFound)).toEqual({ kind: 'pending', lastStatus: 'CREATED' });
    expect(judgePoll({ ...ctx, now: RECORD_VISIBILITY_GRACE_MS }, notFound)).toMatchObject({ kind: 'fail', failure: { kind: 'record-not-found', graceSeconds: 30 } });
    expect(rendered(judgePoll({ ...ctx, now: RECORD_VISIBILITY_GRACE_MS }, notFound)))
      .toMatch(/^Service Catalog record rec-1 of provisioned product pp-1 could not be read for 30 s after the change started \(ResourceNotFoundException/);
  });
  test('a terminal status seen exactly at the deadline still counts', () => {
    expect(judgePoll({ ...ctx, now: 90_000 }, { kind: 'record', status: 'SUCCEEDED', errors: [] }).kind).toBe('complete');
  });
});
