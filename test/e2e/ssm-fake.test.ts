/**
 * The SSM Parameter Store fake through the real @aws-sdk/client-ssm: each operation, the errors
 * the API Reference documents for what the ledger does, and GetParametersByPath's paging. The
 * switches, throttling and IAM are in ssm-fake-switches.test.ts.
 */
import {
  DeleteParameterCommand, GetParameterCommand, GetParametersByPathCommand, GetParametersByPathCommandInput,
  GetParametersCommand, PutParameterCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { ACCOUNT, failure, useSsmFake } from './ssm-fake/test-support';

const t = useSsmFake();
const LEDGER = '/cdk-provisioned-product-properties/ledger';
const put = (name: string, value: string, extra: Record<string, unknown> = {}) =>
  t.client().send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true, Tier: 'Standard', ...extra }));

test('a client configured only through AWS_ENDPOINT_URL_SSM reaches the fake', async () => {
  process.env.AWS_ENDPOINT_URL_SSM = t.fake.endpoint;
  const c = new SSMClient({});
  try {
    await c.send(new PutParameterCommand({ Name: `${LEDGER}/pp-env`, Value: '{}', Type: 'String' }));
    expect(t.fake.calls().map((call) => call.operation)).toEqual(['PutParameter']);
    expect(t.fake.parameter(`${LEDGER}/pp-env`)).toMatchObject({ Value: '{}', Version: 1, Tier: 'Standard' });
  } finally {
    c.destroy();
    delete process.env.AWS_ENDPOINT_URL_SSM;
  }
});

