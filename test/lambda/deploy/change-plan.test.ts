/** The Create/Update planner, case by case as the README's "What happens when" table tells it. */
import { ChangeReading, ChangeRequest, declarationUnchanged, needsStackRead, planChange } from '../../../lambda/deploy/change-plan';
import { decodePhysicalId, encodePhysicalId } from '../../../lambda/deploy/physical-id';
import { ResourceDeclaration } from '../../../lib/shared/declaration';

const ACCOUNT = '123456789012';
const OWNER = `arn:aws:iam::${ACCOUNT}:role/Owner`;
const LAUNCH = `arn:aws:iam::${ACCOUNT}:role/Launch`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const OLD_LAUNCH = `arn:aws:iam::${ACCOUNT}:role/OldLaunch`;

const declaration: ResourceDeclaration = { product: { id: 'pp-1' }, values: { OWNER, LAUNCH_ROLE: LAUNCH }, timeoutSeconds: 60, restoreOnDelete: false };
const properties = { ProvisionedProductId: 'pp-1', Owner: OWNER, LaunchRoleArn: LAUNCH, TimeoutSeconds: '60' };

function create(overrides: Partial<ResourceDeclaration> = {}, props: Record<string, unknown> = properties): ChangeRequest {
  return { declaration: { ...declaration, ...overrides }, properties: props, token: 'token-1' };
}
function update(previous: Record<string, unknown>, physicalId = 'pp-1', overrides: Partial<ResourceDeclaration> = {},
  props: Record<string, unknown> = properties): ChangeRequest {
  return { ...create(overrides, props), previous: { properties: previous, physicalId } };
}
const idle: ChangeReading['activity'] = { kind: 'idle', status: 'AVAILABLE' };
function reading(owner: string | undefined, launchRoleArn: string | undefined, others?: ChangeReading['others']): ChangeReading {
  return { productId: 'pp-1', activity: idle, live: { kind: 'read', live: { owner: owner === undefined ? { listed: false } : { listed: true, userArn: owner }, launchRoleArn } }, others };
}
const noOthers: ChangeReading['others'] = { kind: 'read', declarations: [] };

describe('Create', () => {
  test('already in the declared state: no change', () => {
    expect(planChange(create(), reading(OWNER, LAUNCH))).toEqual({ kind: 'none', reason: 'in-declared-state', physicalId: 'pp-1', productId: 'pp-1' });
  });
  test('a value differs: one change with every declared key and the request\'s token', () => {
    expect(planChange(create(), reading(OWNER, OLD_LAUNCH))).toEqual({ kind: 'start', physicalId: 'pp-1', inheritedFrom: undefined,
      change: { idempotencyToken: 'token-1', provisionedProductId: 'pp-1', values: { OWNER, LAUNCH_ROLE: LAUNCH }, acceptLanguage: undefined } });
  });
  test('the owner is not listed by Search: unknown, so the change is made', () => {
    expect(planChange(create(), reading(undefined, LAUNCH)).kind).toBe('start');
  });
  test('the live values could not be read: the change is made anyway', () => {
    expect(planChange(create(), { productId: 'pp-1', activity: idle, live: { kind: 'unreadable', cause: 'ThrottlingException: x' } }).kind).toBe('start');
  });
});

describe('Update', () => {
  test('nothing relevant changed: nothing is read and nothing is done', () => {
    const request = update({ ...properties, TimeoutSeconds: '120', AcceptLanguage: 'jp' });
    expect(declarationUnchanged(request)).toBe(true);
    expect(planChange(request, 'not-read')).toEqual({ kind: 'none', reason: 'declaration-unchanged', physicalId: 'pp-1', productId: 'pp-1' });
  });
  test('a key that is no longer declared is no longer enforced: unchanged', () => {
    expect(declarationUnchanged(update(properties, 'pp-1', { values: { OWNER } }, { ...properties, LaunchRoleArn: undefined }))).toBe(true);
  });
  test.each([
    ['a new id', { ...properties, ProvisionedProductId: 'pp-0' }],
    ['a new owner', { ...properties, Owner: ALICE }],
    ['a newly declared launch role', { ...properties, LaunchRoleArn: undefined }],
    ['a new ProductRevision (the linked product changed)', { ...properties, ProductRevision: 'old' }],
    ['a new DeployCheck (checkOnEveryDeploy)', { ...properties, DeployCheck: 'old' }],
  ])('%s: read, and change what differs', (_title, previous) => {
    expect(declarationUnchanged(update(previous))).toBe(false);
  });
  test('turning restoreOnDelete on is a change: the originals must be captured', () => {
    const on = { restoreOnDelete: true };
    expect(declarationUnchanged(update(properties, 'pp-1', on, { ...properties, RestoreOnDelete: 'true' }))).toBe(false);
    expect(declarationUnchanged(update({ ...properties, RestoreOnDelete: 'true' }, 'pp-1', on, { ...properties, RestoreOnDelete: 'true' }))).toBe(true);
  });
  test('an unchanged Update with restoreOnDelete keeps its physical id whole, the originals with it', () => {
    const physicalId = encodePhysicalId('pp-1', { OWNER: ALICE, LAUNCH_ROLE: '' });
    const props = { ...properties, RestoreOnDelete: 'true' };
    const action = planChange(update(props, physicalId, { restoreOnDelete: true }, props), 'not-read');
    // A new physical id would be a replacement to CloudFormation, and the originals would be lost.
    expect(action).toEqual({ kind: 'none', reason: 'declaration-unchanged', physicalId, productId: 'pp-1' });
  });
});

