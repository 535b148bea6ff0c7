/**
 * How the Service Catalog fake refuses calls: model validation, the order of the idempotency
 * token check and what a refusal does to its token, throttling, and injected faults.
 * The setup (a new fake on a ManualClock for each test) is in service-catalog-fake/fake-test-support.ts.
 */
import { DescribeProvisionedProductCommand, DescribeRecordCommand, ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { isThrottlingError } from '@smithy/core/retry';
import { ServiceCatalogFake } from './service-catalog-fake';
import {
  ACCOUNT, ALICE, BOB, failure, sleep, update, useFake,
} from './service-catalog-fake/fake-test-support';

const sc = useFake();
const { client, rawPost } = sc;

describe('model validation (ValidationException)', () => {
  test('an id that does not match the whole pattern', async () => {
    const err = await failure(update(client(), { OWNER: ALICE }, undefined, 'bad!id'));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe("1 validation error detected: Value 'bad!id' at 'provisionedProductId' failed to satisfy "
      + 'constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-]*');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(sc.fake.calls[0].outcome).toBe('ValidationException');
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
    expect(sc.fake.calls[0].input.ProvisionedProductProperties).toEqual({});
  });

  test('several violations are reported together; nothing is changed', async () => {
    const err = await failure(update(client(), { OWNER: 'x'.repeat(1025) }, '-starts-with-dash', ''));
    expect(err.message).toMatch(/^3 validation errors detected: /);
    expect(err.message).toContain("Value '' at 'provisionedProductId' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect(err.message).toContain('Map value must satisfy constraint: [Member must have length less than or equal to 1024]');
    expect(err.message).toContain("Value '-starts-with-dash' at 'idempotencyToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9][a-zA-Z0-9_-]*");
    expect(sc.fake.records('pp-main')).toHaveLength(1); // only the provisioning record
  });

  test('missing required members and out-of-range integers', async () => {
    const raw = await rawPost('UpdateProvisionedProductProperties', JSON.stringify({ ProvisionedProductId: 'pp-main', ProvisionedProductProperties: { OWNER: ALICE } }));
    expect(raw.json.Message).toBe("1 validation error detected: Value null at 'idempotencyToken' failed to satisfy constraint: Member must not be null");
    const err = await failure(client().send(new DescribeRecordCommand({ Id: 'rec-x', PageSize: 21 })));
    expect(err.message).toContain("Value 21 at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 20");
  });
});

describe('idempotency token order and refusals (switches)', () => {
  test('tokenCheck state-first: a replay while UNDER_CHANGE is refused; once AVAILABLE it returns the original record', async () => {
    const c = client();
    sc.fake.configure({ tokenCheck: 'state-first' });
    const first = await update(c, { OWNER: ALICE }, 'token-order');
    const busy = await failure(update(c, { OWNER: ALICE }, 'token-order'));
    expect(busy.name).toBe('InvalidStateException');
    expect(busy.message).toContain('UNDER_CHANGE');
    expect((await failure(update(c, { OWNER: BOB }, 'token-order'))).name).toBe('InvalidStateException'); // state before token
    sc.clock.advance(150);
    await expect(update(c, { OWNER: ALICE }, 'token-order')).resolves.toMatchObject({ RecordId: first.RecordId, Status: 'SUCCEEDED' });
    const reused = await failure(update(c, { OWNER: BOB }, 'token-order'));
    expect(reused.message).toContain('already been used with different parameters');
    expect(sc.fake.callsOf('UpdateProvisionedProductProperties').map((x) => x.effect)).toEqual(['created', 'refused', 'refused', 'replayed', 'refused']);
    expect(sc.fake.updateSummary()).toMatchObject({ calls: 5, created: 1, replayed: 1, refused: 3, replayedRefusals: 0 });
  });

  test('tokenCheck token-first (default): a replay while UNDER_CHANGE gets the original record', async () => {
    const c = client();
    expect(sc.fake.switches.tokenCheck).toBe('token-first');
    const first = await update(c, { OWNER: ALICE }, 'token-order');
    await expect(update(c, { OWNER: ALICE }, 'token-order')).resolves.toMatchObject({ RecordId: first.RecordId, Status: 'CREATED' });
    expect(sc.fake.updateSummary()).toMatchObject({ created: 1, replayed: 1, refused: 0 });
  });

  test('by default a refused call leaves its token unused', async () => {
    const c = client();
    sc.fake.setProductStatus('pp-main', 'UNDER_CHANGE');
    expect((await failure(update(c, { OWNER: ALICE }, 'token-refused'))).name).toBe('InvalidStateException');
    sc.fake.setProductStatus('pp-main', 'AVAILABLE');
    await expect(update(c, { OWNER: ALICE }, 'token-refused')).resolves.toMatchObject({ Status: 'CREATED' });
  });

  test('refusalConsumesToken: a refused token answers the same refusal again, even once the cause is gone', async () => {
    const c = client();
    sc.fake.configure({ refusalConsumesToken: true });
    sc.fake.setProductStatus('pp-main', 'UNDER_CHANGE');
    const busy = await failure(update(c, { OWNER: ALICE }, 'token-busy'));
    sc.fake.setProductStatus('pp-main', 'AVAILABLE');
    const again = await failure(update(c, { OWNER: ALICE }, 'token-busy'));
    expect([again.name, again.message]).toEqual([busy.name, busy.message]);
    expect(sc.fake.callsOf('UpdateProvisionedProductProperties')[1]).toMatchObject({ effect: 'refused', replayed: true });

    const NEW_ROLE = `arn:aws:iam::${ACCOUNT}:role/Fresh`;
    sc.fake.addPrincipal(NEW_ROLE, { propagatesAfterMs: 100 });
    const unknown = await failure(update(c, { OWNER: NEW_ROLE }, 'token-fresh'));
    sc.clock.advance(100);
    expect((await failure(update(c, { OWNER: NEW_ROLE }, 'token-fresh'))).message).toBe(unknown.message);
    expect((await failure(update(c, { OWNER: ALICE }, 'token-fresh'))).message).toContain('already been used with different parameters');

    // ResourceNotFoundException does not use up the token.
    expect((await failure(update(c, { OWNER: ALICE }, 'token-later', 'pp-later'))).name).toBe('ResourceNotFoundException');
    sc.fake.addProduct({ id: 'pp-later' });
    await expect(update(c, { OWNER: ALICE }, 'token-later', 'pp-later')).resolves.toMatchObject({ Status: 'CREATED' });
    await expect(update(c, { OWNER: ALICE }, 'token-new')).resolves.toMatchObject({ Status: 'CREATED' });
    expect(sc.fake.updateSummary()).toMatchObject({ calls: 8, created: 2, refused: 6, replayedRefusals: 2 });
    expect(() => sc.fake.configure({ tokenCheck: 'never' as never })).toThrow('token-first, state-first');
  });

  test('the call log tells created, replayed, refused, throttled and faulted Update calls apart', async () => {
    const c = client({ maxAttempts: 1 });
    await update(c, { OWNER: ALICE }, 'token-log');
    await update(c, { OWNER: ALICE }, 'token-log');
    await failure(update(c, { OWNER: 'not-an-arn' }));
    await failure(update(c, {})); // ValidationException: refused too
    sc.fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'throttle' }, { kind: 'server-error' }, { kind: 'reset' });
    for (let i = 0; i < 3; i++) await failure(update(c, { OWNER: ALICE }, 'token-log'));
    expect(sc.fake.updateSummary()).toEqual({ calls: 7, created: 1, replayed: 1, refused: 2, replayedRefusals: 0, throttled: 1, faulted: 2 });
    expect(sc.fake.writeCalls()).toHaveLength(1);
  });
});

