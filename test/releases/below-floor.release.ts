/**
 * Run by `node scripts/cdk-releases.mjs` only, against aws-cdk-lib 2.182.0, the release just below
 * the floor: where a TypeError used to come out of the provider, the app gets the message that
 * says which release it needs and how to upgrade.
 */
import { App, Stack } from 'aws-cdk-lib';
import { ProvisionedProductProperties } from '../../lib';
import { MIN_AWS_CDK_LIB_VERSION, loadedAwsCdkLibVersion } from '../../lib/cdk-compat';

test('the peers really are below the floor', () => {
  expect(loadedAwsCdkLibVersion()).toBe(process.env.EXPECT_AWS_CDK_LIB_VERSION);
  expect(process.env.EXPECT_AWS_CDK_LIB_VERSION).not.toBe(MIN_AWS_CDK_LIB_VERSION);
});

test('creating the construct fails with the clear error, not a TypeError', () => {
  const stack = new Stack(new App(), 'Old');
  expect(() => new ProvisionedProductProperties(stack, 'P', {
    provisionedProductId: 'pp-1', owner: 'arn:aws:iam::123456789012:role/PlatformTeam',
  })).toThrow(`cdk-provisioned-product-properties needs aws-cdk-lib ${MIN_AWS_CDK_LIB_VERSION} or newer, and this app loads `
    + `aws-cdk-lib ${process.env.EXPECT_AWS_CDK_LIB_VERSION}.`);
});
