/** `plan`'s preview of a removed declaration, with the product's ledger: what the handler's Delete planner will do. */
import { encodePhysicalId } from '../../lambda/deploy/physical-id';
import { LedgerClaim, LedgerReading } from '../../lib/shared/ledger';
import { RemovedDeclaration } from '../../cli/declarations';
import { LiveProduct } from '../../cli/live-reads';
import { planRemoved } from '../../cli/plan';

const ACCOUNT = '123456789012';
const ORIGINAL = `arn:aws:iam::${ACCOUNT}:user/original`;
const OURS = `arn:aws:iam::${ACCOUNT}:role/TeamA`;
const THEIRS = `arn:aws:iam::${ACCOUNT}:role/TeamB`;
const STACK_A = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/TeamA/guid`;
const STACK_B = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/TeamB/guid`;
const physicalId = encodePhysicalId('pp-1', { OWNER: ORIGINAL });

const removed: RemovedDeclaration = {
  logicalId: 'Ownership', path: 'TeamA/Ownership', physicalId, productId: 'pp-1', keys: ['OWNER'], restoreOnDelete: true,
  originals: { OWNER: ORIGINAL }, declared: { OWNER: OURS }, stackId: STACK_A,
};
const ours: LedgerClaim = { stackId: STACK_A, logicalId: 'Ownership', physicalId, declared: { OWNER: OURS }, restoreOnDelete: true };
const theirs: LedgerClaim = { stackId: STACK_B, logicalId: 'Ownership', physicalId: 'pp-1', declared: { OWNER: THEIRS }, restoreOnDelete: false };
const live = (owner: string, ledger: LedgerReading): LiveProduct =>
  ({ id: 'pp-1', owner: { ok: true, value: { listed: true, userArn: owner } }, ledger });
const readLedger = (claims: LedgerClaim[]): LedgerReading => ({ kind: 'read', exists: true, ledger: { claims, originals: { OWNER: ORIGINAL } } });
const alone = { kind: 'read' as const, declarations: [] };

test('moved to another stack that deployed first: the removal leaves the newer declaration\'s owner (no-longer-enforced)', () => {
  expect(planRemoved('TeamA', removed, alone, live(THEIRS, readLedger([ours, theirs]))).changes).toEqual([{
    key: 'OWNER', live: THEIRS, declared: null, action: 'no-longer-enforced', reason: expect.stringMatching(/another declaration of the product .* governs it/),
  }]);
});

test('an older declaration in another stack is still in force: the removal hands the owner back to it', () => {
  expect(planRemoved('TeamA', removed, alone, live(OURS, readLedger([theirs, ours]))).changes).toEqual([{
    key: 'OWNER', live: OURS, declared: THEIRS, action: 'restore', reason: expect.stringMatching(/hands the key back to an older declaration/),
  }]);
});

test('alone in the ledger: the original comes back; an unreadable ledger: nothing is restored, and the plan says why', () => {
  expect(planRemoved('TeamA', removed, alone, live(OURS, readLedger([ours]))).changes[0]).toMatchObject({ action: 'restore', declared: ORIGINAL });
  expect(planRemoved('TeamA', removed, alone, live(OURS, { kind: 'unknown', cause: 'AccessDeniedException: no' })).changes[0])
    .toMatchObject({ action: 'no-longer-enforced', reason: expect.stringMatching(/ledger could not be read/) });
});
