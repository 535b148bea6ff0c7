/**
 * Integration test: deploys the example stack (the one `npx cdk synth` synthesizes) and then asks
 * Service Catalog whether the provisioned product really has the declared owner and launch role.
 *
 * CI does not deploy: `npm run integ` synthesizes this app and compares its templates with the
 * committed snapshot (integ.ownership.ts.snapshot/), offline. `npm run integ:update` rewrites the
 * snapshot; `npm run integ:deploy` deploys it for real (AWS credentials and a bootstrapped account),
 * then destroys it. See "Integration test" in CONTRIBUTING.md.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, DefaultStackSynthesizer, Duration, Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ExampleStack } from '../integ.provisioned-product-properties';

const app = new App();
const stack = new ExampleStack(app, 'ProvisionedProductPropertiesInteg');

// CloudFormation provisions the product as the stack's execution role (the CDK bootstrap's), so
// that role needs access to the portfolio. It is also the owner the construct takes over from.
const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
const executionRole = iam.Role.fromRoleArn(stack, 'CloudFormationExecutionRole', Fn.sub(
  `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/cdk-${qualifier}-cfn-exec-role-\${AWS::AccountId}-\${AWS::Region}`,
), { mutable: false });
stack.portfolio.giveAccessToRole(executionRole);

const integ = new IntegTest(app, 'ProvisionedProductPropertiesIntegTest', {
  testCases: [stack],
  // Deleting the test stack terminates the provisioned product; no prompt.
  cdkCommandOptions: { destroy: { args: { force: true } } },
  // No deploy of the previous snapshot before this one, so the snapshot need not carry the
  // Lambda bundles (asset.* directories): it holds the templates only.
  stackUpdateWorkflow: false,
});
// Each assertion waits (polling every 10 s) and fails the deploy if it does not hold within the
// timeout, so a plain `cdk deploy` of this app is a pass/fail test.
const wait = { totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) };
const provisionedProductId = stack.provisioned.attrProvisionedProductId;

// The record of the change the construct made reached SUCCEEDED.
integ.assertions
  .awsApiCall('ServiceCatalog', 'describeRecord', { Id: stack.ownership.recordId })
  .assertAtPath('RecordDetail.Status', ExpectedResult.exact('SUCCEEDED'))
  .waitForAssertions(wait);

// LAUNCH_ROLE is the declared role. (The example's launch-role constraint names the same role, so
// this checks that the construct kept it; the owner check below is the one a no-op would fail.)
integ.assertions
  .awsApiCall('ServiceCatalog', 'describeProvisionedProduct', { Id: provisionedProductId })
  .assertAtPath('ProvisionedProductDetail.LaunchRoleArn', ExpectedResult.exact(stack.launchRole.roleArn))
  .waitForAssertions(wait);

// OWNER is the declared principal, not CloudFormation's execution role that provisioned the product.
// Searching with the account-level filter sees every provisioned product of the account; the search
// index can lag behind the change by a few seconds, which the wait covers.
integ.assertions
  .awsApiCall('ServiceCatalog', 'searchProvisionedProducts', {
    AccessLevelFilter: { Key: 'Account', Value: 'self' },
    Filters: { SearchQuery: [`id:${provisionedProductId}`] },
  })
  .assertAtPath('ProvisionedProducts.0.UserArn', ExpectedResult.exact(stack.platformTeam.roleArn))
  .waitForAssertions(wait);

app.synth();
