import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AcceptLanguage, ProvisionedProductProperties, ProvisionedProductPropertiesProps } from '../../lib';
import { inOtherLanguages, toPascalName, toPythonName } from '../../lib/prop-names';

const OWNER = 'arn:aws:iam::123456789012:role/PlatformTeam';

const ACCOUNT = '123456789012';
const OTHER = '210987654321';

function synthWith(props: (stack: Stack) => Partial<ProvisionedProductPropertiesProps>, account: string | null = ACCOUNT) {
  const stack = new Stack(new App(), 'Stack', account ? { env: { account, region: 'us-east-1' } } : undefined);
  return () => new ProvisionedProductProperties(stack, 'Ownership', {
    provisionedProductId: 'pp-abc123',
    ...props(stack),
  } as ProvisionedProductPropertiesProps);
}

const role = (stack: Stack, arn: string) => iam.Role.fromRoleArn(stack, 'Role', arn, { mutable: false });

describe('synth-time validation names the prop and the bad value', () => {
  test.each([
    ['an owner that is a group ARN', 'owner', `arn:aws:iam::${ACCOUNT}:group/Admins`],
    ['an owner that is a policy ARN', 'owner', `arn:aws:iam::${ACCOUNT}:policy/Admin`],
    ['an owner that is a service-linked role', 'owner', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/servicecatalog.amazonaws.com/AWSServiceRoleForServiceCatalog`],
    ['an owner that is not an ARN', 'owner', 'PlatformTeam'],
    ['an empty owner', 'owner', ''],
    ['an owner with a 13-digit account', 'owner', 'arn:aws:iam::1234567890123:role/X'],
    ['an owner longer than 1024 characters', 'owner', `arn:aws:iam::${ACCOUNT}:role/${'p/'.repeat(520)}X`],
  ])('%s', (_title, field, value) => {
    expect(synthWith(() => ({ [field]: value }))).toThrow(new RegExp(`Invalid ${field} "${escape(value.slice(0, 40))}`));
  });

  test.each([
    ['a user ARN', `arn:aws:iam::${ACCOUNT}:user/alice`],
    ['an assumed-role ARN', `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`],
    ['a service-linked role', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX`],
  ])('a launch role given as %s', (_title, arn) => {
    expect(synthWith((s) => ({ launchRole: role(s, arn) }))).toThrow(new RegExp(`Invalid launchRole "${escape(arn)}"`));
  });

  test('an owner in another account than the stack', () => {
    expect(synthWith(() => ({ owner: `arn:aws:iam::${OTHER}:role/X` })))
      .toThrow(`Invalid owner "arn:aws:iam::${OTHER}:role/X": the principal is in account ${OTHER}, but the stack deploys to account ${ACCOUNT}`);
  });

  test('a launch role in another account than the stack', () => {
    expect(synthWith((s) => ({ launchRole: role(s, `arn:aws:iam::${OTHER}:role/L`) })))
      .toThrow(/Invalid launchRole "arn:aws:iam::210987654321:role\/L": the principal is in account 210987654321/);
  });

  test('the account check is skipped when the stack is environment-agnostic', () => {
    expect(synthWith(() => ({ owner: `arn:aws:iam::${OTHER}:role/X` }), null)).not.toThrow();
  });

  test('a partly-token ARN is checked by its known parts (Arn.split)', () => {
    expect(synthWith((s) => ({ owner: s.formatArn({ service: 'iam', region: '', resource: 'group', resourceName: 'Admins' }) })))
      .toThrow(/Invalid owner ".*": expected an IAM user, IAM role or STS assumed-role ARN, such as .*, but it names iam:group/);
    expect(synthWith((s) => ({ launchRole: iam.Role.fromRoleName(s, 'R', 'Launch') }))).not.toThrow();
    expect(synthWith((s) => ({ owner: s.formatArn({ service: 'iam', region: '', account: OTHER, resource: 'role', resourceName: 'X' }) })))
      .toThrow(/the principal is in account 210987654321, but the stack deploys to account 123456789012/);
  });

  test('neither owner nor launch role', () => {
    expect(synthWith(() => ({}))).toThrow('Invalid owner and launchRole (not set): declare at least one of them');
  });

  test.each(['pp abc', 'pp/abc', '', 'p'.repeat(101), 'pp-ü'])('the provisioned product id %j', (id) => {
    expect(synthWith(() => ({ provisionedProductId: id, owner: `arn:aws:iam::${ACCOUNT}:role/X` })))
      .toThrow(`Invalid provisionedProductId ${JSON.stringify(id).slice(0, 100)}`);
  });

  test.each([
    ['zero', Duration.seconds(0)],
    ['over an hour', Duration.minutes(61)],
    ['fractional seconds', Duration.millis(1500)],
  ])('a timeout of %s', (_title, timeout) => {
    expect(synthWith(() => ({ owner: `arn:aws:iam::${ACCOUNT}:role/X`, timeout }))).toThrow(/Invalid timeout .*: expected whole seconds from 1 to 3600/);
  });

  test('an unsupported acceptLanguage', () => {
    expect(synthWith(() => ({ owner: `arn:aws:iam::${ACCOUNT}:role/X`, acceptLanguage: 'fr' as AcceptLanguage })))
      .toThrow('Invalid acceptLanguage "fr": expected one of "en", "jp", "zh".');
  });

  test('errors name the construct path', () => {
    expect(synthWith(() => ({ owner: 'nope' }))).toThrow(/^ProvisionedProductProperties at 'Stack\/Ownership': Invalid owner "nope"/);
  });

  test.each([
    ['an IAM user', `arn:aws:iam::${ACCOUNT}:user/alice`],
    ['an IAM role with a path', `arn:aws:iam::${ACCOUNT}:role/team/platform/PlatformTeam`],
    ['an STS assumed role', `arn:aws:sts::${ACCOUNT}:assumed-role/PlatformTeam/alice@example.com`],
    ['a GovCloud role', `arn:aws-us-gov:iam::${ACCOUNT}:role/X`],
  ])('accepts %s as owner', (_title, owner) => {
    expect(synthWith(() => ({ owner }))).not.toThrow();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

describe('prop names in other languages', () => {
  test('each synth-time error also names the prop as Python, C# and Go write it', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new ProvisionedProductProperties(stack, 'P', { provisionedProductId: 'pp-1', owner: 'not-an-arn' }))
      .toThrow(/Invalid owner "not-an-arn": .* \[props named as in TypeScript and Java; Python: owner; C# and Go: Owner\]$/);
    expect(() => new ProvisionedProductProperties(stack, 'Q', { owner: OWNER }))
      .toThrow(/\[props named as in TypeScript and Java; Python: provisioned_product_id and provisioned_product_name; C# and Go: ProvisionedProductId and ProvisionedProductName\]$/);
  });

  test('the names convert as jsii converts them', () => {
    expect(toPythonName('acceptLanguage')).toBe('accept_language');
    expect(toPascalName('restoreOnDelete')).toBe('RestoreOnDelete');
    expect(inOtherLanguages('launchRole')).toBe(' [props named as in TypeScript and Java; Python: launch_role; C# and Go: LaunchRole]');
    expect(inOtherLanguages('')).toBe('');
  });
});
