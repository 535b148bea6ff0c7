/**
 * The planners decide on complete facts (issue 17): what runs on the product, and the deploy's
 * phase (an Update that releases a key, a Delete whose keys another declaration takes over).
 * Requests are built from synthesized templates, as CloudFormation sends them.
 */
import { ChangeReading, declarationUnchanged, planChange } from '../../../lambda/deploy/change-plan';
import { changeRequestOf } from '../../../lambda/deploy/request';
import { DeleteRequest, planDelete } from '../../../lambda/deploy/delete-plan';
import { decodePhysicalId, encodePhysicalId } from '../../../lambda/deploy/physical-id';
import { createRequest, updateRequest } from '../../e2e/cloudformation-request';
import { arn, synthesizedResource } from '../../e2e/e2e-setup';

const OWNER = arn('role/Owner');
const ORIGINAL = arn('user/alice');
const LAUNCH = arn('role/Launch');
const ORIGINAL_LAUNCH = arn('role/OriginalLaunch');
const idle = (owner = OWNER, launchRoleArn?: string): ChangeReading => ({
  productId: 'pp-1', activity: { kind: 'idle', status: 'AVAILABLE', lastRecordId: 'rec-0' },
  live: { kind: 'read', live: { owner: { listed: true, userArn: owner }, launchRoleArn } }, others: { kind: 'read', declarations: [] },
});

describe('what runs on the product', () => {
  const create = changeRequestOf(createRequest(synthesizedResource({ id: 'pp-1', owner: OWNER })));
  test('a record still running: the change is left to isComplete, live values are not judged', () => {
    expect(planChange(create, { productId: 'pp-1', activity: { kind: 'busy', recordId: 'rec-1', cause: 'record rec-1 is still IN_PROGRESS' } }))
      .toMatchObject({ kind: 'start-when-free', physicalId: 'pp-1', change: { values: { OWNER } } });
  });
  test('restoreOnDelete with a value to capture while a record runs: fails before any write, saying why', () => {
    const request = changeRequestOf(createRequest(synthesizedResource({ id: 'pp-1', owner: OWNER, restoreOnDelete: true })));
    expect(planChange(request, { productId: 'pp-1', activity: { kind: 'busy', cause: 'the product is UNDER_CHANGE' } }))
      .toEqual({ kind: 'fail', failure: { kind: 'busy-before-capture', productId: 'pp-1', cause: 'the product is UNDER_CHANGE' } });
  });
  test.each([
    ['gone', 'product-gone'], ['unreadable', 'product-unreadable'],
  ] as const)('a product %s fails at once, not after waiting', (kind, failure) => {
    expect(planChange(create, { productId: 'pp-1', activity: { kind, cause: 'x' } })).toMatchObject({ kind: 'fail', failure: { kind: failure } });
  });
});

describe('the deploy\'s phase', () => {
  const v1 = synthesizedResource({ id: 'pp-1', owner: OWNER, restoreOnDelete: true });
  const v2 = synthesizedResource({ id: 'pp-1', owner: OWNER, launchRole: LAUNCH, restoreOnDelete: true });
  const p2 = encodePhysicalId('pp-1', { OWNER: ORIGINAL, LAUNCH_ROLE: ORIGINAL_LAUNCH });

  test('an Update that stops declaring a key with restoreOnDelete (or the rollback of its first declaration) puts its original back', () => {
    const rollback = changeRequestOf(updateRequest(v1, { resource: v2, physicalResourceId: p2 }));
    expect(declarationUnchanged(rollback)).toBe(false);
    const action = planChange(rollback, idle(OWNER, LAUNCH));
    expect(action).toMatchObject({ kind: 'start', change: { values: { OWNER, LAUNCH_ROLE: ORIGINAL_LAUNCH } } });
    expect(decodePhysicalId((action as { physicalId: string }).physicalId).originals).toEqual({ OWNER: ORIGINAL });
  });

  test('a changed ProvisionedProductName is a change, read again', () => {
    const byName = synthesizedResource({ name: 'db-prod', owner: OWNER });
    const renamed = synthesizedResource({ name: 'db-prod-2', owner: OWNER });
    expect(declarationUnchanged(changeRequestOf(updateRequest(renamed, { resource: byName, physicalResourceId: 'pp-1' })))).toBe(false);
  });

  test('after a product switch, the originals kept for the old product are not reused: the new product\'s are captured', () => {
    const other = synthesizedResource({ id: 'pp-2', owner: OWNER, restoreOnDelete: true });
    const request = changeRequestOf(updateRequest(other, { resource: v1, physicalResourceId: encodePhysicalId('pp-1', { OWNER: ORIGINAL }) }));
    const action = planChange(request, { ...idle(arn('user/bob')), productId: 'pp-2' });
    expect(decodePhysicalId((action as { physicalId: string }).physicalId)).toEqual({ provisionedProductId: 'pp-2', originals: { OWNER: arn('user/bob') } });
  });

  test('a Delete puts back only the keys no other declaration takes over', () => {
    const request: DeleteRequest = { physicalId: p2, restoreOnDelete: true, token: 't' };
    const others = { kind: 'read' as const, declarations: [{ logicalResourceId: 'Ownership', physicalResourceId: 'x', originals: { OWNER: ORIGINAL } }] };
    expect(planDelete(request, { others, activity: { kind: 'idle' }, live: { owner: { listed: true, userArn: OWNER }, launchRoleArn: LAUNCH } }))
      .toMatchObject({ kind: 'restore', change: { values: { LAUNCH_ROLE: ORIGINAL_LAUNCH } } });
    const plain = { kind: 'read' as const, declarations: [{ logicalResourceId: 'Ownership', physicalResourceId: 'pp-1' }] };
    expect(planDelete(request, { others: plain })).toEqual({ kind: 'keep', reason: 'handed-over' });
  });

  test('a Delete that meets a running record leaves the restore to isComplete', () => {
    const request: DeleteRequest = { physicalId: p2, restoreOnDelete: true, token: 't' };
    expect(planDelete(request, { others: { kind: 'read', declarations: [] }, activity: { kind: 'busy', cause: 'c' } }))
      .toMatchObject({ kind: 'restore-when-free', change: { values: { OWNER: ORIGINAL, LAUNCH_ROLE: ORIGINAL_LAUNCH } } });
  });

  test('originals whose physical id is over CloudFormation\'s 1,024 characters fail before any write; up to 1,024 they are kept', () => {
    const request = changeRequestOf(createRequest(synthesizedResource({ id: 'pp-1', owner: OWNER, restoreOnDelete: true })));
    const withPath = (n: number) => arn(`user/${'p/'.repeat(n)}alice`);
    const lengthFor = (n: number) => encodePhysicalId('pp-1', { OWNER: withPath(n) }).length;
    const fits = [...Array(600).keys()].filter((n) => lengthFor(n) <= 1024).pop()!;
    expect(planChange(request, idle(withPath(fits)))).toMatchObject({ kind: 'start' });
    expect(lengthFor(fits + 1)).toBeLessThan(1100);
    expect(planChange(request, idle(withPath(fits + 1)))).toMatchObject({ kind: 'fail', failure: { kind: 'originals-too-long', max: 1024 } });
  });
});
