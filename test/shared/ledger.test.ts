/** The ledger's rules, key by key: who governs, what a Delete hands back or restores, and what our last record proves. */
import {
  EMPTY_LEDGER, LEDGER_MAX_CHARS, Ledger, LedgerClaim, LedgerTooLarge, ledgerParameterName, originalsHeldByOthers, ownerKnownFromLedger,
  parseLedger, release, serializeLedger, withClaim, withWritten,
} from '../../lib/shared/ledger';

const ACCOUNT = '123456789012';
const ORIGINAL = `arn:aws:iam::${ACCOUNT}:user/original`;
const A_OWNER = `arn:aws:iam::${ACCOUNT}:role/TeamA`;
const B_OWNER = `arn:aws:iam::${ACCOUNT}:role/TeamB`;
const ORIGINAL_LAUNCH = `arn:aws:iam::${ACCOUNT}:role/OriginalLaunch`;
const LAUNCH = `arn:aws:iam::${ACCOUNT}:role/Launch`;
const stack = (name: string) => `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/${name}/guid`;

const claim = (name: string, declared: LedgerClaim['declared'], restoreOnDelete = true, physicalId = `pp-1|${name}`): LedgerClaim =>
  ({ stackId: stack(name), logicalId: 'Ownership', physicalId, declared, restoreOnDelete });
const A = claim('A', { OWNER: A_OWNER });
const B = claim('B', { OWNER: B_OWNER });

test('the parameter is named by the product under the library\'s own path', () => {
  expect(ledgerParameterName('pp-abc')).toBe('/cdk-provisioned-product-properties/ledger/pp-abc');
});

test('a claim with restoreOnDelete keeps the originals of the first one; a later one does not replace them', () => {
  const first = withClaim(EMPTY_LEDGER, A, { OWNER: ORIGINAL });
  const second = withClaim(first, B, { OWNER: A_OWNER });
  expect(second).toEqual({ claims: [A, B], originals: { OWNER: ORIGINAL } });
  expect(originalsHeldByOthers(second, B)).toEqual({ OWNER: ORIGINAL });
  expect(originalsHeldByOthers(withClaim(EMPTY_LEDGER, A, { OWNER: ORIGINAL }), A)).toBeUndefined();
});

test('no claim with restoreOnDelete keeps no originals: turned on again, the values in place then are kept', () => {
  const plain = withClaim(withClaim(EMPTY_LEDGER, A, { OWNER: ORIGINAL }), { ...A, restoreOnDelete: false }, undefined);
  expect(plain.originals).toBeUndefined();
});

test('an Update moves its claim to the end: the newest declaration governs', () => {
  const ledger = withClaim(withClaim(withClaim(EMPTY_LEDGER, A, {}), B, {}), { ...A, declared: { OWNER: ORIGINAL } }, {});
  expect(ledger.claims.map((c) => c.stackId)).toEqual([stack('B'), stack('A')]);
});

describe('a declaration moved from stack A to stack B (restoreOnDelete in both)', () => {
  const both = withClaim(withClaim(EMPTY_LEDGER, A, { OWNER: ORIGINAL }), B, { OWNER: A_OWNER });

  test('B deployed first: A\'s Delete leaves B\'s owner alone, and B\'s Delete later restores the true original', () => {
    const afterA = release(both, A, { OWNER: ORIGINAL });
    expect(afterA).toMatchObject({ writes: {}, governedByOthers: ['OWNER'], ledger: { claims: [B], originals: { OWNER: ORIGINAL } } });
    expect(release(afterA.ledger, B, { OWNER: ORIGINAL })).toMatchObject({ writes: { OWNER: ORIGINAL }, restored: ['OWNER'], ledger: { claims: [] } });
  });

  test('B\'s Create rolled back: its Delete hands the owner back to A, which is still declared', () => {
    expect(release(both, B, { OWNER: ORIGINAL })).toMatchObject({ writes: { OWNER: A_OWNER }, handedBack: ['OWNER'], ledger: { claims: [A] } });
  });

  test('A deployed first: A restores the original and the ledger keeps no claim and no originals', () => {
    expect(release(withClaim(EMPTY_LEDGER, A, { OWNER: ORIGINAL }), A, { OWNER: ORIGINAL }))
      .toEqual({ writes: { OWNER: ORIGINAL }, restored: ['OWNER'], handedBack: [], governedByOthers: [], ledger: { claims: [], originals: undefined } });
  });
});

