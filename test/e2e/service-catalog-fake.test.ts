/**
 * Exercises the Service Catalog fake through the real @aws-sdk/client-service-catalog, so the
 * fake is held to what the SDK actually sends and parses. The fake runs on a ManualClock: a
 * record's status depends on how far the test moved the clock, never on the machine's load.
 */
import * as http from 'http';
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, DescribeRecordCommandOutput,
  RecordStatus, SearchProvisionedProductsCommand, SearchProvisionedProductsCommandInput, ServiceCatalogClient,
  ServiceCatalogClientConfig, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { isThrottlingError } from '@smithy/core/retry';
import { ManualClock, ServiceCatalogFake } from './service-catalog-fake';

const ACCOUNT = '123456789012';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/team/alice`;
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
const LAUNCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/SCLaunchRole`;
const CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/fake-caller/fake-session`;

const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_ENDPOINT_URL_SERVICE_CATALOG'] as const;
const savedEnv: Partial<Record<string, string>> = {};

let fake: ServiceCatalogFake;
let clock: ManualClock;
let clients: ServiceCatalogClient[] = [];

beforeAll(() => {
  for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
  process.env.AWS_ACCESS_KEY_ID = 'AKIDFAKEFAKEFAKE';
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
  process.env.AWS_REGION = 'us-east-1';
  delete process.env.AWS_ENDPOINT_URL_SERVICE_CATALOG;
});

afterAll(() => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

beforeEach(async () => {
  clock = new ManualClock();
  fake = await ServiceCatalogFake.start({ clock });
  fake.addProduct({ id: 'pp-main', name: 'main-product', recordDurationMs: 150 });
});

afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  await fake.stop();
});

/** A client pointed at the fake with an explicit endpoint; credentials and region come from the env. */
function client(config: Partial<ServiceCatalogClientConfig> = {}): ServiceCatalogClient {
  const c = new ServiceCatalogClient({ endpoint: fake.endpoint, ...config });
  clients.push(c);
  return c;
}

function update(c: ServiceCatalogClient, properties: Record<string, string>, token?: string, id = 'pp-main') {
  return c.send(new UpdateProvisionedProductPropertiesCommand({
    ProvisionedProductId: id, ProvisionedProductProperties: properties, IdempotencyToken: token,
  }));
}

/** Resolves with the error the promise rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

/**
 * Reads DescribeRecord until a terminal status, moving the fake's clock `stepMs` after each
 * read; returns every status seen, in order, and the fake's time of the terminal read.
 */
async function pollRecord(c: ServiceCatalogClient, recordId: string, stepMs = 10, maxReads = 1000) {
  const seen: RecordStatus[] = [];
  let last: DescribeRecordCommandOutput | undefined;
  for (let reads = 0; reads < maxReads; reads++) {
    last = await c.send(new DescribeRecordCommand({ Id: recordId }));
    const status = last.RecordDetail!.Status!;
    if (seen[seen.length - 1] !== status) seen.push(status);
    if (status === 'SUCCEEDED' || status === 'FAILED') break;
    clock.advance(stepMs);
  }
  return { seen, last: last!, seenAt: clock.now() };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every page of a Search, following NextPageToken: the ids on each page. */
async function searchPages(c: ServiceCatalogClient, input: SearchProvisionedProductsCommandInput): Promise<string[][]> {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const out = await c.send(new SearchProvisionedProductsCommand({ ...input, PageToken: token }));
    pages.push((out.ProvisionedProducts ?? []).map((p) => p.Id!));
    token = out.NextPageToken;
  } while (token !== undefined && pages.length < 100);
  return pages;
}

/** What the handler reads: Search at the account level for `id:<id>`; undefined when not listed. */
async function searchOwner(c: ServiceCatalogClient, id: string) {
  const out = await c.send(new SearchProvisionedProductsCommand({
    AccessLevelFilter: { Key: 'Account', Value: 'self' }, Filters: { SearchQuery: [`id:${id}`] },
  }));
  const found = out.ProvisionedProducts?.find((p) => p.Id === id);
  return found && { UserArn: found.UserArn, UserArnSession: found.UserArnSession };
}

/** A raw HTTP POST, to check the wire format the SDK hides. */
function rawPost(target: string | undefined, body: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: any }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/x-amz-json-1.1' };
    if (target) headers['X-Amz-Target'] = `AWS242ServiceCatalogService.${target}`;
    const req = http.request(fake.endpoint, { method: 'POST', agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('protocol', () => {
  test('a client configured only through AWS_ENDPOINT_URL_SERVICE_CATALOG reaches the fake', async () => {
    process.env.AWS_ENDPOINT_URL_SERVICE_CATALOG = fake.endpoint;
    try {
      const c = new ServiceCatalogClient({});
      clients.push(c);
      const out = await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
      expect(out.ProvisionedProductDetail?.Name).toBe('main-product');
      // Epoch-seconds timestamps come back as Dates with millisecond precision.
      expect(out.ProvisionedProductDetail?.CreatedTime?.getTime()).toBe(fake.product('pp-main')!.createdAt);
      expect(fake.callsOf('DescribeProvisionedProduct')).toHaveLength(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SERVICE_CATALOG;
    }
  });

  test('success and error responses have the AWS JSON 1.1 wire shape', async () => {
    const ok = await rawPost('DescribeProvisionedProduct', JSON.stringify({ Id: 'pp-main' }));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(ok.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.json.ProvisionedProductDetail.CreatedTime).toBe(fake.product('pp-main')!.createdAt / 1000);

    const notFound = await rawPost('DescribeRecord', JSON.stringify({ Id: 'rec-missing' }));
    expect(notFound.status).toBe(400);
    expect(notFound.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(notFound.json).toEqual({ __type: 'ResourceNotFoundException', Message: expect.stringContaining('rec-missing') });
  });

  test('unknown operations, missing targets and malformed JSON are rejected', async () => {
    const unknown = await rawPost('DeleteEverything', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.json.__type).toBe('UnknownOperationException');
    expect((await rawPost(undefined, '{}')).json.__type).toBe('UnknownOperationException');
    const malformed = await rawPost('DescribeRecord', '{"Id":');
    expect(malformed.json.__type).toBe('SerializationException');
    const wrongType = await rawPost('DescribeRecord', JSON.stringify({ Id: 42 }));
    expect(wrongType.json.__type).toBe('SerializationException');
    expect(fake.calls.map((c) => c.outcome)).toEqual([
      'UnknownOperationException', 'UnknownOperationException', 'SerializationException', 'SerializationException',
    ]);
    expect(fake.calls[0].operation).toBe('DeleteEverything');
    // Operations the project does not call are not served: a new call site must add them here first.
    expect((await rawPost('ScanProvisionedProducts', '{}')).json.__type).toBe('UnknownOperationException');
  });

  test('stop() closes keep-alive connections promptly', async () => {
    const c = client();
    await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    const started = Date.now();
    await fake.stop();
    expect(Date.now() - started).toBeLessThan(500);
    fake = await ServiceCatalogFake.start(); // afterEach stops it again
  });
});

describe('record lifecycle', () => {
  test('a successful update goes CREATED -> IN_PROGRESS -> SUCCEEDED and applies OWNER and LAUNCH_ROLE', async () => {
    const c = client();
    fake.configureProduct('pp-main', { recordDurationMs: 600 }); // CREATED lasts the first 10%: 60 ms
    const out = await update(c, { OWNER: ALICE, LAUNCH_ROLE: LAUNCH_ROLE }, 'token-success');
    expect(out.Status).toBe('CREATED');
    expect(out.RecordId).toMatch(/^rec-[a-z0-9]{13}$/);
    expect(out.ProvisionedProductProperties).toEqual({ OWNER: ALICE, LAUNCH_ROLE: LAUNCH_ROLE });

    const during = await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    expect(during.ProvisionedProductDetail?.Status).toBe('UNDER_CHANGE');
    expect(during.ProvisionedProductDetail?.LastRecordId).toBe(out.RecordId);

    const { seen, last, seenAt } = await pollRecord(c, out.RecordId!);
    expect(seen).toEqual(['CREATED', 'IN_PROGRESS', 'SUCCEEDED']);
    expect(last.RecordDetail).toMatchObject({
      RecordType: 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES', ProvisionedProductId: 'pp-main',
      ProvisionedProductName: 'main-product', RecordErrors: [],
    });
    const record = fake.record(out.RecordId!)!;
    expect(record.terminalAt! - record.createdAt).toBe(600);
    expect(record.timeline.map((t) => t.at - record.createdAt)).toEqual([0, 60, 600]);
    expect(seenAt).toBe(record.terminalAt); // read every 10 ms of fake time: seen the moment it ended
    expect(last.RecordDetail?.UpdatedTime?.getTime()).toBe(record.terminalAt);

    const after = await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    expect(after.ProvisionedProductDetail).toMatchObject({ Status: 'AVAILABLE', LaunchRoleArn: LAUNCH_ROLE });
    const search = await c.send(new SearchProvisionedProductsCommand({
      AccessLevelFilter: { Key: 'Account', Value: 'self' }, Filters: { SearchQuery: ['id:pp-main'] },
    }));
    expect(search.TotalResultsCount).toBe(1);
    expect(search.ProvisionedProducts?.[0]).toMatchObject({ Id: 'pp-main', UserArn: ALICE, Status: 'AVAILABLE' });
    expect(fake.product('pp-main')).toMatchObject({ ownerArn: ALICE, launchRoleArn: LAUNCH_ROLE, lastRecordId: out.RecordId });
  });

  test('a failed record reports RecordErrors and leaves the properties unchanged', async () => {
    const c = client();
    const errors = [{ Code: 'AccessDenied', Description: 'Not allowed to change the owner' }];
    fake.failNextRecord('pp-main', errors);
    const out = await update(c, { OWNER: ALICE });
    const { seen, last } = await pollRecord(c, out.RecordId!);
    expect(seen[seen.length - 1]).toBe('FAILED');
    expect(seen).not.toContain('IN_PROGRESS_IN_ERROR');
    expect(last.RecordDetail?.RecordErrors).toEqual(errors);
    expect(fake.product('pp-main')).toMatchObject({ status: 'AVAILABLE', ownerArn: CALLER });

    // failNextRecord is one-shot: the next record succeeds.
    const retry = await update(c, { OWNER: ALICE });
    expect((await pollRecord(c, retry.RecordId!)).seen).toContain('SUCCEEDED');
    expect(fake.product('pp-main')?.ownerArn).toBe(ALICE);
  });

  test('a record can pass through IN_PROGRESS_IN_ERROR before FAILED and taint the product', async () => {
    const c = client();
    const errors = [{ Code: 'StackFailed', Description: 'Stack update failed' }];
    fake.configureProduct('pp-main', {
      outcome: { status: 'FAILED', errors, inErrorFirst: true, productStatusAfter: 'TAINTED' }, recordDurationMs: 600,
    });
    const out = await update(c, { OWNER: ALICE });
    const { seen } = await pollRecord(c, out.RecordId!);
    expect(seen).toEqual(['CREATED', 'IN_PROGRESS', 'IN_PROGRESS_IN_ERROR', 'FAILED']);
    const timeline = fake.record(out.RecordId!)!.timeline.map((t) => t.status);
    expect(timeline).toEqual(seen);
    const pp = await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    expect(pp.ProvisionedProductDetail).toMatchObject({ Status: 'TAINTED', StatusMessage: 'Stack update failed' });
    expect(fake.product('pp-main')?.ownerArn).toBe(CALLER);
  });

  test('a stuck record stays IN_PROGRESS, blocks further updates, and can be released', async () => {
    const c = client();
    fake.setNextOutcome('pp-main', { stuck: true }, 50);
    const out = await update(c, { OWNER: ALICE }, 'token-stuck');
    clock.advance(200);
    const described = await c.send(new DescribeRecordCommand({ Id: out.RecordId! }));
    expect(described.RecordDetail?.Status).toBe('IN_PROGRESS');
    expect(fake.record(out.RecordId!)?.terminalAt).toBeUndefined();
    expect((await failure(update(c, { OWNER: BOB }))).name).toBe('InvalidStateException');

    fake.resolveRecord(out.RecordId!, { status: 'SUCCEEDED' });
    expect((await c.send(new DescribeRecordCommand({ Id: out.RecordId! }))).RecordDetail?.Status).toBe('SUCCEEDED');
    expect(fake.product('pp-main')).toMatchObject({ status: 'AVAILABLE', ownerArn: ALICE });
  });
});

describe('clock', () => {
  test('without a clock the fake follows wall-clock time', async () => {
    await fake.stop();
    fake = await ServiceCatalogFake.start(); // afterEach stops it
    fake.addProduct({ id: 'pp-wall', recordDurationMs: 20 });
    const out = await update(client(), { OWNER: ALICE }, undefined, 'pp-wall');
    expect(fake.record(out.RecordId!)!.createdAt).toBeLessThanOrEqual(Date.now());
    await sleep(40); // only a lower bound on elapsed time matters: no race
    expect(fake.record(out.RecordId!)!.status).toBe('SUCCEEDED');
  });

  test('a ManualClock only moves forward', () => {
    expect(() => clock.advance(-1)).toThrow('only moves forward');
    const start = clock.now();
    clock.set(start + 5);
    expect(clock.now()).toBe(start + 5);
  });
});

describe('idempotency', () => {
  test('replaying a token with the same input returns the original record and makes no change', async () => {
    const c = client();
    const first = await update(c, { OWNER: ALICE }, 'token-replay');
    const second = await update(c, { OWNER: ALICE }, 'token-replay'); // while the record is running
    expect(second.RecordId).toBe(first.RecordId);
    expect(second.Status).toBe('CREATED');
    await pollRecord(c, first.RecordId!);
    const third = await update(c, { OWNER: ALICE }, 'token-replay');
    expect(third).toMatchObject({ RecordId: first.RecordId, Status: 'SUCCEEDED' });

    const updates = fake.records('pp-main').filter((r) => r.type === 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES');
    expect(updates).toHaveLength(1);
    expect(fake.callsOf('UpdateProvisionedProductProperties').map((x) => x.replayed ?? false)).toEqual([false, true, true]);
    expect(fake.writeCalls()).toHaveLength(1);
  });

  test('reusing a token with different input is rejected and creates nothing', async () => {
    const c = client();
    await update(c, { OWNER: ALICE }, 'token-reused');
    const err = await failure(update(c, { OWNER: BOB }, 'token-reused'));
    expect(err.name).toBe('InvalidParametersException');
    expect(err.message).toContain('token-reused');
    expect(fake.writeCalls()).toHaveLength(1);
    expect(fake.callsOf('UpdateProvisionedProductProperties')[1].outcome).toBe('InvalidParametersException');
  });

  test('the SDK fills in a valid IdempotencyToken when none is given', async () => {
    const c = client();
    await update(c, { OWNER: ALICE });
    const token = fake.callsOf('UpdateProvisionedProductProperties')[0].input.IdempotencyToken;
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('modeled exceptions', () => {
  test('unknown provisioned product or record -> ResourceNotFoundException naming the id', async () => {
    const c = client();
    const errs = [
      await failure(update(c, { OWNER: ALICE }, undefined, 'pp-nope')),
      await failure(c.send(new DescribeRecordCommand({ Id: 'rec-nope' }))),
      await failure(c.send(new DescribeProvisionedProductCommand({ Id: 'pp-gone' }))),
    ];
    expect(errs.map((e) => e.name)).toEqual(Array(3).fill('ResourceNotFoundException'));
    expect(errs.map((e) => e.message)).toEqual([
      expect.stringContaining('pp-nope'), expect.stringContaining('rec-nope'), expect.stringContaining('pp-gone'),
    ]);
    expect(errs[0].$metadata?.httpStatusCode).toBe(400);
  });

  test('a product that is UNDER_CHANGE or PLAN_IN_PROGRESS -> InvalidStateException naming the status', async () => {
    const c = client();
    await update(c, { OWNER: ALICE });
    const busy = await failure(update(c, { OWNER: BOB }));
    expect(busy.name).toBe('InvalidStateException');
    expect(busy.message).toContain('UNDER_CHANGE');

    fake.addProduct({ id: 'pp-plan', status: 'PLAN_IN_PROGRESS' });
    const planning = await failure(update(c, { OWNER: BOB }, undefined, 'pp-plan'));
    expect(planning.name).toBe('InvalidStateException');
    expect(planning.message).toContain('PLAN_IN_PROGRESS');
    fake.setProductStatus('pp-plan', 'AVAILABLE');
    await expect(update(c, { OWNER: BOB }, undefined, 'pp-plan')).resolves.toMatchObject({ Status: 'CREATED' });
    expect(fake.writeCalls()).toHaveLength(2);
  });

  test('OWNER and LAUNCH_ROLE must be principal ARNs of the right kind and account', async () => {
    const c = client();
    const group = await failure(update(c, { OWNER: `arn:aws:iam::${ACCOUNT}:group/admins` }));
    expect(group.name).toBe('InvalidParametersException');
    expect(group.message).toContain('OWNER');
    const userAsRole = await failure(update(c, { LAUNCH_ROLE: ALICE }));
    expect(userAsRole.name).toBe('InvalidParametersException');
    expect(userAsRole.message).toContain('LAUNCH_ROLE');
    const otherAccount = await failure(update(c, { OWNER: 'arn:aws:iam::210987654321:user/eve' }));
    expect(otherAccount.name).toBe('InvalidParametersException');
    expect(fake.writeCalls()).toHaveLength(0);

    // Assumed-role sessions and roles are valid owners.
    fake.addProduct({ id: 'pp-2', recordDurationMs: 0 });
    await expect(update(c, { OWNER: CALLER.replace('fake-session', 'other-session') }, undefined, 'pp-2')).resolves.toBeDefined();
    fake.addProduct({ id: 'pp-3', recordDurationMs: 0 });
    await expect(update(c, { OWNER: LAUNCH_ROLE }, undefined, 'pp-3')).resolves.toBeDefined();
  });

  test('DescribeProvisionedProduct needs exactly one of Id or Name', async () => {
    const c = client();
    expect((await failure(c.send(new DescribeProvisionedProductCommand({})))).name).toBe('InvalidParametersException');
    expect((await failure(c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main', Name: 'main-product' })))).name)
      .toBe('InvalidParametersException');
    const byName = await c.send(new DescribeProvisionedProductCommand({ Name: 'main-product' }));
    expect(byName.ProvisionedProductDetail?.Id).toBe('pp-main');
  });
});

describe('model validation (ValidationException)', () => {
  test('an id that does not match the whole pattern', async () => {
    const err = await failure(update(client(), { OWNER: ALICE }, undefined, 'bad!id'));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe("1 validation error detected: Value 'bad!id' at 'provisionedProductId' failed to satisfy "
      + 'constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-]*');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(fake.calls[0].outcome).toBe('ValidationException');
  });

  test('a token longer than 128 characters', async () => {
    const err = await failure(update(client(), { OWNER: ALICE }, 'a'.repeat(129)));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain("at 'idempotencyToken' failed to satisfy constraint: Member must have length less than or equal to 128");
  });

  test('an unknown property key', async () => {
    const err = await failure(update(client(), { COLOR: 'blue' }));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe("1 validation error detected: Value '{COLOR=blue}' at 'provisionedProductProperties' failed to "
      + 'satisfy constraint: Map keys must satisfy constraint: [Member must satisfy enum value set: [OWNER, LAUNCH_ROLE]]');
  });

  test('an empty properties map', async () => {
    const err = await failure(update(client(), {}));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain("at 'provisionedProductProperties' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect(fake.calls[0].input.ProvisionedProductProperties).toEqual({});
  });

  test('several violations are reported together; nothing is changed', async () => {
    const err = await failure(update(client(), { OWNER: 'x'.repeat(1025) }, '-starts-with-dash', ''));
    expect(err.message).toMatch(/^3 validation errors detected: /);
    expect(err.message).toContain("Value '' at 'provisionedProductId' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect(err.message).toContain('Map value must satisfy constraint: [Member must have length less than or equal to 1024]');
    expect(err.message).toContain("Value '-starts-with-dash' at 'idempotencyToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9][a-zA-Z0-9_-]*");
    expect(fake.records('pp-main')).toHaveLength(1); // only the provisioning record
  });

  test('missing required members and out-of-range integers', async () => {
    const raw = await rawPost('UpdateProvisionedProductProperties', JSON.stringify({ ProvisionedProductId: 'pp-main', ProvisionedProductProperties: { OWNER: ALICE } }));
    expect(raw.json.Message).toBe("1 validation error detected: Value null at 'idempotencyToken' failed to satisfy constraint: Member must not be null");
    const err = await failure(client().send(new DescribeRecordCommand({ Id: 'rec-x', PageSize: 21 })));
    expect(err.message).toContain("Value 21 at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 20");
  });
});

describe('search', () => {
  beforeEach(() => {
    fake.addProduct({ id: 'pp-alice', name: 'alice-product', ownerArn: ALICE, launchRoleArn: LAUNCH_ROLE });
    fake.addProduct({ id: 'pp-session', name: 'session-product', ownerArn: CALLER.replace('fake-session', 'other') });
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
    fake.configure({ searchLagMs: 1000 });
    fake.addProduct({ id: 'pp-new' });
    expect((await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-new' }))).ProvisionedProductDetail?.Id).toBe('pp-new');
    const hidden = await c.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: ACCOUNT_LEVEL, Filters: { SearchQuery: ['id:pp-new'] } }));
    expect(hidden).toMatchObject({ ProvisionedProducts: [], TotalResultsCount: 0 });
    expect(fake.searchCatchesUpAt('pp-new')).toBe(fake.product('pp-new')!.createdAt + 1000);
    clock.advance(999);
    expect(await searchOwner(c, 'pp-new')).toBeUndefined();
    clock.advance(1);
    expect(await searchOwner(c, 'pp-new')).toEqual({ UserArn: CALLER, UserArnSession: CALLER });
    expect(await searchOwner(c, 'pp-main')).toBeDefined(); // added before the switch: no lag
  });

  test('an OWNER change shows the stale owner during the lag by default, or nothing with searchLagReading unlisted', async () => {
    const c = client();
    fake.configure({ searchLagMs: 500 });
    const out = await update(c, { OWNER: ALICE }); // pp-main: 150 ms records
    clock.advance(150);
    expect(fake.record(out.RecordId!)?.status).toBe('SUCCEEDED');
    expect(fake.product('pp-main')?.ownerArn).toBe(ALICE);
    expect(fake.searchCatchesUpAt('pp-main')).toBe(fake.record(out.RecordId!)!.terminalAt! + 500);
    expect(await searchOwner(c, 'pp-main')).toEqual({ UserArn: CALLER, UserArnSession: CALLER });
    const byNewOwner = await c.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: ACCOUNT_LEVEL, Filters: { SearchQuery: [`userArn:${ALICE}`] } }));
    expect(byNewOwner.ProvisionedProducts).toEqual([]);

    fake.configure({ searchLagReading: 'unlisted' });
    expect(await searchOwner(c, 'pp-main')).toBeUndefined();
    clock.advance(500);
    expect(await searchOwner(c, 'pp-main')).toEqual({ UserArn: ALICE, UserArnSession: ALICE });
  });

  test('a product can have its own lag, or never be listed', async () => {
    const c = client();
    fake.configure({ searchLagMs: 60_000 });
    fake.addProduct({ id: 'pp-quick', searchLagMs: 0 });
    fake.addProduct({ id: 'pp-lost', neverListed: true, searchLagMs: 0 });
    expect(await searchOwner(c, 'pp-quick')).toBeDefined();
    clock.advance(3_600_000);
    expect(await searchOwner(c, 'pp-lost')).toBeUndefined();
    expect((await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-lost' }))).ProvisionedProductDetail?.Status).toBe('AVAILABLE');
    fake.configureProduct('pp-lost', { neverListed: false });
    expect(await searchOwner(c, 'pp-lost')).toBeDefined();
    expect(() => fake.configureProduct('pp-lost', { searchLagMs: -1 })).toThrow('searchLagMs');
  });

  test('the default page size is a switch, and searchMaxPageSize caps what PageSize asks', async () => {
    const c = client();
    fake.addProduct({ id: 'pp-b' });
    fake.addProduct({ id: 'pp-c' });
    expect(await searchPages(c, { AccessLevelFilter: ACCOUNT_LEVEL })).toEqual([['pp-main', 'pp-b', 'pp-c']]); // default 20
    fake.configure({ searchDefaultPageSize: 1 });
    expect(await searchPages(c, { AccessLevelFilter: ACCOUNT_LEVEL })).toEqual([['pp-main'], ['pp-b'], ['pp-c']]);
    expect(await searchPages(c, { AccessLevelFilter: ACCOUNT_LEVEL, PageSize: 0 })).toHaveLength(3); // 0 means the default
    expect(await searchPages(c, { AccessLevelFilter: ACCOUNT_LEVEL, PageSize: 2 })).toEqual([['pp-main', 'pp-b'], ['pp-c']]);
    fake.configure({ searchMaxPageSize: 1 });
    const first = await c.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: ACCOUNT_LEVEL, PageSize: 100 }));
    expect(first).toMatchObject({ ProvisionedProducts: [{ Id: 'pp-main' }], TotalResultsCount: 3, NextPageToken: expect.any(String) });
    const err = await failure(c.send(new SearchProvisionedProductsCommand({ PageSize: 101 })));
    expect(err.name).toBe('ValidationException'); // the model's range is 0-100
  });

  test('with searchPaging page-then-filter a match can sit behind empty pages', async () => {
    const c = client();
    fake.addProduct({ id: 'pp-b' });
    fake.addProduct({ id: 'pp-c' });
    fake.configure({ searchDefaultPageSize: 1, searchPaging: 'page-then-filter' });
    const input = { AccessLevelFilter: ACCOUNT_LEVEL, Filters: { SearchQuery: ['id:pp-c'] } };
    expect(await searchPages(c, input)).toEqual([[], [], ['pp-c']]);
    expect((await c.send(new SearchProvisionedProductsCommand(input))).TotalResultsCount).toBe(1);
    expect(await searchOwner(c, 'pp-c')).toBeUndefined(); // a reader of page one only misses it
  });

  test('a field query matches the whole field; free text matches any part of any field', async () => {
    const c = client();
    fake.addProduct({ id: 'pp-mainly', name: 'other' });
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
    fake.addProduct({ id: 'pp-s', ownerArn: session });
    expect(await searchOwner(c, 'pp-s')).toEqual({ UserArn: session, UserArnSession: session }); // default 'as-set'
    fake.configure({ ownerArnForm: 'role-and-session' });
    expect(await searchOwner(c, 'pp-s')).toEqual({ UserArn: `arn:aws:iam::${ACCOUNT}:role/Deployer`, UserArnSession: session });
    fake.registerRolePath('Deployer', '/team/');
    const withPath = `arn:aws:iam::${ACCOUNT}:role/team/Deployer`;
    expect(await searchOwner(c, 'pp-s')).toEqual({ UserArn: withPath, UserArnSession: session });
    const ids = async (q: string) => (await c.send(new SearchProvisionedProductsCommand({
      AccessLevelFilter: ACCOUNT_LEVEL, Filters: { SearchQuery: [q] },
    }))).ProvisionedProducts?.map((p) => p.Id);
    expect(await ids(`userArn:${withPath}`)).toEqual(['pp-s']);
    expect(await ids(`userArnSession:${session}`)).toEqual(['pp-s']);
    expect(await searchOwner(c, 'pp-main')).toEqual({ UserArn: `arn:aws:iam::${ACCOUNT}:role/fake-caller`, UserArnSession: CALLER });
    expect(() => fake.registerRolePath('Deployer', 'team')).toThrow('IAM path');
  });

  test('ownerRolePath dropped: UserArn names a role without its path; user paths stay', async () => {
    const c = client();
    fake.addProduct({ id: 'pp-role', ownerArn: LAUNCH_ROLE }); // role/service-role/SCLaunchRole
    fake.addProduct({ id: 'pp-user', ownerArn: ALICE }); // user/team/alice
    expect(await searchOwner(c, 'pp-role')).toEqual({ UserArn: LAUNCH_ROLE, UserArnSession: LAUNCH_ROLE }); // default 'kept'
    fake.configure({ ownerRolePath: 'dropped' });
    expect(await searchOwner(c, 'pp-role')).toEqual({ UserArn: `arn:aws:iam::${ACCOUNT}:role/SCLaunchRole`, UserArnSession: LAUNCH_ROLE });
    expect(await searchOwner(c, 'pp-user')).toEqual({ UserArn: ALICE, UserArnSession: ALICE });
    fake.configure({ ownerArnForm: 'role-and-session' });
    fake.registerRolePath('fake-caller', '/ops/');
    expect((await searchOwner(c, 'pp-main'))?.UserArn).toBe(`arn:aws:iam::${ACCOUNT}:role/fake-caller`);
  });

  test('switches are checked, settable at start and reported', async () => {
    expect(() => fake.configure({ searchDefaultPageSize: 0 })).toThrow('searchDefaultPageSize');
    expect(() => fake.configure({ searchMaxPageSize: 101 })).toThrow('searchMaxPageSize');
    expect(() => fake.configure({ searchLagMs: -1 })).toThrow('searchLagMs');
    expect(() => fake.configure({ searchLagReading: 'late' as never })).toThrow('stale-owner, unlisted');
    expect(() => fake.configure({ ownerArnForm: 'role' as never })).toThrow('as-set, role-and-session');
    expect(fake.switches).toMatchObject({
      searchLagMs: 0, searchLagReading: 'stale-owner', searchDefaultPageSize: 20, ownerArnForm: 'as-set', ownerRolePath: 'kept',
    });
    const other = await ServiceCatalogFake.start({ clock, searchLagMs: 250, searchPaging: 'page-then-filter' });
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
    fake.configure({ recordVisibleAfterMs: 100 });
    const out = await update(c, { OWNER: ALICE }, 'token-late');
    expect(out.Status).toBe('CREATED');
    const early = await failure(c.send(new DescribeRecordCommand({ Id: out.RecordId! })));
    expect(early.name).toBe('ResourceNotFoundException');
    expect(early.message).toContain(out.RecordId!);
    // The product already names it, and a replay of the token returns it.
    expect((await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }))).ProvisionedProductDetail?.LastRecordId).toBe(out.RecordId);
    expect((await update(c, { OWNER: ALICE }, 'token-late')).RecordId).toBe(out.RecordId);
    const record = fake.record(out.RecordId!)!;
    expect(record.visibleAt).toBe(record.createdAt + 100);
    clock.advance(99);
    expect((await failure(c.send(new DescribeRecordCommand({ Id: out.RecordId! })))).name).toBe('ResourceNotFoundException');
    clock.advance(1);
    expect((await c.send(new DescribeRecordCommand({ Id: out.RecordId! }))).RecordDetail?.Status).toBe('IN_PROGRESS');
    expect(fake.callsOf('DescribeRecord').map((x) => x.outcome)).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException', 'ok']);
  });

  test('a product can have its own record read lag', async () => {
    const c = client();
    fake.addProduct({ id: 'pp-slow', recordVisibleAfterMs: 50 });
    const slow = await update(c, { OWNER: ALICE }, undefined, 'pp-slow');
    const quick = await update(c, { OWNER: ALICE });
    expect((await failure(c.send(new DescribeRecordCommand({ Id: slow.RecordId! })))).name).toBe('ResourceNotFoundException');
    await expect(c.send(new DescribeRecordCommand({ Id: quick.RecordId! }))).resolves.toBeDefined();
    fake.configureProduct('pp-main', { recordVisibleAfterMs: 30 });
    clock.advance(1000);
    const next = await update(c, { OWNER: BOB });
    expect(fake.record(next.RecordId!)!.visibleAt - fake.record(next.RecordId!)!.createdAt).toBe(30);
    expect(() => fake.configure({ recordVisibleAfterMs: -5 })).toThrow('recordVisibleAfterMs');
  });
});

describe('IAM propagation (addPrincipal)', () => {
  const NEW_ROLE = `arn:aws:iam::${ACCOUNT}:role/team/NewOwner`;

  test('a principal is refused with InvalidParametersException until it propagates, and nothing is created', async () => {
    const c = client();
    expect(fake.addPrincipal(NEW_ROLE, { propagatesAfterMs: 500 })).toBe(clock.now() + 500);
    const asOwner = await failure(update(c, { OWNER: NEW_ROLE }, 'token-new-owner'));
    expect(asOwner.name).toBe('InvalidParametersException');
    expect(asOwner.message).toContain(NEW_ROLE);
    const asLaunchRole = await failure(update(c, { LAUNCH_ROLE: NEW_ROLE }));
    expect(asLaunchRole.name).toBe('InvalidParametersException');
    expect(fake.records('pp-main')).toHaveLength(1);
    expect(fake.product('pp-main')?.status).toBe('AVAILABLE');
    clock.advance(499);
    expect((await failure(update(c, { OWNER: NEW_ROLE }, 'token-new-owner'))).name).toBe('InvalidParametersException');
    clock.advance(1);
    await expect(update(c, { OWNER: NEW_ROLE }, 'token-new-owner')).resolves.toMatchObject({ Status: 'CREATED' });
    expect(fake.writeCalls()).toHaveLength(1);
  });

  test('createdAt places the creation in the past; Infinity never propagates; unregistered principals are accepted', async () => {
    const c = client();
    fake.addPrincipal(ALICE, { createdAt: clock.now() - 1000, propagatesAfterMs: 400 });
    fake.addPrincipal(BOB, { propagatesAfterMs: Infinity });
    fake.addProduct({ id: 'pp-2', recordDurationMs: 0 });
    fake.addProduct({ id: 'pp-3', recordDurationMs: 0 });
    await expect(update(c, { OWNER: ALICE }, undefined, 'pp-2')).resolves.toBeDefined();
    clock.advance(86_400_000);
    expect((await failure(update(c, { OWNER: BOB }, undefined, 'pp-3'))).name).toBe('InvalidParametersException');
    await expect(update(c, { OWNER: `arn:aws:iam::${ACCOUNT}:user/carol` }, undefined, 'pp-3')).resolves.toBeDefined();
    expect(() => fake.addPrincipal('arn:aws:iam::123456789012:group/admins')).toThrow('not an IAM user');
  });

  test('a role registered with a path lends it to UserArn under role-and-session', async () => {
    const c = client();
    fake.addPrincipal(NEW_ROLE);
    fake.configure({ ownerArnForm: 'role-and-session' });
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/NewOwner/s1`;
    fake.addProduct({ id: 'pp-s', ownerArn: session });
    expect(await searchOwner(c, 'pp-s')).toEqual({ UserArn: NEW_ROLE, UserArnSession: session });
  });
});

