import {
  PollContext, RECORD_VISIBILITY_GRACE_MS, classifyRecordStatus, decodePhysicalId, encodePhysicalId, idempotencyToken,
  judgePoll, planPropertiesUpdate,
} from '../../lambda/decisions';

const OWNER = 'arn:aws:iam::123456789012:role/Owner';
const LAUNCH = 'arn:aws:iam::123456789012:role/Launch';
const desired = { provisionedProductId: 'pp-1', owner: OWNER, launchRoleArn: LAUNCH, timeoutSeconds: 60, restoreOnDelete: false };

describe('planPropertiesUpdate', () => {
  test('Create applies every declared key', () => {
    expect(planPropertiesUpdate(desired)).toEqual({ kind: 'apply', properties: { OWNER, LAUNCH_ROLE: LAUNCH } });
    expect(planPropertiesUpdate({ ...desired, owner: undefined })).toEqual({ kind: 'apply', properties: { LAUNCH_ROLE: LAUNCH } });
  });
  test('skips when id and declared values are unchanged', () => {
    expect(planPropertiesUpdate(desired, { provisionedProductId: 'pp-1', owner: OWNER, launchRoleArn: LAUNCH })).toEqual({ kind: 'skip' });
  });
  test('skips when a key is no longer declared and the rest is unchanged', () => {
    expect(planPropertiesUpdate({ ...desired, launchRoleArn: undefined }, { provisionedProductId: 'pp-1', owner: OWNER, launchRoleArn: LAUNCH }))
      .toEqual({ kind: 'skip' });
  });
  test.each([
    ['a new id', { provisionedProductId: 'pp-0', owner: OWNER, launchRoleArn: LAUNCH }],
    ['a new owner', { provisionedProductId: 'pp-1', owner: 'arn:aws:iam::123456789012:role/Old', launchRoleArn: LAUNCH }],
    ['a newly declared launch role', { provisionedProductId: 'pp-1', owner: OWNER }],
  ])('applies on %s', (_title, previous) => {
    expect(planPropertiesUpdate(desired, previous).kind).toBe('apply');
  });
});

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
    expect(decision).toEqual({ kind: 'fail', failure: 'record-failed', message: expect.stringContaining('rec-1 for provisioned product pp-1 FAILED: A: a; B: b.') });
  });
  test('FAILED without errors says so', () => {
    expect(judgePoll(ctx, { kind: 'record', status: 'FAILED', errors: [] }))
      .toEqual({ kind: 'fail', failure: 'record-failed', message: expect.stringContaining('FAILED: (the record reported no errors)') });
  });
  test('a pending status is pending until the deadline, then a timeout naming the status', () => {
    expect(judgePoll(ctx, { kind: 'record', status: 'IN_PROGRESS_IN_ERROR', errors: [] })).toEqual({ kind: 'pending', lastStatus: 'IN_PROGRESS_IN_ERROR' });
    expect(judgePoll({ ...ctx, now: 60_000 }, { kind: 'record', status: 'IN_PROGRESS_IN_ERROR', errors: [] }))
      .toEqual({ kind: 'fail', failure: 'timed-out', message: expect.stringContaining('its last status was IN_PROGRESS_IN_ERROR') });
  });
  test('a transient error keeps the last status seen', () => {
    expect(judgePoll({ ...ctx, lastStatus: 'IN_PROGRESS' }, { kind: 'transient-error', error: 'ThrottlingException: slow down' }))
      .toEqual({ kind: 'pending', lastStatus: 'IN_PROGRESS' });
  });
  test('a record not found yet is pending for a grace period after the change started, then fails', () => {
    const notFound = { kind: 'not-found' as const, error: 'ResourceNotFoundException: Record rec-1 not found.' };
    expect(judgePoll({ ...ctx, now: RECORD_VISIBILITY_GRACE_MS - 1 }, notFound)).toEqual({ kind: 'pending', lastStatus: 'CREATED' });
    expect(judgePoll({ ...ctx, now: RECORD_VISIBILITY_GRACE_MS }, notFound)).toEqual({ kind: 'fail', failure: 'record-not-found',
      message: expect.stringMatching(/^Service Catalog record rec-1 of provisioned product pp-1 could not be read for 30 s after the change started \(ResourceNotFoundException/) });
  });
  test('a terminal status seen exactly at the deadline still counts', () => {
    expect(judgePoll({ ...ctx, now: 90_000 }, { kind: 'record', status: 'SUCCEEDED', errors: [] }).kind).toBe('complete');
  });
});

describe('governance decisions', () => {
  test('the physical id is the product id, with the originals appended only for restoreOnDelete', () => {
    expect(encodePhysicalId('pp-1')).toBe('pp-1');
    expect(decodePhysicalId('pp-1')).toEqual({ provisionedProductId: 'pp-1' });
    const encoded = encodePhysicalId('pp-1', { OWNER: 'arn:aws:iam::123456789012:user/a', LAUNCH_ROLE: LAUNCH });
    expect(encoded).toMatch(/^pp-1\/restore:[A-Za-z0-9_-]+$/);
    expect(decodePhysicalId(encoded)).toEqual({ provisionedProductId: 'pp-1', originals: { OWNER: 'arn:aws:iam::123456789012:user/a', LAUNCH_ROLE: LAUNCH } });
    expect(decodePhysicalId('pp-1/restore:%%%')).toEqual({ provisionedProductId: 'pp-1' });
    expect(decodePhysicalId(undefined)).toEqual({});
  });

  test('turning restoreOnDelete on is a change: the originals must be captured', () => {
    const previous = { provisionedProductId: 'pp-1', owner: OWNER, launchRoleArn: LAUNCH };
    expect(planPropertiesUpdate({ ...desired, restoreOnDelete: true }, previous).kind).toBe('apply');
    expect(planPropertiesUpdate({ ...desired, restoreOnDelete: true }, { ...previous, restoreOnDelete: 'true' }).kind).toBe('skip');
  });
});
