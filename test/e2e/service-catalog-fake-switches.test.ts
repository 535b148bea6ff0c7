/**
 * The Service Catalog fake's Search and its switches for what Service Catalog does not document:
 * a lagging search index, pages, owner ARN forms, records that appear late and IAM propagation.
 * The setup (a new fake on a ManualClock for each test) is in service-catalog-fake/fake-test-support.ts.
 */
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, SearchProvisionedProductsCommand, SearchProvisionedProductsCommandInput,
} from '@aws-sdk/client-service-catalog';
import { ServiceCatalogFake } from './service-catalog-fake';
import {
  ACCOUNT, ALICE, BOB, CALLER, LAUNCH_ROLE, failure, searchOwner, searchPages, update, useFake,
} from './service-catalog-fake/fake-test-support';

const sc = useFake();
const { client } = sc;

describe('search', () => {
  beforeEach(() => {
    sc.fake.addProduct({ id: 'pp-alice', name: 'alice-product', ownerArn: ALICE, launchRoleArn: LAUNCH_ROLE });
    sc.fake.addProduct({ id: 'pp-session', name: 'session-product', ownerArn: CALLER.replace('fake-session', 'other') });
  });

  test('SearchProvisionedProducts honours AccessLevelFilter (default User), queries, sorting and paging', async () => {
    const c = client();
    const ids = async (input: SearchProvisionedProductsCommandInput) =>
      (await c.send(new SearchProvisionedProductsCommand(input))).ProvisionedProducts?.map((p) => p.Id);
    expect(await ids({})).toEqual(['pp-main']); // the caller's own products
    expect(await ids({ AccessLevelFilter: { Key: 'Role', Value: 'self' } })).toEqual(['pp-main', 'pp-session']);
    expect(await ids({ AccessLevelFilter: { Key: 'Account', Value: 'self' }, SortBy: 'name', SortOrder: 'DESCENDING' }))
      .toEqual(['pp-session', 'pp-main', 'pp-alice']);
    expect(await ids({ AccessLevelFilter: { Key: 'Account' }, Filters: { SearchQuery: ['name:alice-product'] } })).toEqual(['pp-alice']);
    expect(await ids({ AccessLevelFilter: { Key: 'Account' }, Filters: { SearchQuery: [`userArn:${ALICE}`] } })).toEqual(['pp-alice']);

    const page1 = await c.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: 'Account' }, PageSize: 2 }));
    expect(page1).toMatchObject({ TotalResultsCount: 3, ProvisionedProducts: [{ Id: 'pp-main' }, { Id: 'pp-alice' }] });
    const page2 = await c.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: 'Account' }, PageSize: 2, PageToken: page1.NextPageToken }));
    expect(page2.ProvisionedProducts?.map((p) => p.Id)).toEqual(['pp-session']);
    expect(page2.NextPageToken).toBeUndefined();
    expect((await failure(c.send(new SearchProvisionedProductsCommand({ SortBy: 'color' })))).name).toBe('InvalidParametersException');
  });
});

