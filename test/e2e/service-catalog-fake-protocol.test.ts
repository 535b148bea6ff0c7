/**
 * The Service Catalog fake through the real @aws-sdk/client-service-catalog: its wire protocol,
 * the record lifecycle, its clock, idempotency tokens and modeled exceptions. The setup (a new
 * fake on a ManualClock for each test) is in service-catalog-fake/fake-test-support.ts.
 */
import { DescribeProvisionedProductCommand, DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { ServiceCatalogFake } from './service-catalog-fake';
import {
  ACCOUNT, ALICE, BOB, CALLER, LAUNCH_ROLE, failure, update, useFake,
} from './service-catalog-fake/fake-test-support';

const sc = useFake();
const { client, clients, pollRecord, rawPost } = sc;

describe('protocol', () => {
  test('a client configured only through AWS_ENDPOINT_URL_SERVICE_CATALOG reaches the fake', async () => {
    process.env.AWS_ENDPOINT_URL_SERVICE_CATALOG = sc.fake.endpoint;
    try {
      const c = new ServiceCatalogClient({});
      clients.push(c);
      const out = await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
      expect(out.ProvisionedProductDetail?.Name).toBe('main-product');
      // Epoch-seconds timestamps come back as Dates with millisecond precision.
      expect(out.ProvisionedProductDetail?.CreatedTime?.getTime()).toBe(sc.fake.product('pp-main')!.createdAt);
      expect(sc.fake.callsOf('DescribeProvisionedProduct')).toHaveLength(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SERVICE_CATALOG;
    }
  });

  test('success and error responses have the AWS JSON 1.1 wire shape', async () => {
    const ok = await rawPost('DescribeProvisionedProduct', JSON.stringify({ Id: 'pp-main' }));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(ok.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.json.ProvisionedProductDetail.CreatedTime).toBe(sc.fake.product('pp-main')!.createdAt / 1000);

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
    expect(sc.fake.calls.map((c) => c.outcome)).toEqual([
      'UnknownOperationException', 'UnknownOperationException', 'SerializationException', 'SerializationException',
    ]);
    expect(sc.fake.calls[0].operation).toBe('DeleteEverything');
    // Operations the project does not call are not served: a new call site must add them here first.
    expect((await rawPost('ListRecordHistory', '{}')).json.__type).toBe('UnknownOperationException');
  });

  test('stop() closes keep-alive connections promptly', async () => {
    const c = client();
    await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    // The client keeps its connection open (keep-alive) and never closes it: stop() resolving shows
    // it closed the connection instead of waiting; the client's next call on it then fails.
    await sc.fake.stop();
    await expect(c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }))).rejects.toThrow();
    sc.fake = await ServiceCatalogFake.start(); // afterEach stops it again
  });
});

describe('record lifecycle', () => {
  test('a successful update goes CREATED -> IN_PROGRESS -> SUCCEEDED and applies OWNER and LAUNCH_ROLE', async () => {
    const c = client();
    sc.fake.configureProduct('pp-main', { recordDurationMs: 600 }); // CREATED lasts the first 10%: 60 ms
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
    const record = sc.fake.record(out.RecordId!)!;
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
    expect(sc.fake.product('pp-main')).toMatchObject({ ownerArn: ALICE, launchRoleArn: LAUNCH_ROLE, lastRecordId: out.RecordId });
  });

  test('a failed record reports RecordErrors and leaves the properties unchanged', async () => {
    const c = client();
    const errors = [{ Code: 'AccessDenied', Description: 'Not allowed to change the owner' }];
    sc.fake.failNextRecord('pp-main', errors);
    const out = await update(c, { OWNER: ALICE });
    const { seen, last } = await pollRecord(c, out.RecordId!);
    expect(seen[seen.length - 1]).toBe('FAILED');
    expect(seen).not.toContain('IN_PROGRESS_IN_ERROR');
    expect(last.RecordDetail?.RecordErrors).toEqual(errors);
    expect(sc.fake.product('pp-main')).toMatchObject({ status: 'AVAILABLE', ownerArn: CALLER });

    // failNextRecord is one-shot: the next record succeeds.
    const retry = await update(c, { OWNER: ALICE });
    expect((await pollRecord(c, retry.RecordId!)).seen).toContain('SUCCEEDED');
    expect(sc.fake.product('pp-main')?.ownerArn).toBe(ALICE);
  });

  test('a record can pass through IN_PROGRESS_IN_ERROR before FAILED and taint the product', async () => {
    const c = client();
    const errors = [{ Code: 'StackFailed', Description: 'Stack update failed' }];
    sc.fake.configureProduct('pp-main', {
      outcome: { status: 'FAILED', errors, inErrorFirst: true, productStatusAfter: 'TAINTED' }, recordDurationMs: 600,
    });
    const out = await update(c, { OWNER: ALICE });
    const { seen } = await pollRecord(c, out.RecordId!);
    expect(seen).toEqual(['CREATED', 'IN_PROGRESS', 'IN_PROGRESS_IN_ERROR', 'FAILED']);
    const timeline = sc.fake.record(out.RecordId!)!.timeline.map((t) => t.status);
    expect(timeline).toEqual(seen);
    const pp = await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    expect(pp.ProvisionedProductDetail).toMatchObject({ Status: 'TAINTED', StatusMessage: 'Stack update failed' });
    expect(sc.fake.product('pp-main')?.ownerArn).toBe(CALLER);
  });

  test('a stuck record stays IN_PROGRESS, blocks further updates, and can be released', async () => {
    const c = client();
    sc.fake.setNextOutcome('pp-main', { stuck: true }, 50);
    const out = await update(c, { OWNER: ALICE }, 'token-stuck');
    sc.clock.advance(200);
    const described = await c.send(new DescribeRecordCommand({ Id: out.RecordId! }));
    expect(described.RecordDetail?.Status).toBe('IN_PROGRESS');
    expect(sc.fake.record(out.RecordId!)?.terminalAt).toBeUndefined();
    expect((await failure(update(c, { OWNER: BOB }))).name).toBe('InvalidStateException');

    sc.fake.resolveRecord(out.RecordId!, { status: 'SUCCEEDED' });
    expect((await c.send(new DescribeRecordCommand({ Id: out.RecordId! }))).RecordDetail?.Status).toBe('SUCCEEDED');
    expect(sc.fake.product('pp-main')).toMatchObject({ status: 'AVAILABLE', ownerArn: ALICE });
  });
});

