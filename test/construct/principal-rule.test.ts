/**
 * The principal rule is kept once (lib/shared/validation.ts ACCEPTED_PRINCIPALS): the construct
 * applies it to a fully known ARN and to the known parts of an ARN with tokens, and the handler
 * applies it to the template's values. For each key and principal type, all three agree.
 */
import { App, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../../lib';
import { ACCEPTED_PRINCIPALS } from '../../lib/shared/validation';
import { parseWireProperties } from '../../lib/shared/wire-contract';

const ACCOUNT = '123456789012';
const ARNS = {
  'iam:user': (partition: string) => `arn:${partition}:iam::${ACCOUNT}:user/alice`,
  'iam:role': (partition: string) => `arn:${partition}:iam::${ACCOUNT}:role/Launch`,
  'sts:assumed-role': (partition: string) => `arn:${partition}:sts::${ACCOUNT}:assumed-role/Admin/alice`,
};

function declare(key: 'OWNER' | 'LAUNCH_ROLE', arn: string) {
  const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
  return () => new ProvisionedProductProperties(stack, 'Ownership', {
    provisionedProductId: 'pp-abc123',
    ...(key === 'OWNER' ? { owner: arn } : { launchRole: iam.Role.fromRoleArn(stack, 'Role', arn, { mutable: false }) }),
  });
}

describe.each(['OWNER', 'LAUNCH_ROLE'] as const)('%s', (key) => {
  test.each(Object.keys(ARNS) as Array<keyof typeof ARNS>)('an ARN naming %s: the same verdict known in full, with a token partition, and in the template', (type) => {
    const accepted = (ACCEPTED_PRINCIPALS[key].types as readonly string[]).includes(type);
    const field = key === 'OWNER' ? 'owner' : 'launchRole';
    const literal = declare(key, ARNS[type]('aws'));
    const withToken = declare(key, ARNS[type](Aws.PARTITION));
    const inTemplate = () => parseWireProperties({ ProvisionedProductId: 'pp-1', TimeoutSeconds: '60', [key === 'OWNER' ? 'Owner' : 'LaunchRoleArn']: ARNS[type]('aws') },
      { account: ACCOUNT, partition: 'aws' });
    if (accepted) {
      expect(literal).not.toThrow();
      expect(withToken).not.toThrow();
      expect(inTemplate).not.toThrow();
    } else {
      expect(literal).toThrow(new RegExp(`Invalid ${field} .*${ACCEPTED_PRINCIPALS[key].expected.slice(0, 20)}.*but it names ${type}`));
      expect(withToken).toThrow(new RegExp(`Invalid ${field} .*but it names ${type}`));
      expect(inTemplate).toThrow(`but it names ${type}`);
    }
  });
});

test('a launch role given as a user ARN through a token is refused at synth', () => {
  expect(declare('LAUNCH_ROLE', `arn:${Aws.PARTITION}:iam::${ACCOUNT}:user/alice`))
    .toThrow(/Invalid launchRole ".*": expected an IAM role ARN, such as .*, but it names iam:user\./);
});