describe('throttling (switch throttle)', () => {
  const describePp = (c: ServiceCatalogClient) => c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));

  test('past its bucket an operation answers 400 ThrottlingException "Rate exceeded", which the SDK recognises', async () => {
    const c = client({ maxAttempts: 1 });
    sc.fake.configure({ throttle: { ratePerSecond: 5, burst: 3 } });
    for (let i = 0; i < 3; i++) await describePp(c);
    const err = await failure(describePp(c));
    expect([err.name, err.message, err.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 'Rate exceeded', 400]);
    expect(isThrottlingError(err as Parameters<typeof isThrottlingError>[0])).toBe(true);
    const raw = await rawPost('DescribeProvisionedProduct', JSON.stringify({ Id: 'pp-main' }));
    expect([raw.status, raw.headers['x-amzn-errortype'], raw.json.__type]).toEqual([400, 'ThrottlingException', 'ThrottlingException']);
    // Each operation has its own bucket.
    await expect(c.send(new DescribeRecordCommand({ Id: sc.fake.product('pp-main')!.lastRecordId }))).resolves.toBeDefined();
    expect(sc.fake.callsOf('DescribeProvisionedProduct').map((x) => x.outcome)).toEqual(['ok', 'ok', 'ok', 'throttled', 'throttled']);
  });

  test('the bucket refills at ratePerSecond on the fake clock, up to burst', async () => {
    const c = client({ maxAttempts: 1 });
    sc.fake.configure({ throttle: { ratePerSecond: 5, burst: 2 } });
    await describePp(c);
    await describePp(c);
    sc.clock.advance(199);
    expect((await failure(describePp(c))).name).toBe('ThrottlingException'); // 0.995 of a token
    sc.clock.advance(1);
    await describePp(c);
    expect((await failure(describePp(c))).name).toBe('ThrottlingException');
    sc.clock.advance(60_000); // refills to burst, not beyond
    await describePp(c);
    await describePp(c);
    expect((await failure(describePp(c))).name).toBe('ThrottlingException');
  });

  test('per-operation rates, throttled Updates in the summary, and off again', async () => {
    const c = client({ maxAttempts: 1 });
    sc.fake.configure({ throttle: { ratePerSecond: 100, burst: 100, operations: { UpdateProvisionedProductProperties: { ratePerSecond: 0, burst: 1 } } } });
    await update(c, { OWNER: ALICE }, 'token-t');
    const err = await failure(update(c, { OWNER: ALICE }, 'token-t'));
    expect(err.name).toBe('ThrottlingException');
    for (let i = 0; i < 10; i++) await describePp(c);
    expect(sc.fake.updateSummary()).toMatchObject({ calls: 2, created: 1, replayed: 0, throttled: 1, faulted: 0 });
    expect(sc.fake.callsOf('UpdateProvisionedProductProperties')[1].effect).toBeUndefined(); // it never reached the service
    sc.fake.configure({ throttle: undefined });
    await expect(update(c, { OWNER: ALICE }, 'token-t')).resolves.toMatchObject({ Status: 'CREATED' });
    expect(() => sc.fake.configure({ throttle: { ratePerSecond: 1, burst: 0 } })).toThrow('burst >= 1');
  });

  test('the default retry strategy retries a throttled call as throttling', async () => {
    const c = client(); // default maxAttempts: 3
    sc.fake.configure({ throttle: { ratePerSecond: 0, burst: 1 } }); // the fake clock stands still: never refills
    await describePp(c);
    const err = await failure(describePp(c));
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata?.attempts).toBe(3);
    expect(sc.fake.callsOf('DescribeProvisionedProduct').map((x) => x.outcome)).toEqual(['ok', 'throttled', 'throttled', 'throttled']);
  });
});