describe('idempotency token order and refusals (switches)', () => {
  test('tokenCheck state-first: a replay while UNDER_CHANGE is refused; once AVAILABLE it returns the original record', async () => {
    const c = client();
    fake.configure({ tokenCheck: 'state-first' });
    const first = await update(c, { OWNER: ALICE }, 'token-order');
    const busy = await failure(update(c, { OWNER: ALICE }, 'token-order'));
    expect(busy.name).toBe('InvalidStateException');
    expect(busy.message).toContain('UNDER_CHANGE');
    expect((await failure(update(c, { OWNER: BOB }, 'token-order'))).name).toBe('InvalidStateException'); // state before token
    clock.advance(150);
    await expect(update(c, { OWNER: ALICE }, 'token-order')).resolves.toMatchObject({ RecordId: first.RecordId, Status: 'SUCCEEDED' });
    const reused = await failure(update(c, { OWNER: BOB }, 'token-order'));
    expect(reused.message).toContain('already been used with different parameters');
    expect(fake.callsOf('UpdateProvisionedProductProperties').map((x) => x.effect)).toEqual(['created', 'refused', 'refused', 'replayed', 'refused']);
    expect(fake.updateSummary()).toMatchObject({ calls: 5, created: 1, replayed: 1, refused: 3, replayedRefusals: 0 });
  });

  test('tokenCheck token-first (default): a replay while UNDER_CHANGE gets the original record', async () => {
    const c = client();
    expect(fake.switches.tokenCheck).toBe('token-first');
    const first = await update(c, { OWNER: ALICE }, 'token-order');
    await expect(update(c, { OWNER: ALICE }, 'token-order')).resolves.toMatchObject({ RecordId: first.RecordId, Status: 'CREATED' });
    expect(fake.updateSummary()).toMatchObject({ created: 1, replayed: 1, refused: 0 });
  });

  test('by default a refused call leaves its token unused', async () => {
    const c = client();
    fake.setProductStatus('pp-main', 'UNDER_CHANGE');
    expect((await failure(update(c, { OWNER: ALICE }, 'token-refused'))).name).toBe('InvalidStateException');
    fake.setProductStatus('pp-main', 'AVAILABLE');
    await expect(update(c, { OWNER: ALICE }, 'token-refused')).resolves.toMatchObject({ Status: 'CREATED' });
  });

  test('refusalConsumesToken: a refused token answers the same refusal again, even once the cause is gone', async () => {
    const c = client();
    fake.configure({ refusalConsumesToken: true });
    fake.setProductStatus('pp-main', 'UNDER_CHANGE');
    const busy = await failure(update(c, { OWNER: ALICE }, 'token-busy'));
    fake.setProductStatus('pp-main', 'AVAILABLE');
    const again = await failure(update(c, { OWNER: ALICE }, 'token-busy'));
    expect([again.name, again.message]).toEqual([busy.name, busy.message]);
    expect(fake.callsOf('UpdateProvisionedProductProperties')[1]).toMatchObject({ effect: 'refused', replayed: true });

    const NEW_ROLE = `arn:aws:iam::${ACCOUNT}:role/Fresh`;
    fake.addPrincipal(NEW_ROLE, { propagatesAfterMs: 100 });
    const unknown = await failure(update(c, { OWNER: NEW_ROLE }, 'token-fresh'));
    clock.advance(100);
    expect((await failure(update(c, { OWNER: NEW_ROLE }, 'token-fresh'))).message).toBe(unknown.message);
    expect((await failure(update(c, { OWNER: ALICE }, 'token-fresh'))).message).toContain('already been used with different parameters');

    // ResourceNotFoundException does not use up the token.
    expect((await failure(update(c, { OWNER: ALICE }, 'token-later', 'pp-later'))).name).toBe('ResourceNotFoundException');
    fake.addProduct({ id: 'pp-later' });
    await expect(update(c, { OWNER: ALICE }, 'token-later', 'pp-later')).resolves.toMatchObject({ Status: 'CREATED' });
    await expect(update(c, { OWNER: ALICE }, 'token-new')).resolves.toMatchObject({ Status: 'CREATED' });
    expect(fake.updateSummary()).toMatchObject({ calls: 8, created: 2, refused: 6, replayedRefusals: 2 });
    expect(() => fake.configure({ tokenCheck: 'never' as never })).toThrow('token-first, state-first');
  });

  test('the call log tells created, replayed, refused, throttled and faulted Update calls apart', async () => {
    const c = client({ maxAttempts: 1 });
    await update(c, { OWNER: ALICE }, 'token-log');
    await update(c, { OWNER: ALICE }, 'token-log');
    await failure(update(c, { OWNER: 'not-an-arn' }));
    await failure(update(c, {})); // ValidationException: refused too
    fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'throttle' }, { kind: 'server-error' }, { kind: 'reset' });
    for (let i = 0; i < 3; i++) await failure(update(c, { OWNER: ALICE }, 'token-log'));
    expect(fake.updateSummary()).toEqual({ calls: 7, created: 1, replayed: 1, refused: 2, replayedRefusals: 0, throttled: 1, faulted: 2 });
    expect(fake.writeCalls()).toHaveLength(1);
  });
});