describe('search index, pages and owner forms (switches)', () => {
  const ACCOUNT_LEVEL = { Key: 'Account' as const, Value: 'self' };

  test('with searchLagMs a new product exists at once but Search lists it only after the lag', async () => {
    const c = client();
    sc.fake.configure({ searchLagMs: 1000 });
    sc.fake.addProduct({ id: 'pp-new' });
    expect((await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-new' }))).ProvisionedProductDetail?.Id).toBe('pp-new');
    const hidden = await c.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: ACCOUNT_LEVEL, Filters: { SearchQuery: ['id:pp-new'] } }));
    expect(hidden).toMatchObject({ ProvisionedProducts: [], TotalResultsCount: 0 });
    expect(sc.fake.searchCatchesUpAt('pp-new')).toBe(sc.fake.product('pp-new')!.createdAt + 1000);
    sc.clock.advance(999);
    expect(await searchOwner(c, 'pp-new')).toBeUndefined();
    sc.clock.advance(1);
    expect(await searchOwner(c, 'pp-new')).toEqual({ UserArn: CALLER, UserArnSession: CALLER });
    expect(await searchOwner(c, 'pp-main')).toBeDefined(); // added before the switch: no lag
  });

  test('an OWNER change shows the stale owner during the lag by default, or nothing with searchLagReading unlisted', async () => {
    const c = client();
    sc.fake.configure({ searchLagMs: 500 });
    const out = await update(c, { OWNER: ALICE }); // pp-main: 150 ms records
    sc.clock.advance(150);
    expect(sc.fake.record(out.RecordId!)?.status).toBe('SUCCEEDED');
    expect(sc.fake.product('pp-main')?.ownerArn).toBe(ALICE);
    expect(sc.fake.searchCatchesUpAt('pp-main')).toBe(sc.fake.record(out.RecordId!)!.terminalAt! + 500);
    expect(await searchOwner(c, 'pp-main')).toEqual({ UserArn: CALLER, UserArnSession: CALLER });
    const byNewOwner = await c.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: ACCOUNT_LEVEL, Filters: { SearchQuery: [`userArn:${ALICE}`] } }));
    expect(byNewOwner.ProvisionedProducts).toEqual([]);

    sc.fake.configure({ searchLagReading: 'unlisted' });
    expect(await searchOwner(c, 'pp-main')).toBeUndefined();
    sc.clock.advance(500);
    expect(await searchOwner(c, 'pp-main')).toEqual({ UserArn: ALICE, UserArnSession: ALICE });
  });

  test('a product can have its own lag, or never be listed', async () => {
    const c = client();
    sc.fake.configure({ searchLagMs: 60_000 });
    sc.fake.addProduct({ id: 'pp-quick', searchLagMs: 0 });
    sc.fake.addProduct({ id: 'pp-lost', neverListed: true, searchLagMs: 0 });
    expect(await searchOwner(c, 'pp-quick')).toBeDefined();
    sc.clock.advance(3_600_000);
    expect(await searchOwner(c, 'pp-lost')).toBeUndefined();
    expect((await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-lost' }))).ProvisionedProductDetail?.Status).toBe('AVAILABLE');
    sc.fake.configureProduct('pp-lost', { neverListed: false });
    expect(await searchOwner(c, 'pp-lost')).toBeDefined();
    expect(() => sc.fake.configureProduct('pp-lost', { searchLagMs: -1 })).toThrow('searchLagMs');
  });

  test('the default page size is a switch, and searchMaxPageSize caps what PageSize asks', async () => {
    const c = client();
    sc.fake.addProduct({ id: 'pp-b' });
    sc.fake.addProduct({ id: 'pp-c' });
    expect(await searchPages(c, { AccessLevelFilter: ACCOUNT_LEVEL })).toEqual([['pp-main', 'pp-b', 'pp-c']]); // default 20
    sc.fake.configure({ searchDefaultPageSize: 1 });
    expect(await searchPages(c, { AccessLevelFilter: ACCOUNT_LEVEL })).toEqual([['pp-main'], ['pp-b'], ['pp-c']]);
    expect(await searchPages(c, { AccessLevelFilter: ACCOUNT_LEVEL, PageSize: 0 })).toHaveLength(3); // 0 means the default
    expect(await searchPages(c, { AccessLevelFilter: ACCOUNT_LEVEL, PageSize: 2 })).toEqual([['pp-main', 'pp-b'], ['pp-c']]);
    sc.fake.configure({ searchMaxPageSize: 1 });
    const first = await c.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: ACCOUNT_LEVEL, PageSize: 100 }));
    expect(first).toMatchObject({ ProvisionedProducts: [{ Id: 'pp-main' }], TotalResultsCount: 3, NextPageToken: expect.any(String) });
    const err = await failure(c.send(new SearchProvisionedProductsCommand({ PageSize: 101 })));
    expect(err.name).toBe('ValidationException'); // the model's range is 0-100
  });

  test('with searchPaging page-then-filter a match can sit behind empty pages', async () => {
    const c = client();
    sc.fake.addProduct({ id: 'pp-b' });
    sc.fake.addProduct({ id: 'pp-c' });
    sc.fake.configure({ searchDefaultPageSize: 1, searchPaging: 'page-then-filter' });
    const input = { AccessLevelFilter: ACCOUNT_LEVEL, Filters: { SearchQuery: ['id:pp-c'] } };
    expect(await searchPages(c, input)).toEqual([[], [], ['pp-c']]);
    expect((await c.send(new SearchProvisionedProductsCommand(input))).TotalResultsCount).toBe(1);
    expect(await searchOwner(c, 'pp-c')).toBeUndefined(); // a reader of page one only misses it
  });

  test('a field query matches the whole field; free text matches any part of any field', async () => {
    const c = client();
    sc.fake.addProduct({ id: 'pp-mainly', name: 'other' });
    const ids = async (q: string) => (await c.send(new SearchProvisionedProductsCommand({
      AccessLevelFilter: ACCOUNT_LEVEL, Filters: { SearchQuery: [q] },
    }))).ProvisionedProducts?.map((p) => p.Id);
    expect(await ids('id:pp-main')).toEqual(['pp-main']);
    expect(await ids('id:pp-ma')).toEqual([]);
    expect(await ids('pp-ma')).toEqual(['pp-main', 'pp-mainly']);
    expect(await ids('MAIN-PRODUCT')).toEqual(['pp-main']);
  });

  test('ownerArnForm role-and-session: UserArn is the role of an assumed-role OWNER, UserArnSession the session', async () => {
    const c = client();
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/deploy-42`;
    sc.fake.addProduct({ id: 'pp-s', ownerArn: session });
    expect(await searchOwner(c, 'pp-s')).toEqual({ UserArn: session, UserArnSession: session }); // default 'as-set'
    sc.fake.configure({ ownerArnForm: 'role-and-session' });
    expect(await searchOwner(c, 'pp-s')).toEqual({ UserArn: `arn:aws:iam::${ACCOUNT}:role/Deployer`, UserArnSession: session });
    sc.fake.registerRolePath('Deployer', '/team/');
    const withPath = `arn:aws:iam::${ACCOUNT}:role/team/Deployer`;
    expect(await searchOwner(c, 'pp-s')).toEqual({ UserArn: withPath, UserArnSession: session });
    const ids = async (q: string) => (await c.send(new SearchProvisionedProductsCommand({
      AccessLevelFilter: ACCOUNT_LEVEL, Filters: { SearchQuery: [q] },
    }))).ProvisionedProducts?.map((p) => p.Id);
    expect(await ids(`userArn:${withPath}`)).toEqual(['pp-s']);
    expect(await ids(`userArnSession:${session}`)).toEqual(['pp-s']);
    expect(await searchOwner(c, 'pp-main')).toEqual({ UserArn: `arn:aws:iam::${ACCOUNT}:role/fake-caller`, UserArnSession: CALLER });
    expect(() => sc.fake.registerRolePath('Deployer', 'team')).toThrow('IAM path');
  });

  test('ownerRolePath dropped: UserArn names a role without its path; user paths stay', async () => {
    const c = client();
    sc.fake.addProduct({ id: 'pp-role', ownerArn: LAUNCH_ROLE }); // role/service-role/SCLaunchRole
    sc.fake.addProduct({ id: 'pp-user', ownerArn: ALICE }); // user/team/alice
    expect(await searchOwner(c, 'pp-role')).toEqual({ UserArn: LAUNCH_ROLE, UserArnSession: LAUNCH_ROLE }); // default 'kept'
    sc.fake.configure({ ownerRolePath: 'dropped' });
    expect(await searchOwner(c, 'pp-role')).toEqual({ UserArn: `arn:aws:iam::${ACCOUNT}:role/SCLaunchRole`, UserArnSession: LAUNCH_ROLE });
    expect(await searchOwner(c, 'pp-user')).toEqual({ UserArn: ALICE, UserArnSession: ALICE });
    sc.fake.configure({ ownerArnForm: 'role-and-session' });
    sc.fake.registerRolePath('fake-caller', '/ops/');
    expect((await searchOwner(c, 'pp-main'))?.UserArn).toBe(`arn:aws:iam::${ACCOUNT}:role/fake-caller`);
  });

  test('switches are checked, settable at start and reported', async () => {
    expect(() => sc.fake.configure({ searchDefaultPageSize: 0 })).toThrow('searchDefaultPageSize');
    expect(() => sc.fake.configure({ searchMaxPageSize: 101 })).toThrow('searchMaxPageSize');
    expect(() => sc.fake.configure({ searchLagMs: -1 })).toThrow('searchLagMs');
    expect(() => sc.fake.configure({ searchLagReading: 'late' as never })).toThrow('stale-owner, unlisted');
    expect(() => sc.fake.configure({ ownerArnForm: 'role' as never })).toThrow('as-set, role-and-session');
    expect(sc.fake.switches).toMatchObject({
      searchLagMs: 0, searchLagReading: 'stale-owner', searchDefaultPageSize: 20, ownerArnForm: 'as-set', ownerRolePath: 'kept',
    });
    const other = await ServiceCatalogFake.start({ clock: sc.clock, searchLagMs: 250, searchPaging: 'page-then-filter' });
    try {
      expect(other.switches).toMatchObject({ searchLagMs: 250, searchPaging: 'page-then-filter', searchMaxPageSize: 100 });
    } finally {
      await other.stop();
    }
  });
});

describe('records appearing late (switch recordVisibleAfterMs)', () => {
  test('DescribeRecord answers ResourceNotFoundException until the record is visible', async () => {
    const c = client();
    sc.fake.configure({ recordVisibleAfterMs: 100 });
    const out = await update(c, { OWNER: ALICE }, 'token-late');
    expect(out.Status).toBe('CREATED');
    const early = await failure(c.send(new DescribeRecordCommand({ Id: out.RecordId! })));
    expect(early.name).toBe('ResourceNotFoundException');
    expect(early.message).toContain(out.RecordId!);
    // The product already names it, and a replay of the token returns it.
    expect((await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }))).ProvisionedProductDetail?.LastRecordId).toBe(out.RecordId);
    expect((await update(c, { OWNER: ALICE }, 'token-late')).RecordId).toBe(out.RecordId);
    const record = sc.fake.record(out.RecordId!)!;
    expect(record.visibleAt).toBe(record.createdAt + 100);
    sc.clock.advance(99);
    expect((await failure(c.send(new DescribeRecordCommand({ Id: out.RecordId! })))).name).toBe('ResourceNotFoundException');
    sc.clock.advance(1);
    expect((await c.send(new DescribeRecordCommand({ Id: out.RecordId! }))).RecordDetail?.Status).toBe('IN_PROGRESS');
    expect(sc.fake.callsOf('DescribeRecord').map((x) => x.outcome)).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException', 'ok']);
  });

  test('a product can have its own record read lag', async () => {
    const c = client();
    sc.fake.addProduct({ id: 'pp-slow', recordVisibleAfterMs: 50 });
    const slow = await update(c, { OWNER: ALICE }, undefined, 'pp-slow');
    const quick = await update(c, { OWNER: ALICE });
    expect((await failure(c.send(new DescribeRecordCommand({ Id: slow.RecordId! })))).name).toBe('ResourceNotFoundException');
    await expect(c.send(new DescribeRecordCommand({ Id: quick.RecordId! }))).resolves.toBeDefined();
    sc.fake.configureProduct('pp-main', { recordVisibleAfterMs: 30 });
    sc.clock.advance(1000);
    const next = await update(c, { OWNER: BOB });
    expect(sc.fake.record(next.RecordId!)!.visibleAt - sc.fake.record(next.RecordId!)!.createdAt).toBe(30);
    expect(() => sc.fake.configure({ recordVisibleAfterMs: -5 })).toThrow('recordVisibleAfterMs');
  });
});

describe('IAM propagation (addPrincipal)', () => {
  const NEW_ROLE = `arn:aws:iam::${ACCOUNT}:role/team/NewOwner`;

  test('a principal is refused with InvalidParametersException until it propagates, and nothing is created', async () => {
    const c = client();
    expect(sc.fake.addPrincipal(NEW_ROLE, { propagatesAfterMs: 500 })).toBe(sc.clock.now() + 500);
    const asOwner = await failure(update(c, { OWNER: NEW_ROLE }, 'token-new-owner'));
    expect(asOwner.name).toBe('InvalidParametersException');
    expect(asOwner.message).toContain(NEW_ROLE);
    const asLaunchRole = await failure(update(c, { LAUNCH_ROLE: NEW_ROLE }));
    expect(asLaunchRole.name).toBe('InvalidParametersException');
    expect(sc.fake.records('pp-main')).toHaveLength(1);
    expect(sc.fake.product('pp-main')?.status).toBe('AVAILABLE');
    sc.clock.advance(499);
    expect((await failure(update(c, { OWNER: NEW_ROLE }, 'token-new-owner'))).name).toBe('InvalidParametersException');
    sc.clock.advance(1);
    await expect(update(c, { OWNER: NEW_ROLE }, 'token-new-owner')).resolves.toMatchObject({ Status: 'CREATED' });
    expect(sc.fake.writeCalls()).toHaveLength(1);
  });

  test('createdAt places the creation in the past; Infinity never propagates; unregistered principals are accepted', async () => {
    const c = client();
    sc.fake.addPrincipal(ALICE, { createdAt: sc.clock.now() - 1000, propagatesAfterMs: 400 });
    sc.fake.addPrincipal(BOB, { propagatesAfterMs: Infinity });
    sc.fake.addProduct({ id: 'pp-2', recordDurationMs: 0 });
    sc.fake.addProduct({ id: 'pp-3', recordDurationMs: 0 });
    await expect(update(c, { OWNER: ALICE }, undefined, 'pp-2')).resolves.toBeDefined();
    sc.clock.advance(86_400_000);
    expect((await failure(update(c, { OWNER: BOB }, undefined, 'pp-3'))).name).toBe('InvalidParametersException');
    await expect(update(c, { OWNER: `arn:aws:iam::${ACCOUNT}:user/carol` }, undefined, 'pp-3')).resolves.toBeDefined();
    expect(() => sc.fake.addPrincipal('arn:aws:iam::123456789012:group/admins')).toThrow('not an IAM user');
  });

  test('a role registered with a path lends it to UserArn under role-and-session', async () => {
    const c = client();
    sc.fake.addPrincipal(NEW_ROLE);
    sc.fake.configure({ ownerArnForm: 'role-and-session' });
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/NewOwner/s1`;
    sc.fake.addProduct({ id: 'pp-s', ownerArn: session });
    expect(await searchOwner(c, 'pp-s')).toEqual({ UserArn: NEW_ROLE, UserArnSession: session });
  });
});
