/**
 * The SSM fake's switches (test/e2e/ssm-fake/switches.ts), its throttling on the fake's clock, the
 * refusals a test injects, and the IAM hook, through the real @aws-sdk/client-ssm.
 */
import { GetParameterCommand, GetParametersByPathCommand, GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { ACCOUNT, failure, useSsmFake } from './ssm-fake/test-support';

const t = useSsmFake();
const LEDGER = '/cdk-provisioned-product-properties/ledger';
const put = (name: string, value: string) =>
  t.client().send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true, Tier: 'Standard' }));
const get = (name: string) => t.client().send(new GetParameterCommand({ Name: name }));

describe('throttling: a token bucket per operation on the fake\'s clock', () => {
  test('past the burst, ThrottlingException (HTTP 400) until the clock refills the bucket; other operations have their own', async () => {
    t.fake.configure({ throttle: { ratePerSecond: 1, burst: 2 } });
    t.fake.setParameter(`${LEDGER}/pp-1`, 'v');
    await get(`${LEDGER}/pp-1`);
    await get(`${LEDGER}/pp-1`);
    const e = await failure(get(`${LEDGER}/pp-1`));
    expect([e.name, e.message, e.$metadata.httpStatusCode]).toEqual(['ThrottlingException', 'Rate exceeded', 400]);
    expect(await put(`${LEDGER}/pp-1`, 'w')).toMatchObject({ Version: 2 });
    t.clock.advance(1_000);
    expect((await get(`${LEDGER}/pp-1`)).Parameter!.Value).toBe('w');
    expect(t.fake.calls().map((c) => `${c.operation}:${c.outcome}`)).toEqual([
      'GetParameter:ok', 'GetParameter:ok', 'GetParameter:throttled', 'PutParameter:ok', 'GetParameter:ok',
    ]);
  });

  test('the SDK\'s own retries see the same refusals: a throttled put is not applied', async () => {
    t.fake.configure({ throttle: { ratePerSecond: 0, burst: 1 } });
    await put(`${LEDGER}/pp-2`, 'first');
    const e = await failure(t.client({ maxAttempts: 2 }).send(
      new PutParameterCommand({ Name: `${LEDGER}/pp-2`, Value: 'second', Type: 'String', Overwrite: true })));
    expect(e.name).toBe('ThrottlingException');
    expect(t.fake.calls().map((c) => c.outcome)).toEqual(['ok', 'throttled', 'throttled']);
    expect(t.fake.parameter(`${LEDGER}/pp-2`)).toMatchObject({ Value: 'first', Version: 1 });
  });
});

test('refuseNext: the next put answers TooManyUpdates and changes nothing; the one after is applied', async () => {
  t.fake.setParameter(`${LEDGER}/pp-3`, 'v1');
  t.fake.refuseNext('PutParameter', 'TooManyUpdates');
  const e = await failure(put(`${LEDGER}/pp-3`, 'v2'));
  expect([e.name, e.$metadata.httpStatusCode]).toEqual(['TooManyUpdates', 400]);
  expect(t.fake.parameter(`${LEDGER}/pp-3`)!.Value).toBe('v1');
  expect(await put(`${LEDGER}/pp-3`, 'v2')).toMatchObject({ Version: 2 });
});

describe('staleReadsAfterPut', () => {
  test('1: the first read after a put answers the value it replaced, the next the new one', async () => {
    t.fake.configure({ staleReadsAfterPut: 1 });
    const name = `${LEDGER}/pp-stale`;
    t.fake.setParameter(name, 'old');
    await put(name, 'new');
    expect((await get(name)).Parameter).toMatchObject({ Value: 'old', Version: 1 });
    expect((await get(name)).Parameter).toMatchObject({ Value: 'new', Version: 2 });
  });

  test('a new parameter is not found by its first read, in GetParameter, GetParameters and GetParametersByPath alike', async () => {
    t.fake.configure({ staleReadsAfterPut: 3 });
    const name = `${LEDGER}/pp-new`;
    await put(name, 'v');
    expect((await failure(get(name))).name).toBe('ParameterNotFound');
    expect((await t.client().send(new GetParametersCommand({ Names: [name] }))).InvalidParameters).toEqual([name]);
    expect((await t.client().send(new GetParametersByPathCommand({ Path: LEDGER }))).Parameters).toEqual([]);
    expect((await get(name)).Parameter!.Value).toBe('v');
  });
});

test('samePut same-version: an identical overwrite keeps the version; new-version (default) makes one', async () => {
  const name = `${LEDGER}/pp-same`;
  t.fake.setParameter(name, 'v');
  expect(await put(name, 'v')).toMatchObject({ Version: 2 });
  t.fake.configure({ samePut: 'same-version' });
  expect(await put(name, 'v')).toMatchObject({ Version: 2 });
  expect(await put(name, 'w')).toMatchObject({ Version: 3 });
});

