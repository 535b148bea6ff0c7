/**
 * Bad inputs, each tried twice: at synth time through the construct's props (where they can be
 * written there), and in the Lambda through a hand-edited template (`handEdited`), whose request
 * is built like any other: ServiceToken, ServiceTimeout and all. Each must name the field and the
 * bad value, and no call may reach the service. A key the handler does not know is no error.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AcceptLanguage, ProvisionedProductProperties, ProvisionedProductPropertiesProps } from '../../lib';
import { createRequest, handEdited } from './cloudformation-request';
import { ACCOUNT, arn, synthesizedResource, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();
const OTHER = '210987654321';
const OWNER = arn('role/PlatformTeam');
const LONG_PATH = 'p/'.repeat(520);

interface BadInput {
  readonly title: string;
  /** The construct's props for the case, or undefined where TypeScript cannot even express it. */
  readonly props?: (stack: Stack) => Partial<ProvisionedProductPropertiesProps>;
  /** The prop named by the synth-time error. */
  readonly prop?: string;
  /** The hand edit of the template's Properties (undefined removes one). */
  readonly edit: Record<string, unknown>;
  /** The template property named by the Lambda's error. */
  readonly property: string;
  /** The bad value, as the error quotes it (its start). */
  readonly shown: string;
  /** Where the synth-time error quotes it otherwise (a Duration, as written). */
  readonly shownAtSynth?: string;
}

const role = (stack: Stack, value: string) => iam.Role.fromRoleArn(stack, 'Bad', value);

