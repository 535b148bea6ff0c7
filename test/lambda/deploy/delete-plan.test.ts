/** The Delete planner, case by case: a Delete never fails, and restores only what it kept and is no longer in place. */
import { DeleteRequest, planDelete, restoreCandidate } from '../../../lambda/deploy/delete-plan';
import { LedgerClaim } from '../../../lib/shared/ledger';
import { encodePhysicalId } from '../../../lambda/deploy/physical-id';
import { LiveProperties } from '../../../lambda/product/live-state';

const ACCOUNT = '123456789012';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const OWNER = `arn:aws:iam::${ACCOUNT}:role/Owner`;
const OLD_LAUNCH = `arn:aws:iam::${ACCOUNT}:role/OldLaunch`;
const LAUNCH = `arn:aws:iam::${ACCOUNT}:role/Launch`;

const kept = encodePhysicalId('pp-1', { OWNER: ALICE, LAUNCH_ROLE: OLD_LAUNCH });
const request = (overrides: Partial<DeleteRequest> = {}): DeleteRequest => ({ physicalId: kept, restoreOnDelete: true, token: 't-1', ...overrides });
const live = (owner: string | undefined, launchRoleArn: string): LiveProperties =>
  ({ owner: owner === undefined ? { listed: false } : { listed: true, userArn: owner }, launchRoleArn });
const alone = { kind: 'read' as const, declarations: [] };

test.each([
  ['restoreOnDelete is off', request({ restoreOnDelete: false })],
  ['the physical id keeps no originals', request({ physicalId: 'pp-1' })],
  ['the originals kept are all \'\' (the product had none)', request({ physicalId: encodePhysicalId('pp-1', { OWNER: '', LAUNCH_ROLE: '' }) })],
  ['a Delete after a failed Create (no physical id)', request({ physicalId: undefined })],
])('%s: nothing to read, nothing to do', (_title, req) => {
  expect(restoreCandidate(req)).toBeUndefined();
  expect(planDelete(req, undefined)).toEqual({ kind: 'keep', reason: 'nothing-kept' });
});

test('another declaration of the product in the stack takes it over (a replacement or a rename): nothing is restored', () => {
  const others = { kind: 'read' as const, declarations: [{ logicalResourceId: 'New', physicalResourceId: 'pp-1' }] };
  expect(planDelete(request(), { others })).toEqual({ kind: 'keep', reason: 'handed-over' });
});

test('the stack could not be read: nothing is restored on a guess', () => {
  expect(planDelete(request(), { others: { kind: 'unknown', cause: 'AccessDenied: no' } })).toEqual({ kind: 'keep', reason: 'stack-unknown', cause: 'AccessDenied: no' });
});

test('the originals are back in place already: no write', () => {
  expect(planDelete(request(), { others: alone, activity: { kind: 'idle' }, live: live(ALICE, OLD_LAUNCH) })).toEqual({ kind: 'keep', reason: 'originals-in-place' });
});

test('only the keys that differ, or could not be read, are put back, with the request\'s token', () => {
  expect(planDelete(request(), { others: alone, activity: { kind: 'idle' }, live: live(ALICE, LAUNCH) })).toEqual({ kind: 'restore',
    change: { idempotencyToken: 't-1', provisionedProductId: 'pp-1', values: { LAUNCH_ROLE: OLD_LAUNCH }, acceptLanguage: undefined, writeEvenIfShown: [] } });
  expect(planDelete(request(), { others: alone, activity: { kind: 'idle' }, live: live(undefined, OLD_LAUNCH) })).toMatchObject({ kind: 'restore', change: { values: { OWNER: ALICE } } });
  expect(planDelete(request(), { others: alone, activity: { kind: 'idle' }, live: live(OWNER, LAUNCH) })).toMatchObject({ kind: 'restore', change: { values: { OWNER: ALICE, LAUNCH_ROLE: OLD_LAUNCH } } });
});

test('an owner the declaration set is put back even while Search still shows the original (Search may show a change late)', () => {
  const declared = { OWNER, LAUNCH_ROLE: LAUNCH };
  expect(planDelete(request({ declared }), { others: alone, activity: { kind: 'idle' }, live: live(ALICE, OLD_LAUNCH) })).toMatchObject({
    kind: 'restore', change: { values: { OWNER: ALICE }, writeEvenIfShown: ['OWNER'] },
  });
  // A declaration whose owner is the original changed nothing: no write.
  expect(planDelete(request({ declared: { OWNER: ALICE } }), { others: alone, activity: { kind: 'idle' }, live: live(ALICE, OLD_LAUNCH) }))
    .toEqual({ kind: 'keep', reason: 'originals-in-place' });
});

describe('with the ledger', () => {
  const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/A/guid';
  const OTHER = 'arn:aws:cloudformation:us-east-1:123456789012:stack/B/guid';
  const self = { stackId: STACK, logicalId: 'Ownership', physicalId: kept, declared: { OWNER, LAUNCH_ROLE: LAUNCH }, restoreOnDelete: true };
  const other = { stackId: OTHER, logicalId: 'Ownership', physicalId: 'pp-1', declared: { OWNER: `arn:aws:iam::${ACCOUNT}:role/Other` }, restoreOnDelete: false };
  const req = request({ stackId: STACK, logicalId: 'Ownership', declared: { OWNER, LAUNCH_ROLE: LAUNCH } });
  const ledger = (claims: LedgerClaim[]) => ({ kind: 'read' as const, exists: true, ledger: { claims, originals: { OWNER: ALICE, LAUNCH_ROLE: OLD_LAUNCH } } });

  test('a newer declaration in another stack governs the owner: only the launch role is restored', () => {
    expect(planDelete(req, { others: alone, ledger: ledger([self, other]), activity: { kind: 'idle' }, live: live(other.declared.OWNER, LAUNCH) }))
      .toMatchObject({ kind: 'restore', change: { values: { LAUNCH_ROLE: OLD_LAUNCH } } });
  });

  test('an older declaration in another stack still declares the owner: it is handed back, not restored', () => {
    expect(planDelete(req, { others: alone, ledger: ledger([other, self]), activity: { kind: 'idle' }, live: live(OWNER, LAUNCH) }))
      .toMatchObject({ kind: 'restore', change: { values: { OWNER: other.declared.OWNER, LAUNCH_ROLE: OLD_LAUNCH } } });
  });

  test('the ledger could not be read: nothing is restored on a guess', () => {
    expect(planDelete(req, { others: alone, ledger: { kind: 'unknown', cause: 'AccessDeniedException: no' } }))
      .toEqual({ kind: 'keep', reason: 'ledger-unknown', cause: 'AccessDeniedException: no' });
  });

  test('a declaration without restoreOnDelete that governs no key writes nothing, and reads nothing more', () => {
    const plain = request({ restoreOnDelete: false, stackId: STACK, logicalId: 'Ownership', declared: { OWNER } });
    expect(planDelete(plain, { others: alone, ledger: ledger([{ ...self, restoreOnDelete: false, declared: { OWNER } }]) }))
      .toEqual({ kind: 'keep', reason: 'nothing-kept' });
  });
});
