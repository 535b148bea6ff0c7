import { parseWireProperties, stackEnvironment, toWireProperties, unusedPropertyKeys } from '../../lib/shared/wire-contract';

const ACCOUNT = '123456789012';
const STACK = { account: ACCOUNT, partition: 'aws' };
const valid = { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:f', ProvisionedProductId: 'pp-1',
  Owner: `arn:aws:iam::${ACCOUNT}:user/alice`, LaunchRoleArn: `arn:aws:iam::${ACCOUNT}:role/L`, TimeoutSeconds: '1800' };

describe('parseWireProperties (the Lambda side of the shared rules)', () => {
  test('returns the declaration, values by Service Catalog key', () => {
    expect(parseWireProperties({ ...valid, AcceptLanguage: 'jp' }, STACK)).toEqual({
      product: { id: 'pp-1' }, values: { OWNER: valid.Owner, LAUNCH_ROLE: valid.LaunchRoleArn }, acceptLanguage: 'jp', timeoutSeconds: 1800,
      restoreOnDelete: false,
    });
  });

  test('is the inverse of the construct\'s toWireProperties', () => {
    const declaration = parseWireProperties({ ...valid, RestoreOnDelete: 'true' }, STACK);
    const wire = toWireProperties(declaration, { timeoutSeconds: '1800', restoreOnDelete: true });
    expect(parseWireProperties({ ...wire }, STACK)).toEqual(declaration);
  });

  test.each([
    ['an id with illegal characters', { ProvisionedProductId: 'pp-1;drop' }, 'Invalid ProvisionedProductId "pp-1;drop"'],
    ['neither id nor name', { ProvisionedProductId: undefined }, 'Invalid ProvisionedProductId and ProvisionedProductName (not set): give exactly one of them'],
    ['both id and name', { ProvisionedProductName: 'my-product' }, 'Invalid ProvisionedProductId and ProvisionedProductName "pp-1": give exactly one of them'],
    ['a name with illegal characters', { ProvisionedProductId: undefined, ProvisionedProductName: '-starts-with-dash' }, 'Invalid ProvisionedProductName "-starts-with-dash"'],
    ['a RestoreOnDelete that is not a boolean', { RestoreOnDelete: 'yes' }, 'Invalid RestoreOnDelete "yes": expected "true" or "false".'],
    ['an owner that is a group', { Owner: `arn:aws:iam::${ACCOUNT}:group/G` }, `Invalid Owner "arn:aws:iam::${ACCOUNT}:group/G"`],
    ['a launch role that is a user', { LaunchRoleArn: `arn:aws:iam::${ACCOUNT}:user/u` }, `Invalid LaunchRoleArn "arn:aws:iam::${ACCOUNT}:user/u": expected an IAM role ARN`],
    ['an owner in another account', { Owner: 'arn:aws:iam::111111111111:user/u' }, 'the principal is in account 111111111111, but the stack deploys to account 123456789012'],
    ['an empty owner', { Owner: '' }, 'Invalid Owner ""'],
    ['a non-string owner', { Owner: 42 }, 'Invalid Owner 42'],
    ['an unsupported AcceptLanguage', { AcceptLanguage: 'de' }, 'Invalid AcceptLanguage "de": expected one of "en", "jp", "zh".'],
    ['a timeout over an hour', { TimeoutSeconds: '3601' }, 'Invalid TimeoutSeconds "3601": expected whole seconds from 1 to 3600'],
    ['a timeout that is not a number', { TimeoutSeconds: 'soon' }, 'Invalid TimeoutSeconds "soon"'],
    ['a missing timeout', { TimeoutSeconds: undefined }, 'Invalid TimeoutSeconds (not set)'],
    ['neither owner nor launch role', { Owner: undefined, LaunchRoleArn: undefined }, 'Invalid Owner and LaunchRoleArn (not set): declare at least one of them'],
  ])('rejects %s', (_title, change, message) => {
    const props: Record<string, unknown> = { ...valid, ...change };
    for (const key of Object.keys(props)) if (props[key] === undefined) delete props[key];
    expect(() => parseWireProperties(props, STACK)).toThrow(message);
  });

  test('accepts the keys CloudFormation copies from the template, and ignores unknown keys instead of failing', () => {
    const request = { ...valid, ServiceTimeout: '1920', Owners: 'x', Tags: ['a'] };
    expect(parseWireProperties(request, STACK)).toEqual(parseWireProperties(valid, STACK));
    expect(unusedPropertyKeys(request)).toEqual(['Owners', 'Tags']);
    expect(unusedPropertyKeys(valid)).toEqual([]);
  });

  test('a known key with a bad value still fails next to an unknown key', () => {
    expect(() => parseWireProperties({ ...valid, Owners: 'x', Owner: 'nope' }, STACK)).toThrow('Invalid Owner "nope"');
  });

  test('accepts a name instead of an id, and RestoreOnDelete', () => {
    const { ProvisionedProductId: _id, ...byName } = valid;
    expect(parseWireProperties({ ...byName, ProvisionedProductName: 'team.app-1', RestoreOnDelete: 'true' }, STACK))
      .toMatchObject({ product: { name: 'team.app-1' }, restoreOnDelete: true });
  });

  test('rejects a principal of another partition than the stack\'s', () => {
    expect(() => parseWireProperties({ ...valid, Owner: `arn:aws-cn:iam::${ACCOUNT}:role/R` }, STACK))
      .toThrow(`Invalid Owner "arn:aws-cn:iam::${ACCOUNT}:role/R": the principal is in partition aws-cn, but the stack deploys to partition aws`);
    expect(() => parseWireProperties({ ...valid, Owner: `arn:aws-cn:iam::${ACCOUNT}:role/R`, LaunchRoleArn: `arn:aws-us-gov:iam::${ACCOUNT}:role/L` },
      { ...STACK, partition: 'aws-cn' })).toThrow('Invalid LaunchRoleArn');
    expect(parseWireProperties({ ...valid, Owner: `arn:aws-cn:iam::${ACCOUNT}:role/R`, LaunchRoleArn: `arn:aws-cn:iam::${ACCOUNT}:role/L` },
      { ...STACK, partition: 'aws-cn' })).toMatchObject({ values: { OWNER: `arn:aws-cn:iam::${ACCOUNT}:role/R` } });
  });

  test('stackEnvironment reads the account and partition of a StackId, or nothing', () => {
    expect(stackEnvironment(`arn:aws-us-gov:cloudformation:us-gov-west-1:${ACCOUNT}:stack/S/g`)).toEqual({ account: ACCOUNT, partition: 'aws-us-gov' });
    expect(stackEnvironment('not-an-arn')).toEqual({ account: undefined, partition: undefined });
    expect(stackEnvironment(undefined)).toEqual({ account: undefined, partition: undefined });
  });

  test('skips the account check when the stack account is unknown', () => {
    expect(() => parseWireProperties({ ...valid, Owner: 'arn:aws:iam::111111111111:user/u' }, {})).not.toThrow();
  });
});