describe('restoreOnDelete', () => {
  const restoring = { restoreOnDelete: true };
  test('the originals are captured into the physical id; \'\' marks a key that had no value', () => {
    const action = planChange(create(restoring), reading(ALICE, undefined, noOthers));
    expect(action.kind).toBe('start');
    expect(decodePhysicalId((action as { physicalId: string }).physicalId).originals).toEqual({ OWNER: ALICE, LAUNCH_ROLE: '' });
  });
  test('an Update keeps what the previous physical id kept, and captures only a newly declared key', () => {
    const kept = encodePhysicalId('pp-1', { OWNER: ALICE });
    const request = update({ ...properties, LaunchRoleArn: undefined, RestoreOnDelete: 'true' }, kept, restoring);
    expect(needsStackRead(request, 'pp-1')).toBe(false);
    const action = planChange(request, reading(OWNER, OLD_LAUNCH));
    expect(decodePhysicalId((action as { physicalId: string }).physicalId).originals).toEqual({ OWNER: ALICE, LAUNCH_ROLE: OLD_LAUNCH });
  });
  test('a new resource inherits the originals another declaration of the product keeps', () => {
    const others = { kind: 'read' as const, declarations: [{ logicalResourceId: 'Old', physicalResourceId: 'x', originals: { OWNER: ALICE, LAUNCH_ROLE: OLD_LAUNCH } }] };
    expect(needsStackRead(create(restoring), 'pp-1')).toBe(true);
    const action = planChange(create(restoring), reading(OWNER, LAUNCH, others));
    expect(action).toMatchObject({ kind: 'none', reason: 'in-declared-state' });
    expect(decodePhysicalId((action as { physicalId: string }).physicalId).originals).toEqual({ OWNER: ALICE, LAUNCH_ROLE: OLD_LAUNCH });
  });
  test.each([
    ['the live values could not be read', { productId: 'pp-1', activity: idle, live: { kind: 'unreadable' as const, cause: 'AccessDeniedException: no' } }, 'live-unreadable'],
    ['the stack could not be read', reading(ALICE, OLD_LAUNCH, { kind: 'unknown', cause: 'AccessDenied: no' }), 'stack-unreadable'],
    ['Search did not list the product', reading(undefined, OLD_LAUNCH, noOthers), 'owner-not-listed'],
    ['the originals do not fit the physical id', reading(`arn:aws:iam::${ACCOUNT}:role/${'p/'.repeat(300)}X`, `arn:aws:iam::${ACCOUNT}:role/${'q/'.repeat(300)}Y`, noOthers), 'originals-too-long'],
  ])('%s: the deploy fails before any write', (_title, read, kind) => {
    expect(planChange(create(restoring), read)).toMatchObject({ kind: 'fail', failure: { kind } });
  });
});

describe('the physical id', () => {
  test('is the product id, with the originals appended only for restoreOnDelete', () => {
    expect(encodePhysicalId('pp-1')).toBe('pp-1');
    expect(decodePhysicalId('pp-1')).toEqual({ provisionedProductId: 'pp-1' });
    const encoded = encodePhysicalId('pp-1', { OWNER: ALICE, LAUNCH_ROLE: LAUNCH });
    expect(encoded).toMatch(/^pp-1\/restore:[A-Za-z0-9_-]+$/);
    expect(decodePhysicalId(encoded)).toEqual({ provisionedProductId: 'pp-1', originals: { OWNER: ALICE, LAUNCH_ROLE: LAUNCH } });
    expect(decodePhysicalId('pp-1/restore:%%%')).toEqual({ provisionedProductId: 'pp-1' });
    expect(decodePhysicalId(undefined)).toEqual({});
  });
});