const cases: BadInput[] = [
  { title: 'an owner that is a group ARN', props: () => ({ owner: arn('group/Admins') }), prop: 'owner', edit: { Owner: arn('group/Admins') }, property: 'Owner', shown: arn('group/Admins') },
  { title: 'an owner that is a policy ARN', props: () => ({ owner: arn('policy/Admin') }), prop: 'owner', edit: { Owner: arn('policy/Admin') }, property: 'Owner', shown: arn('policy/Admin') },
  { title: 'an owner that is a service-linked role', props: () => ({ owner: arn('role/aws-service-role/sc.amazonaws.com/X') }), prop: 'owner', edit: { Owner: arn('role/aws-service-role/sc.amazonaws.com/X') }, property: 'Owner', shown: arn('role/aws-service-role/') },
  { title: 'an owner in another account', props: () => ({ owner: `arn:aws:iam::${OTHER}:role/X` }), prop: 'owner', edit: { Owner: `arn:aws:iam::${OTHER}:role/X` }, property: 'Owner', shown: `arn:aws:iam::${OTHER}:role/X` },
  { title: 'a launch role in another account', props: (s) => ({ launchRole: role(s, `arn:aws:iam::${OTHER}:role/L`) }), prop: 'launchRole', edit: { LaunchRoleArn: `arn:aws:iam::${OTHER}:role/L` }, property: 'LaunchRoleArn', shown: `arn:aws:iam::${OTHER}:role/L` },
  { title: 'a launch role given as a user ARN', props: (s) => ({ launchRole: role(s, arn('user/bob')) }), prop: 'launchRole', edit: { LaunchRoleArn: arn('user/bob') }, property: 'LaunchRoleArn', shown: arn('user/bob') },
  { title: 'a launch role given as an assumed-role ARN', props: (s) => ({ launchRole: role(s, `arn:aws:sts::${ACCOUNT}:assumed-role/R/s1`) }), prop: 'launchRole', edit: { LaunchRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/R/s1` }, property: 'LaunchRoleArn', shown: `arn:aws:sts::${ACCOUNT}:assumed-role/R/s1` },
  { title: 'an empty owner', props: () => ({ owner: '' }), prop: 'owner', edit: { Owner: '' }, property: 'Owner', shown: '' },
  { title: 'an owner over the 1,024-character model length', props: () => ({ owner: arn(`role/${LONG_PATH}X`) }), prop: 'owner', edit: { Owner: arn(`role/${LONG_PATH}X`) }, property: 'Owner', shown: arn('role/p/p/') },
  { title: 'a launch role over the 1,024-character model length', props: (s) => ({ launchRole: role(s, arn(`role/${LONG_PATH}L`)) }), prop: 'launchRole', edit: { LaunchRoleArn: arn(`role/${LONG_PATH}L`) }, property: 'LaunchRoleArn', shown: arn('role/p/p/') },
  { title: 'a malformed ARN', props: () => ({ owner: 'arn:aws:iam:role/X' }), prop: 'owner', edit: { Owner: 'arn:aws:iam:role/X' }, property: 'Owner', shown: 'arn:aws:iam:role/X' },
  { title: 'an owner that is not an ARN', props: () => ({ owner: 'PlatformTeam' }), prop: 'owner', edit: { Owner: 'PlatformTeam' }, property: 'Owner', shown: 'PlatformTeam' },
  { title: 'an owner with a 13-digit account', props: () => ({ owner: 'arn:aws:iam::1234567890123:role/X' }), prop: 'owner', edit: { Owner: 'arn:aws:iam::1234567890123:role/X' }, property: 'Owner', shown: 'arn:aws:iam::1234567890123:role/X' },
  { title: 'an assumed-role owner without a session', props: () => ({ owner: `arn:aws:sts::${ACCOUNT}:assumed-role/R` }), prop: 'owner', edit: { Owner: `arn:aws:sts::${ACCOUNT}:assumed-role/R` }, property: 'Owner', shown: `arn:aws:sts::${ACCOUNT}:assumed-role/R` },
  { title: 'a provisioned product id with illegal characters', props: () => ({ provisionedProductId: 'pp-1;drop' }), prop: 'provisionedProductId', edit: { ProvisionedProductId: 'pp-1;drop' }, property: 'ProvisionedProductId', shown: 'pp-1;drop' },
  { title: 'a provisioned product id over 100 characters', props: () => ({ provisionedProductId: 'p'.repeat(101) }), prop: 'provisionedProductId', edit: { ProvisionedProductId: 'p'.repeat(101) }, property: 'ProvisionedProductId', shown: 'p'.repeat(100) },
  { title: 'an empty provisioned product id', props: () => ({ provisionedProductId: '' }), prop: 'provisionedProductId', edit: { ProvisionedProductId: '' }, property: 'ProvisionedProductId', shown: '' },
  { title: 'a provisioned product name with a space', props: () => ({ provisionedProductId: undefined, provisionedProductName: 'my app' }), prop: 'provisionedProductName', edit: { ProvisionedProductId: undefined, ProvisionedProductName: 'my app' }, property: 'ProvisionedProductName', shown: 'my app' },
  { title: 'both an id and a name', props: () => ({ provisionedProductName: 'my-app' }), prop: 'provisionedProductId and provisionedProductName', edit: { ProvisionedProductName: 'my-app' }, property: 'ProvisionedProductId and ProvisionedProductName', shown: 'pp-badinput001' },
  { title: 'neither owner nor launch role', props: () => ({ owner: undefined }), prop: 'owner and launchRole', edit: { Owner: undefined }, property: 'Owner and LaunchRoleArn', shown: '(not set)' },
  { title: 'an unsupported acceptLanguage', props: () => ({ acceptLanguage: 'fr' as AcceptLanguage }), prop: 'acceptLanguage', edit: { AcceptLanguage: 'fr' }, property: 'AcceptLanguage', shown: 'fr' },
  { title: 'a timeout of zero', props: () => ({ timeout: Duration.seconds(0) }), prop: 'timeout', edit: { TimeoutSeconds: 0 }, property: 'TimeoutSeconds', shown: '0', shownAtSynth: '0 seconds' },
  { title: 'a timeout over one hour', props: () => ({ timeout: Duration.minutes(61) }), prop: 'timeout', edit: { TimeoutSeconds: '3660' }, property: 'TimeoutSeconds', shown: '3660', shownAtSynth: '1 hour 1 minute' },
  { title: 'a timeout that is not a whole number', props: () => ({ timeout: Duration.millis(1500) }), prop: 'timeout', edit: { TimeoutSeconds: '1.5' }, property: 'TimeoutSeconds', shown: '1.5', shownAtSynth: '1 second 500 millis' },
  { title: 'a RestoreOnDelete that is not a boolean', edit: { RestoreOnDelete: 'yes' }, property: 'RestoreOnDelete', shown: 'yes' },
];

const quoted = (shown: string) => (shown === '(not set)' ? shown : JSON.stringify(shown).slice(0, -1));

test(`the matrix has at least 20 cases (${cases.length})`, () => {
  expect(cases.length).toBeGreaterThanOrEqual(20);
});

describe.each(cases)('$title', (c) => {
  // Cases TypeScript cannot express in props are checked in the Lambda only.
  if (c.props) {
    test('is refused at synth, naming the prop and the value', () => {
      const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
      const props = { provisionedProductId: 'pp-badinput001', owner: OWNER, ...c.props!(stack) } as ProvisionedProductPropertiesProps;
      expect(() => new ProvisionedProductProperties(stack, 'Ownership', props)).toThrow(`Invalid ${c.prop} ${quoted(c.shownAtSynth ?? c.shown)}`);
    });
  }

  test('is refused by the Lambda, naming the property and the value, with no call to the service', async () => {
    const edited = handEdited(synthesizedResource({ id: 'pp-badinput001', owner: OWNER }), c.edit);
    const before = e2e.fake.calls.length;
    const response = await e2e.harness.send(createRequest(edited));
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain(`Invalid ${c.property} ${quoted(c.shown)}`);
    expect(response.Reason).toContain('No call was made to Service Catalog.');
    expect(e2e.fake.calls.length).toBe(before);
  });
});

describe('a property the handler does not know, in a hand-edited template', () => {
  test('does not fail the deploy: the change succeeds and the handler warns, naming the key', async () => {
    const id = 'pp-unknownkey01';
    e2e.fake.addProduct({ id });
    const edited = handEdited(synthesizedResource({ id, owner: OWNER }), { Owners: [arn('role/Other')] });
    const logsBefore = e2e.logs.length;
    const response = await e2e.harness.send(createRequest(edited));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id, Data: { Changed: 'true', RecordStatus: 'SUCCEEDED' } });
    const writes = e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id);
    expect(writes.map((c) => c.input.ProvisionedProductProperties)).toEqual([{ OWNER }]);
    const warnings = e2e.logs.slice(logsBefore).filter((l) => l.includes('"warning: the request has properties the handler does not use'));
    expect(warnings.map((l) => JSON.parse(l).unusedKeys)).toEqual([['Owners']]);
  });
});