test('nameLimitCounts name: 1011 characters of name pass without the ARN counted', async () => {
  const longest = `/${'n'.repeat(1010)}`;
  expect((await failure(put(longest, 'v'))).name).toBe('ValidationException');
  t.fake.configure({ nameLimitCounts: 'name' });
  expect(await put(longest, 'v')).toMatchObject({ Version: 1 });
  expect((await failure(put(`${longest}n`, 'v'))).name).toBe('ValidationException');
});

test('valueLimitCounts utf8-bytes: 2048 three-byte characters pass as characters, not as bytes', async () => {
  const value = '€'.repeat(2048);
  expect(await put(`${LEDGER}/pp-euro`, value)).toMatchObject({ Version: 1 });
  t.fake.configure({ valueLimitCounts: 'utf8-bytes' });
  const e = await failure(put(`${LEDGER}/pp-euro`, value));
  expect(e.message).toMatch(/maximum parameter value of 4096 bytes/);
});

test('byPathPageLimit: pages shorter than MaxResults, still with a NextToken to the rest', async () => {
  for (const id of ['pp-1', 'pp-2', 'pp-3']) t.fake.setParameter(`${LEDGER}/${id}`, id);
  t.fake.configure({ byPathPageLimit: 1 });
  const first = await t.client().send(new GetParametersByPathCommand({ Path: LEDGER, MaxResults: 10 }));
  expect(first.Parameters!.map((p) => p.Name)).toEqual([`${LEDGER}/pp-1`]);
  expect(first.NextToken).toBeDefined();
});

test('a switch refuses a value it does not take', () => {
  expect(() => t.fake.configure({ byPathPageLimit: 11 })).toThrow(/byPathPageLimit/);
  expect(() => t.fake.configure({ samePut: 'sometimes' as never })).toThrow(/samePut/);
  expect(() => t.fake.configure({ staleReadsAfterPut: -1 })).toThrow(/staleReadsAfterPut/);
});

describe('the IAM hook', () => {
  const ledgerOnly = (action: string, arn: string) =>
    ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:PutParameter'].includes(action)
    && arn.startsWith(`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/cdk-provisioned-product-properties/ledger/`);

  test('is asked for the action and the parameter\'s ARN; a refusal is AccessDeniedException naming both, and changes nothing', async () => {
    const asked: string[] = [];
    t.fake.authorize = (action, arn) => { asked.push(`${action} ${arn}`); return ledgerOnly(action, arn); };
    await put(`${LEDGER}/pp-1`, 'v');
    const e = await failure(put('/elsewhere/pp-1', 'v'));
    expect(e.name).toBe('AccessDeniedException');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.message).toBe(`User: arn:aws:sts::${ACCOUNT}:assumed-role/handler/session is not authorized to perform: ssm:PutParameter on resource: `
      + `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/elsewhere/pp-1 because no identity-based policy allows the ssm:PutParameter action`);
    expect(t.fake.parameter('/elsewhere/pp-1')).toBeUndefined();
    expect(asked).toEqual([
      `ssm:PutParameter arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/cdk-provisioned-product-properties/ledger/pp-1`,
      `ssm:PutParameter arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/elsewhere/pp-1`,
    ]);
    expect((await failure(t.client().send(new GetParametersByPathCommand({ Path: LEDGER })))).name).toBe('AccessDeniedException');
  });

  test('GetParameters with one denied name: the whole call is refused, or (getParametersDenied) the name is invalid', async () => {
    t.fake.setParameter(`${LEDGER}/pp-1`, 'v');
    t.fake.setParameter('/elsewhere/pp-1', 'secret');
    t.fake.authorize = ledgerOnly;
    const names = [`${LEDGER}/pp-1`, '/elsewhere/pp-1'];
    expect((await failure(t.client().send(new GetParametersCommand({ Names: names })))).name).toBe('AccessDeniedException');
    t.fake.configure({ getParametersDenied: 'invalid-parameters', accessDeniedStatus: 403 });
    const out = await t.client().send(new GetParametersCommand({ Names: names }));
    expect([out.Parameters!.map((p) => p.Value), out.InvalidParameters]).toEqual([['v'], ['/elsewhere/pp-1']]);
    expect((await failure(get('/elsewhere/pp-1'))).$metadata.httpStatusCode).toBe(403);
  });
});

test('reset: no parameters and an empty call log; the switches stay', async () => {
  t.fake.configure({ samePut: 'same-version' });
  await put(`${LEDGER}/pp-1`, 'v');
  t.fake.reset();
  expect([t.fake.parameter(`${LEDGER}/pp-1`), t.fake.calls()]).toEqual([undefined, []]);
  expect(await put(`${LEDGER}/pp-1`, 'v')).toMatchObject({ Version: 1 });
  expect(await put(`${LEDGER}/pp-1`, 'v')).toMatchObject({ Version: 1 });
});