describe('PutParameter and GetParameter', () => {
  test('each put makes a new version; GetParameter answers the latest with its ARN and the fake clock\'s time', async () => {
    const name = `${LEDGER}/pp-versions`;
    expect(await put(name, 'one')).toMatchObject({ Version: 1, Tier: 'Standard' });
    t.clock.advance(5_000);
    expect(await put(name, 'two')).toMatchObject({ Version: 2 });
    const { Parameter } = await t.client().send(new GetParameterCommand({ Name: name }));
    expect(Parameter).toMatchObject({
      Name: name, Type: 'String', Value: 'two', Version: 2, DataType: 'text',
      ARN: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/cdk-provisioned-product-properties/ledger/pp-versions`,
    });
    expect(Parameter!.LastModifiedDate!.getTime()).toBe(t.clock.now());
  });

  test('Overwrite false on an existing parameter: ParameterAlreadyExists, and the value stays', async () => {
    const name = `${LEDGER}/pp-exists`;
    await put(name, 'first', { Overwrite: false });
    const e = await failure(put(name, 'second', { Overwrite: false }));
    expect(e.name).toBe('ParameterAlreadyExists');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(t.fake.parameter(name)).toMatchObject({ Value: 'first', Version: 1 });
  });

  test('a missing parameter: ParameterNotFound; a version selector reads an older version, or ParameterVersionNotFound', async () => {
    const name = `${LEDGER}/pp-selector`;
    expect((await failure(t.client().send(new GetParameterCommand({ Name: name })))).name).toBe('ParameterNotFound');
    await put(name, 'v1');
    await put(name, 'v2');
    const { Parameter } = await t.client().send(new GetParameterCommand({ Name: `${name}:1` }));
    expect(Parameter).toMatchObject({ Name: name, Value: 'v1', Version: 1, Selector: ':1' });
    expect((await failure(t.client().send(new GetParameterCommand({ Name: `${name}:9` })))).name).toBe('ParameterVersionNotFound');
  });

  test('Standard tier: 4096 characters pass, 4097 are ValidationException as SSM words it; Advanced holds 8192', async () => {
    const name = `${LEDGER}/pp-size`;
    expect(await put(name, 'x'.repeat(4096))).toMatchObject({ Version: 1 });
    const e = await failure(put(name, 'x'.repeat(4097)));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/^Standard tier parameters support a maximum parameter value of 4096 characters/);
    expect(t.fake.parameter(name)!.Version).toBe(1);
    expect(await put(`${LEDGER}/pp-advanced`, 'x'.repeat(8192), { Tier: 'Advanced' })).toMatchObject({ Tier: 'Advanced' });
    expect((await failure(put(`${LEDGER}/pp-advanced`, 'small', { Tier: 'Standard' }))).name).toBe('ValidationException');
  });

  test.each([
    ['a path without its leading slash', 'cdk/ledger/pp-1', 'ValidationException'],
    ['the reserved prefix aws', '/aws/ledger/pp-1', 'ValidationException'],
    ['the reserved prefix ssm, any case', '/SSMledger/pp-1', 'ValidationException'],
    ['a character outside a-zA-Z0-9_.-', `${LEDGER}/pp:1`, 'ValidationException'],
    ['a space between characters', `${LEDGER}/pp 1`, 'ValidationException'],
    ['an empty level', `${LEDGER}//pp-1`, 'ValidationException'],
    ['16 levels', `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`, 'HierarchyLevelLimitExceededException'],
  ])('a name with %s is refused (%s)', async (_what, name, error) => {
    expect((await failure(put(name, 'v'))).name).toBe(error);
    expect(t.fake.calls()[0].outcome).toBe(error);
  });

  test('15 levels pass; a name may be 1011 characters counting the ARN before it, not 1012', async () => {
    await put(`/${Array.from({ length: 15 }, (_, i) => `l${i}`).join('/')}`, 'v');
    const prefix = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/`;
    const longest = `/${'n'.repeat(1011 - prefix.length)}`;
    expect(t.fake.parameterArn(longest)).toHaveLength(1011);
    expect(await put(longest, 'v')).toMatchObject({ Version: 1 });
    expect((await failure(put(`${longest}n`, 'v'))).name).toBe('ValidationException');
  });

  test('leading and trailing spaces of a name are removed', async () => {
    await put(`  ${LEDGER}/pp-trim `, 'v');
    expect(t.fake.parameter(`${LEDGER}/pp-trim`)).toMatchObject({ Value: 'v' });
  });

  test('a type is needed to create, may not change on update; tags and overwrite do not go together', async () => {
    const name = `${LEDGER}/pp-type`;
    expect((await failure(put(name, 'v', { Type: undefined }))).name).toBe('ValidationException');
    await put(name, 'v');
    expect(await put(name, 'w', { Type: undefined })).toMatchObject({ Version: 2 });
    expect((await failure(put(name, 'x', { Type: 'StringList' }))).name).toBe('HierarchyTypeMismatchException');
    expect((await failure(put(name, 'x', { Tags: [{ Key: 'k', Value: 'v' }] }))).name).toBe('ValidationException');
    expect(t.fake.parameter(name)).toMatchObject({ Value: 'w', Type: 'String' });
  });

  test('100 versions are kept: after 101 puts version 1 is gone', async () => {
    const name = `${LEDGER}/pp-many`;
    for (let i = 1; i <= 101; i++) await put(name, `v${i}`);
    expect((await failure(t.client().send(new GetParameterCommand({ Name: `${name}:1` })))).name).toBe('ParameterVersionNotFound');
    expect((await t.client().send(new GetParameterCommand({ Name: `${name}:2` }))).Parameter!.Value).toBe('v2');
  });
});

describe('GetParameters and DeleteParameter', () => {
  test('found names alphabetically, missing ones in InvalidParameters', async () => {
    await put(`${LEDGER}/pp-b`, 'b');
    await put(`${LEDGER}/pp-a`, 'a');
    const out = await t.client().send(new GetParametersCommand({ Names: [`${LEDGER}/pp-b`, `${LEDGER}/pp-missing`, `${LEDGER}/pp-a`] }));
    expect(out.Parameters!.map((p) => p.Value)).toEqual(['a', 'b']);
    expect(out.InvalidParameters).toEqual([`${LEDGER}/pp-missing`]);
  });

  test('more than 10 names, or none: ValidationException', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `${LEDGER}/pp-${i}`);
    expect((await failure(t.client().send(new GetParametersCommand({ Names: names })))).name).toBe('ValidationException');
    expect((await failure(t.client().send(new GetParametersCommand({ Names: [] })))).name).toBe('ValidationException');
    expect((await t.client().send(new GetParametersCommand({ Names: names.slice(0, 10) }))).InvalidParameters).toHaveLength(10);
  });

  test('DeleteParameter removes it; a second delete is ParameterNotFound; created again it starts at version 1', async () => {
    const name = `${LEDGER}/pp-delete`;
    await put(name, 'v1');
    await put(name, 'v2');
    await t.client().send(new DeleteParameterCommand({ Name: name }));
    expect(t.fake.parameter(name)).toBeUndefined();
    expect((await failure(t.client().send(new DeleteParameterCommand({ Name: name })))).name).toBe('ParameterNotFound');
    expect(await put(name, 'again')).toMatchObject({ Version: 1 });
  });
});

describe('GetParametersByPath', () => {
  const byPath = (input: GetParametersByPathCommandInput) => t.client().send(new GetParametersByPathCommand(input));
  async function all(input: GetParametersByPathCommandInput): Promise<{ names: string[]; pages: number }> {
    const names: string[] = [];
    let pages = 0;
    let token = input.NextToken;
    do {
      const out = await byPath({ ...input, NextToken: token });
      pages++;
      names.push(...out.Parameters!.map((p) => p.Name!));
      token = out.NextToken;
    } while (token);
    return { names, pages };
  }

  beforeEach(() => {
    for (const id of ['pp-3', 'pp-1', 'pp-2', 'pp-5', 'pp-4']) t.fake.setParameter(`${LEDGER}/${id}`, id);
    t.fake.setParameter(`${LEDGER}/archive/pp-0`, 'old');
    t.fake.setParameter('/other/pp-9', 'other');
  });

  test('one level, or every level with Recursive, alphabetically', async () => {
    expect((await all({ Path: LEDGER })).names).toEqual([1, 2, 3, 4, 5].map((i) => `${LEDGER}/pp-${i}`));
    expect((await all({ Path: '/cdk-provisioned-product-properties', Recursive: true })).names)
      .toEqual([`${LEDGER}/archive/pp-0`, ...[1, 2, 3, 4, 5].map((i) => `${LEDGER}/pp-${i}`)]);
    expect((await all({ Path: '/cdk-provisioned-product-properties' })).names).toEqual([]);
  });

  test('pages of MaxResults with a NextToken until the last, which has none', async () => {
    const { names, pages } = await all({ Path: LEDGER, MaxResults: 2 });
    expect(pages).toBe(3);
    expect(names).toHaveLength(5);
    expect(t.fake.calls().map((c) => c.input.MaxResults)).toEqual([2, 2, 2]);
  });

  test('MaxResults outside 1-10, a path without its leading slash: ValidationException; a foreign token: InvalidNextToken', async () => {
    expect((await failure(byPath({ Path: LEDGER, MaxResults: 11 }))).name).toBe('ValidationException');
    expect((await failure(byPath({ Path: LEDGER, MaxResults: 0 }))).name).toBe('ValidationException');
    expect((await failure(byPath({ Path: 'cdk-provisioned-product-properties' }))).name).toBe('ValidationException');
    const first = await byPath({ Path: LEDGER, MaxResults: 1 });
    expect((await failure(byPath({ Path: '/other', NextToken: first.NextToken }))).name).toBe('InvalidNextToken');
    expect((await failure(byPath({ Path: LEDGER, NextToken: 'not-a-token' }))).name).toBe('InvalidNextToken');
  });

  test('a parameter added behind the cursor while paging is not shown twice nor skipped ahead of it', async () => {
    const first = await byPath({ Path: LEDGER, MaxResults: 2 });
    t.fake.setParameter(`${LEDGER}/pp-0`, 'behind');
    t.fake.setParameter(`${LEDGER}/pp-6`, 'ahead');
    const rest = await all({ Path: LEDGER, MaxResults: 2, NextToken: first.NextToken });
    expect([...first.Parameters!.map((p) => p.Name), ...rest.names]).toEqual([1, 2, 3, 4, 5, 6].map((i) => `${LEDGER}/pp-${i}`));
  });
});

test('the wire: an unknown operation is UnknownOperationException; a body that is not JSON is SerializationException', async () => {
  const post = async (target: string, body: string) => {
    const response = await fetch(t.fake.endpoint, { method: 'POST', headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' }, body });
    return { status: response.status, json: await response.json() as any };
  };
  expect(await post('AmazonSSM.DescribeParameters', '{}')).toEqual({ status: 400, json: { __type: 'UnknownOperationException', message: expect.any(String) } });
  expect((await post('AmazonSSM.GetParameter', 'not json')).json.__type).toBe('SerializationException');
});
