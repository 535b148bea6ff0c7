import { parseWireProperties, unusedPropertyKeys } from '../../lib/shared/wire-contract';

const ACCOUNT = '123456789012';
const valid = { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:f', ProvisionedProductId: 'pp-1',
  Owner: `arn:aws:iam::${ACCOUNT}:user/alice`, LaunchRoleArn: `arn:aws:iam::${ACCOUNT}:role/L`, TimeoutSeconds: '1800' };

describe('parseWireProperties (the Lambda side of the shared rules)', () => {
  test('returns the typed desired state', () => {
    expect(parseWireProperties({ ...valid, AcceptLanguage: 'jp' }, ACCOUNT)).toEqual({
      provisionedProductId: 'pp-1', owner: valid.Owner, launchRoleArn: valid.LaunchRoleArn, acceptLanguage: 'jp', timeoutSeconds: 1800,
      restoreOnDelete: false,
    });
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
    expect(() => parseWireProperties(props, ACCOUNT)).toThrow(message);
  });

  test('accepts the keys CloudFormation copies from the template, and ignores unknown keys instead of failing', () => {
    const request = { ...valid, ServiceTimeout: '1920', Owners: 'x', Tags: ['a'] };
    expect(parseWireProperties(request, ACCOUNT)).toEqual(parseWireProperties(valid, ACCOUNT));
    expect(unusedPropertyKeys(request)).toEqual(['Owners', 'Tags']);
    expect(unusedPropertyKeys(valid)).toEqual([]);
  });

  test('a known key with a bad value still fails next to an unknown key', () => {
    expect(() => parseWireProperties({ ...valid, Owners: 'x', Owner: 'nope' }, ACCOUNT)).toThrow('Invalid Owner "nope"');
  });

  test('accepts a name instead of an id, and RestoreOnDelete', () => {
    const { ProvisionedProductId: _id, ...byName } = valid;
    expect(parseWireProperties({ ...byName, ProvisionedProductName: 'team.app-1', RestoreOnDelete: 'true' }, ACCOUNT))
      .toMatchObject({ provisionedProductName: 'team.app-1', restoreOnDelete: true });
  });

  test('skips the account check when the stack account is unknown', () => {
    expect(() => parseWireProperties({ ...valid, Owner: 'arn:aws:iam::111111111111:user/u' }, undefined)).not.toThrow();
  });
});
