/**
 * The handler under each reading of what Service Catalog does not document, end to end: the
 * built asset in the provider framework, the real SDK, and the fake with the switch for that
 * reading (test/e2e/service-catalog-fake/switches.ts). Each test sets up its own product.
 */
import { createRequest } from './cloudformation-request';
import { ACCOUNT, arn, synthesizedResource, useEndToEnd } from './e2e-setup';
import { DEFAULT_SWITCHES } from './service-catalog-fake/switches';

const e2e = useEndToEnd();
const OWNER = arn('role/PlatformTeam');
const ALICE = arn('user/alice');
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/PlatformTeam/alice`;
const created = (id: string) => e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id && c.effect === 'created');
const updates = (id: string) => e2e.fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id);
const create = (props: Parameters<typeof synthesizedResource>[0]) => e2e.harness.send(createRequest(synthesizedResource(props)));

afterEach(() => e2e.fake.configure(DEFAULT_SWITCHES));

describe('SearchProvisionedProducts lags behind the product', () => {
  test('a product Search lists only after a moment is found by a later search: its originals are kept', async () => {
    const id = 'pp-lagged00001';
    // Explicit ordering, not a lag in ms: the first Search does not list the product, the next ones do.
    e2e.fake.addProduct({ id, ownerArn: ALICE, neverListed: true });
    e2e.fake.onAnswered((c) => c.operation === 'SearchProvisionedProducts' && JSON.stringify(c.input).includes(id),
      () => e2e.fake.configureProduct(id, { neverListed: false }));
    const response = await create({ id, owner: OWNER, restoreOnDelete: true });
    expect(response.Status).toBe('SUCCESS');
    const kept = JSON.parse(Buffer.from(response.PhysicalResourceId.split('/restore:')[1], 'base64url').toString('utf8'));
    expect(kept).toEqual({ OWNER: ALICE });
    expect(e2e.fake.callsOf('SearchProvisionedProducts').filter((c) => JSON.stringify(c.input).includes(id)).length).toBeGreaterThan(1);
  });

  test('a product Search never lists: restoreOnDelete fails the deploy clearly, and nothing is written', async () => {
    const id = 'pp-unlisted001';
    e2e.fake.addProduct({ id, ownerArn: ALICE, neverListed: true });
    const response = await create({ id, owner: OWNER, restoreOnDelete: true });
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^SearchProvisionedProducts did not list provisioned product pp-unlisted001 after 4 searches/);
    expect(updates(id)).toHaveLength(0);
  });

  test('without restoreOnDelete, an unlisted owner is unknown: the change is made, not skipped', async () => {
    const id = 'pp-unlisted002';
    e2e.fake.addProduct({ id, ownerArn: OWNER, neverListed: true });
    await expect(create({ id, owner: OWNER })).resolves.toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true' } });
    expect(created(id)).toHaveLength(1);
  });

  test('the match behind empty pages (page-then-filter, pages of 1) is found: a product in place gets no write', async () => {
    e2e.fake.configure({ searchPaging: 'page-then-filter', searchMaxPageSize: 1 });
    const id = 'pp-paged000001';
    for (let i = 0; i < 4; i++) e2e.fake.addProduct({ id: `pp-paged-other${i}`, ownerArn: ALICE });
    e2e.fake.addProduct({ id, ownerArn: OWNER });
    await expect(create({ id, owner: OWNER })).resolves.toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'false' } });
    expect(updates(id)).toHaveLength(0);
  });
});

describe('how Search reports an owner', () => {
  test.each([
    ['as set', { ownerArnForm: 'as-set' as const }],
    ['as the role IAM ARN with the session in UserArnSession', { ownerArnForm: 'role-and-session' as const }],
    ['as the role with its path, and the session', { ownerArnForm: 'role-and-session' as const, path: '/teams/' }],
  ])('an assumed-role owner already in place, reported %s, is never "corrected" again', async (_title, reading) => {
    e2e.fake.configure({ ownerArnForm: reading.ownerArnForm });
    if ('path' in reading) e2e.fake.registerRolePath('PlatformTeam', reading.path!);
    const id = `pp-session-${reading.ownerArnForm}${'path' in reading ? 'p' : ''}`.slice(0, 30);
    e2e.fake.addProduct({ id, ownerArn: SESSION });
    await expect(create({ id, owner: SESSION })).resolves.toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'false' } });
    expect(updates(id)).toHaveLength(0);
    e2e.fake.registerRolePath('PlatformTeam', '/');
  });

  test('a role owner with a path, reported without it, is in place', async () => {
    e2e.fake.configure({ ownerRolePath: 'dropped' });
    const id = 'pp-pathdrop001';
    const withPath = arn('role/teams/platform/PathTeam');
    e2e.fake.addProduct({ id, ownerArn: withPath });
    await expect(create({ id, owner: withPath })).resolves.toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'false' } });
    expect(updates(id)).toHaveLength(0);
  });
});

test('a record DescribeRecord cannot find for a moment is followed to SUCCEEDED', async () => {
  const id = 'pp-latercd0001';
  // Counted in reads, not ms: the record's first two DescribeRecord reads do not find it.
  e2e.fake.configure({ recordNotFoundReads: 2 });
  e2e.fake.addProduct({ id, ownerArn: ALICE });
  await expect(create({ id, owner: OWNER })).resolves.toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
  const recordId = created(id)[0].recordId!;
  expect(e2e.fake.callsOf('DescribeRecord').filter((c) => c.input.Id === recordId).map((c) => c.outcome)).toContain('ResourceNotFoundException');
});

test('an owner that IAM has not propagated yet is retried until Service Catalog accepts it: one change', async () => {
  const id = 'pp-propagate01';
  const fresh = arn('role/CreatedThisDeploy');
  // Explicit ordering: the principal is refused until Service Catalog has refused it once, then usable.
  e2e.fake.addPrincipal(fresh, { propagatesAfterMs: Infinity });
  e2e.fake.onAnswered((c) => c.operation === 'UpdateProvisionedProductProperties' && c.input.ProvisionedProductId === id && c.outcome === 'InvalidParametersException',
    () => e2e.fake.addPrincipal(fresh));
  e2e.fake.addProduct({ id, ownerArn: ALICE });
  await expect(create({ id, owner: fresh })).resolves.toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
  expect(updates(id).map((c) => c.effect)).toEqual([...updates(id).slice(0, -1).map(() => 'refused'), 'created']);
  expect(updates(id).length).toBeGreaterThan(1);
  expect(e2e.fake.product(id)!.ownerArn).toBe(fresh);
});

describe.each([
  ['token-first', false], ['state-first', false], ['state-first', true],
] as const)('a busy product, the service checking %s (a refusal remembered with its token: %s)', (tokenCheck, refusalConsumesToken) => {
  test('a product that turns busy between the read and the change: it waits with reads only, and the change is made exactly once', async () => {
    e2e.fake.configure({ tokenCheck, refusalConsumesToken });
    const id = `pp-busy-${tokenCheck}-${refusalConsumesToken}`.slice(0, 30);
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    // Explicit ordering: the product is free when the handler reads its status, another operation starts on it once its
    // owner has been read (so the change is refused), and it is freed after the refusal and one read that still finds it busy.
    e2e.fake.onAnswered((c) => c.operation === 'SearchProvisionedProducts', () => e2e.fake.setProductStatus(id, 'UNDER_CHANGE'));
    e2e.fake.onAnswered((c) => c.operation === 'UpdateProvisionedProductProperties' && c.input.ProvisionedProductId === id && c.effect === 'refused',
      () => e2e.fake.onAnswered((c) => c.operation === 'DescribeProvisionedProduct' && c.input.Id === id, () => e2e.fake.setProductStatus(id, 'AVAILABLE')));
    await expect(create({ id, owner: OWNER })).resolves.toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
    expect(created(id)).toHaveLength(1);
    // Where the service remembers a refusal with its token, the next invocation's replay of that token is refused again
    // (replayed) and moves on to the next token (lambda/product/tokens.ts): no second change either way.
    expect(updates(id).filter((c) => !c.replayed).map((c) => c.effect)).toEqual(['refused', 'created']);
    expect(updates(id).filter((c) => c.replayed).every((c) => c.effect === 'refused')).toBe(true);
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  });
});