describe('fault injection', () => {
  test('two throttles are retried transparently by the default retry strategy', async () => {
    const c = client(); // default maxAttempts: 3
    sc.fake.injectFaults('DescribeProvisionedProduct', { kind: 'throttle' }, { kind: 'throttle' });
    const out = await c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    expect(out.ProvisionedProductDetail?.Id).toBe('pp-main');
    expect(out.$metadata.attempts).toBe(3);
    expect(sc.fake.callsOf('DescribeProvisionedProduct').map((x) => x.outcome)).toEqual(['throttle', 'throttle', 'ok']);
    expect(sc.fake.pendingFaults('DescribeProvisionedProduct')).toBe(0);
  });

  test('throttling beyond maxAttempts surfaces ThrottlingException', async () => {
    sc.fake.injectFaults('DescribeRecord', { kind: 'throttle' }, { kind: 'throttle' });
    const err = await failure(client({ maxAttempts: 2 }).send(new DescribeRecordCommand({ Id: sc.fake.product('pp-main')!.lastRecordId })));
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata?.attempts).toBe(2);
  });

  test('server-error answers 500 InternalFailure, which the SDK retries', async () => {
    sc.fake.injectFaults('DescribeProvisionedProduct', { kind: 'server-error' }, { kind: 'server-error' });
    const err = await failure(client({ maxAttempts: 1 }).send(new DescribeProvisionedProductCommand({ Id: 'pp-main' })));
    expect(err.name).toBe('InternalFailure');
    expect(err.$metadata?.httpStatusCode).toBe(500);
    const out = await client().send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }));
    expect(out.$metadata.attempts).toBe(2);
    expect(sc.fake.callsOf('DescribeProvisionedProduct').map((x) => x.outcome)).toEqual(['server-error', 'server-error', 'ok']);
  });

  test('reset drops the connection; a retried update with the same token creates one record', async () => {
    sc.fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'reset' });
    const err = await failure(update(client({ maxAttempts: 1 }), { OWNER: ALICE }, 'token-reset-1'));
    expect(err.message).toContain('ECONNRESET');

    sc.fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'reset' });
    const out = await update(client(), { OWNER: ALICE }, 'token-reset-2');
    expect(out.$metadata.attempts).toBe(2);
    expect(sc.fake.callsOf('UpdateProvisionedProductProperties').map((x) => x.outcome)).toEqual(['reset', 'reset', 'ok']);
    expect(sc.fake.writeCalls()).toHaveLength(1);
  });

  test('delay answers normally, late; the work is done on arrival', async () => {
    // Explicit ordering, no timing: the delay is longer than the test, and the test says when "later" is.
    sc.fake.injectFaults('DescribeProvisionedProduct', { kind: 'delay', ms: 600_000 });
    let answered = false;
    const call = client().send(new DescribeProvisionedProductCommand({ Id: 'pp-main' })).then((out) => { answered = true; return out; });
    while (sc.fake.callsOf('DescribeProvisionedProduct').length === 0) await sleep(5);
    const [entry] = sc.fake.callsOf('DescribeProvisionedProduct');
    expect(entry).toMatchObject({ outcome: 'ok', fault: 'delay' });
    expect(entry.respondedAt).toBeUndefined();
    expect(answered).toBe(false);
    sc.fake.flushDelayed();
    await expect(call).resolves.toMatchObject({ ProvisionedProductDetail: { Id: 'pp-main' } });
    expect(entry.respondedAt).toBeDefined();

    // A client that times out and retries with the same token gets the original record back.
    sc.fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'delay', ms: 600_000 });
    const out = await update(client({ requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true } }), { OWNER: ALICE }, 'token-delay');
    expect(out.$metadata.attempts).toBe(2);
    expect(sc.fake.callsOf('UpdateProvisionedProductProperties').map((x) => x.replayed ?? false)).toEqual([false, true]);
    expect(sc.fake.writeCalls()).toHaveLength(1);
  });

  test('stop() does not wait for delayed responses', async () => {
    // The delay outlasts the test: stop() resolving at all shows it did not wait for the answer.
    sc.fake.injectFaults('DescribeProvisionedProduct', { kind: 'delay', ms: 600_000 });
    const pending = failure(client({ maxAttempts: 1 }).send(new DescribeProvisionedProductCommand({ Id: 'pp-main' })));
    while (sc.fake.callsOf('DescribeProvisionedProduct').length === 0) await sleep(5);
    await sc.fake.stop();
    expect((await pending).message).toBeTruthy();
    sc.fake = await ServiceCatalogFake.start(); // afterEach stops it again
  });
});