describe('throttling (switch throttle)', () => {
  const describePp = (c: ServiceCatalogClient) => c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));

  test('past its bucket an operation answers 400 ThrottlingException "Rate exceeded", which the SDK recognises', async () => {
    const c = client({ maxAttempts: 1 });
    fake.configure({ throttle: { ratePerSecond: 5, burst: 3 } });
    for (let i = 0; i < 3; i++) await describePp(c);
    const err = await failure(describePp(c));
    expect([err.name, err.message, err.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 'Rate exceeded', 400]);
    expect(isThrottlingError(err as Parameters<typeof isThrottlingError>[0])).toBe(true);
    const raw = await rawPost('DescribeProvisionedProduct', JSON.stringify({ Id: 'pp-main' }));
    expect([raw.status, raw.headers['x-amzn-errortype'], raw.json.__type]).toEqual([400, 'ThrottlingException', 'ThrottlingException']);
    // Each operation has its own bucket.
    await expect(c.send(new DescribeRecordCommand({ Id: fake.product('pp-main')!.lastRecordId }))).resolves.toBeDefined();
    expect(fake.callsOf('DescribeProvisionedProduct').map((x) => x.outcome)).toEqual(['ok', 'ok', 'ok', 'throttled', 'throttled']);
  });

  test('the bucket refills at ratePerSecond on the fake clock, up to burst', async () => {
    const c = client({ maxAttempts: 1 });
    fake.configure({ throttle: { ratePerSecond: 5, burst: 2 } });
    await describePp(c);
    await describePp(c);
    clock.advance(199);
    expect((await failure(describePp(c))).name).toBe('ThrottlingException'); // 0.995 of a token
    clock.advance(1);
    await describePp(c);
    expect((await failure(describePp(c))).name).toBe('ThrottlingException');
    clock.advance(60_000); // refills to burst, not beyond
    await describePp(c);
    await describePp(c);
    expect((await failure(describePp(c))).name).toBe('ThrottlingException');
  });

  test('per-operation rates, throttled Updates in the summary, and off again', async () => {
    const c = client({ maxAttempts: 1 });
    fake.configure({ throttle: { ratePerSecond: 100, burst: 100, operations: { UpdateProvisionedProductProperties: { ratePerSecond: 0, burst: 1 } } } });
    await update(c, { OWNER: ALICE }, 'token-t');
    const err = await failure(update(c, { OWNER: ALICE }, 'token-t'));
    expect(err.name).toBe('ThrottlingException');
    for (let i = 0; i < 10; i++) await describePp(c);
    expect(fake.updateSummary()).toMatchObject({ calls: 2, created: 1, replayed: 0, throttled: 1, faulted: 0 });
    expect(fake.callsOf('UpdateProvisionedProductProperties')[1].effect).toBeUndefined(); // it never reached the service
    fake.configure({ throttle: undefined });
    await expect(update(c, { OWNER: ALICE }, 'token-t')).resolves.toMatchObject({ Status: 'CREATED' });
    expect(() => fake.configure({ throttle: { ratePerSecond: 1, burst: 0 } })).toThrow('burst >= 1');
  });

  test('the default retry strategy retries a throttled call as throttling', async () => {
    const c = client(); // default maxAttempts: 3
    fake.configure({ throttle: { ratePerSecond: 0, burst: 1 } }); // the fake clock stands still: never refills
    await describePp(c);
    const err = await failure(describePp(c));
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata?.attempts).toBe(3);
    expect(fake.callsOf('DescribeProvisionedProduct').map((x) => x.outcome)).toEqual(['ok', 'throttled', 'throttled', 'throttled']);
  });
});

