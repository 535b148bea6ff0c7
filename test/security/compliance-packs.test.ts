/**
 * cdk-nag's NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 packs (and AwsSolutions) over a stack
 * configured as a regulated team would (test/security/regulated-stack.ts): no unacknowledged
 * finding. What the configuration satisfies is not acknowledged anywhere; what does not apply is
 * acknowledged next to its resource, in lib/provider/compliance.ts. The unconfigured provider does fail
 * each pack, on what the configuration is there for.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { ProvisionedProductProperties } from '../../lib';
import { nagFindings, NagPackClass } from './nag';
import { RegulatedStack } from './regulated-stack';

const PACKS: [string, NagPackClass][] = [
  ['NIST 800-53 R5', NIST80053R5Checks], ['HIPAA Security', HIPAASecurityChecks], ['PCI DSS 3.2.1', PCIDSS321Checks],
  ['AwsSolutions', AwsSolutionsChecks],
];

test.each(PACKS)('%s: the regulated configuration passes', (_name, Pack) => {
  const app = new App();
  new RegulatedStack(app, 'Regulated');
  expect(nagFindings(app, Pack)).toEqual([]);
});

/** The rules each pack fails on an unconfigured provider, and so what the configuration satisfies. */
const UNCONFIGURED: Record<string, string[]> = {
  'NIST 800-53 R5': ['CloudWatchLogGroupEncrypted', 'IAMNoInlinePolicy', 'LambdaConcurrency', 'LambdaInsideVPC'],
  'HIPAA Security': ['CloudWatchLogGroupEncrypted', 'IAMNoInlinePolicy', 'LambdaConcurrency', 'LambdaInsideVPC'],
  'PCI DSS 3.2.1': ['CloudWatchLogGroupEncrypted', 'IAMNoInlinePolicy', 'LambdaInsideVPC'],
};

test.each(PACKS.slice(0, 3))('%s: the unconfigured provider fails only the rules the configuration satisfies', (name, Pack) => {
  const app = new App();
  const stack = new Stack(app, 'Default', { env: { account: '123456789012', region: 'us-east-1' } });
  new ProvisionedProductProperties(stack, 'Ownership', { provisionedProductId: 'pp-abc123def4567', owner: 'arn:aws:iam::123456789012:role/PlatformTeam' });
  const rules = [...new Set(nagFindings(app, Pack).map((f) => /^error [^-]+(?:-[^-]+)*?-([A-Za-z0-9]+)(?:\[|\s)/.exec(f)?.[1] ?? f))].sort();
  expect(rules).toEqual(UNCONFIGURED[name]);
});

test('AwsSolutions: an imported handler role gets the provider\'s policy with its acknowledgement, and no finding', () => {
  const app = new App();
  const stack = new Stack(app, 'Imported', { env: { account: '123456789012', region: 'us-east-1' } });
  ProvisionedProductProperties.configureProvider(stack, { handlerRole: iam.Role.fromRoleName(stack, 'Mine', 'PlatformPppHandler') });
  new ProvisionedProductProperties(stack, 'Ownership', { provisionedProductId: 'pp-abc123def4567', owner: 'arn:aws:iam::123456789012:role/PlatformTeam' });
  expect(nagFindings(app, AwsSolutionsChecks)).toEqual([]);
});