test('per key: a key only the deleted declaration declares is restored, one a newer declaration declares is left to it', () => {
  const wide = claim('A', { OWNER: A_OWNER, LAUNCH_ROLE: LAUNCH });
  const ledger = withClaim(withClaim(EMPTY_LEDGER, wide, { OWNER: ORIGINAL, LAUNCH_ROLE: ORIGINAL_LAUNCH }), B, {});
  expect(release(ledger, wide, undefined)).toMatchObject({ writes: { LAUNCH_ROLE: ORIGINAL_LAUNCH }, restored: ['LAUNCH_ROLE'], governedByOthers: ['OWNER'] });
});

test('a claim made before the ledger existed is the oldest: any claim the ledger holds is newer and governs', () => {
  const ledger = withClaim(EMPTY_LEDGER, B, { OWNER: A_OWNER });
  expect(release(ledger, A, { OWNER: ORIGINAL })).toMatchObject({ writes: {}, governedByOthers: ['OWNER'], ledger: { claims: [B] } });
});

test('without restoreOnDelete, nothing is restored; \'\' (no original value) is never written', () => {
  expect(release(withClaim(EMPTY_LEDGER, { ...A, restoreOnDelete: false }, undefined), { ...A, restoreOnDelete: false }, undefined).writes).toEqual({});
  expect(release(withClaim(EMPTY_LEDGER, A, { OWNER: '' }), A, { OWNER: '' }).writes).toEqual({});
});

test('our last record proves the owner only while it is the product\'s last record and SUCCEEDED', () => {
  const ledger = withWritten(EMPTY_LEDGER, { recordId: 'rec-1', values: { OWNER: A_OWNER } });
  expect(ownerKnownFromLedger(ledger, 'rec-1', 'SUCCEEDED')).toBe(A_OWNER);
  expect(ownerKnownFromLedger(ledger, 'rec-2', 'SUCCEEDED')).toBeUndefined();
  expect(ownerKnownFromLedger(ledger, 'rec-1', 'FAILED')).toBeUndefined();
  expect(ownerKnownFromLedger(ledger, undefined, undefined)).toBeUndefined();
  expect(ownerKnownFromLedger(undefined, 'rec-1', 'SUCCEEDED')).toBeUndefined();
});

test('serialized and parsed back whole; a value this version cannot read is undefined, never an empty ledger', () => {
  const ledger: Ledger = withWritten(withClaim(EMPTY_LEDGER, A, { OWNER: ORIGINAL }), { recordId: 'rec-1', values: { OWNER: A_OWNER } });
  expect(parseLedger(serializeLedger('pp-1', ledger))).toEqual(ledger);
  expect(parseLedger('not json')).toBeUndefined();
  expect(parseLedger('{"v":2,"claims":[]}')).toBeUndefined();
  expect(parseLedger('{"v":1,"claims":[{"stackId":1}]}')).toBeUndefined();
});

test('a ledger over SSM\'s Standard-tier limit is refused, naming the product and the limit', () => {
  const many = Array.from({ length: 40 }, (_, i) => claim(`Stack${i}`, { OWNER: A_OWNER, LAUNCH_ROLE: LAUNCH }));
  const ledger = many.reduce((l, c) => withClaim(l, c, undefined), EMPTY_LEDGER);
  expect(() => serializeLedger('pp-1', ledger)).toThrow(LedgerTooLarge);
  expect(() => serializeLedger('pp-1', ledger)).toThrow(new RegExp(`pp-1.*${LEDGER_MAX_CHARS}`));
});