describe('clock', () => {
  test('without a clock the fake follows wall-clock time', async () => {
    await sc.fake.stop();
    sc.fake = await ServiceCatalogFake.start(); // afterEach stops it
    sc.fake.addProduct({ id: 'pp-wall', recordDurationMs: 20 });
    const out = await update(client(), { OWNER: ALICE }, undefined, 'pp-wall');
    const createdAt = sc.fake.record(out.RecordId!)!.createdAt;
    expect(createdAt).toBeLessThanOrEqual(Date.now());
    // Virtual wall-clock time: only Date is faked (the HTTP and the SDK keep real timers), and set past the record's end.
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      jest.setSystemTime(createdAt + 20);
      expect(sc.fake.record(out.RecordId!)!.status).toBe('SUCCEEDED');
    } finally {
      jest.useRealTimers();
    }
  });

  test('a ManualClock only moves forward', () => {
    expect(() => sc.clock.advance(-1)).toThrow('only moves forward');
    const start = sc.clock.now();
    sc.clock.set(start + 5);
    expect(sc.clock.now()).toBe(start + 5);
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

    const updates = sc.fake.records('pp-main').filter((r) => r.type === 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES');
    expect(updates).toHaveLength(1);
    expect(sc.fake.callsOf('UpdateProvisionedProductProperties').map((x) => x.replayed ?? false)).toEqual([false, true, true]);
    expect(sc.fake.writeCalls()).toHaveLength(1);
  });

  test('reusing a token with different input is rejected and creates nothing', async () => {
    const c = client();
    await update(c, { OWNER: ALICE }, 'token-reused');
    const err = await failure(update(c, { OWNER: BOB }, 'token-reused'));
    expect(err.name).toBe('InvalidParametersException');
    expect(err.message).toContain('token-reused');
    expect(sc.fake.writeCalls()).toHaveLength(1);
    expect(sc.fake.callsOf('UpdateProvisionedProductProperties')[1].outcome).toBe('InvalidParametersException');
  });

  test('the SDK fills in a valid IdempotencyToken when none is given', async () => {
    const c = client();
    await update(c, { OWNER: ALICE });
    const token = sc.fake.callsOf('UpdateProvisionedProductProperties')[0].input.IdempotencyToken;
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

    sc.fake.addProduct({ id: 'pp-plan', status: 'PLAN_IN_PROGRESS' });
    const planning = await failure(update(c, { OWNER: BOB }, undefined, 'pp-plan'));
    expect(planning.name).toBe('InvalidStateException');
    expect(planning.message).toContain('PLAN_IN_PROGRESS');
    sc.fake.setProductStatus('pp-plan', 'AVAILABLE');
    await expect(update(c, { OWNER: BOB }, undefined, 'pp-plan')).resolves.toMatchObject({ Status: 'CREATED' });
    expect(sc.fake.writeCalls()).toHaveLength(2);
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
    expect(sc.fake.writeCalls()).toHaveLength(0);

    // Assumed-role sessions and roles are valid owners.
    sc.fake.addProduct({ id: 'pp-2', recordDurationMs: 0 });
    await expect(update(c, { OWNER: CALLER.replace('fake-session', 'other-session') }, undefined, 'pp-2')).resolves.toBeDefined();
    sc.fake.addProduct({ id: 'pp-3', recordDurationMs: 0 });
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