describe('fault injection', () => {
  test('two throttles are retried transparently by the default retry strategy', async () => {
    const c = client(); // default maxAttempts: 3
    fake.injectFaults('DescribeProvisionedProduct', { kind: 'throttle' }, { kind: 'throttle' });
    const out = await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    expect(out.ProvisionedProductDetail?.Id).toBe('pp-main');
    expect(out.$metadata.attempts).toBe(3);
    expect(fake.callsOf('DescribeProvisionedProduct').map((x) => x.outcome)).toEqual(['throttle', 'throttle', 'ok']);
    expect(fake.pendingFaults('DescribeProvisionedProduct')).toBe(0);
  });

  test('throttling beyond maxAttempts surfaces ThrottlingException', async () => {
    fake.injectFaults('DescribeRecord', { kind: 'throttle' }, { kind: 'throttle' });
    const err = await failure(client({ maxAttempts: 2 }).send(new DescribeRecordCommand({ Id: fake.product('pp-main')!.lastRecordId })));
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata?.attempts).toBe(2);
  });

  test('server-error answers 500 InternalFailure, which the SDK retries', async () => {
    fake.injectFaults('DescribeProvisionedProduct', { kind: 'server-error' }, { kind: 'server-error' });
    const err = await failure(client({ maxAttempts: 1 }).send(new DescribeProvisionedProductCommand({ Id: 'pp-main' })));
    expect(err.name).toBe('InternalFailure');
    expect(err.$metadata?.httpStatusCode).toBe(500);
    const out = await client().send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    expect(out.$metadata.attempts).toBe(2);
    expect(fake.callsOf('DescribeProvisionedProduct').map((x) => x.outcome)).toEqual(['server-error', 'server-error', 'ok']);
  });

  test('reset drops the connection; a retried update with the same token creates one record', async () => {
    fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'reset' });
    const err = await failure(update(client({ maxAttempts: 1 }), { OWNER: ALICE }, 'token-reset-1'));
    expect(err.message).toContain('ECONNRESET');

    fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'reset' });
    const out = await update(client(), { OWNER: ALICE }, 'token-reset-2');
    expect(out.$metadata.attempts).toBe(2);
    expect(fake.callsOf('UpdateProvisionedProductProperties').map((x) => x.outcome)).toEqual(['reset', 'reset', 'ok']);
    expect(fake.writeCalls()).toHaveLength(1);
  });

  test('delay answers normally, late; the work is done on arrival', async () => {
    fake.injectFaults('DescribeProvisionedProduct', { kind: 'delay', ms: 250 });
    const started = Date.now();
    await client().send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(fake.callsOf('DescribeProvisionedProduct')[0]).toMatchObject({ outcome: 'ok', fault: 'delay' });

    // A client that times out and retries with the same token gets the original record back.
    fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'delay', ms: 400 });
    const out = await update(client({ requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true } }), { OWNER: ALICE }, 'token-delay');
    expect(out.$metadata.attempts).toBe(2);
    expect(fake.callsOf('UpdateProvisionedProductProperties').map((x) => x.replayed ?? false)).toEqual([false, true]);
    expect(fake.writeCalls()).toHaveLength(1);
  });

  test('stop() does not wait for delayed responses', async () => {
    fake.injectFaults('DescribeProvisionedProduct', { kind: 'delay', ms: 10_000 });
    const pending = failure(client({ maxAttempts: 1 }).send(new DescribeProvisionedProductCommand({ Id: 'pp-main' })));
    await sleep(50);
    const started = Date.now();
    await fake.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect((await pending).message).toBeTruthy();
    fake = await ServiceCatalogFake.start(); // afterEach stops it again
  });
});
