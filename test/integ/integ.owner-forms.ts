/**
 * Integration test for what Service Catalog does not document about owners: how it reports an
 * assumed-role OWNER and a role with a path in `UserArn` and `UserArnSession`. The example stack
 * gets two more provisioned products, owned through the construct by an STS assumed-role ARN and
 * by a role with a path. Assertions check that both records SUCCEEDED; the raw `UserArn` and
 * `UserArnSession` of each are stack outputs, so a deploy (`npm run integ:deploy`) records the
 * service's real answer, which the handler's owner comparison must match (see docs/design.md, "What
 * Service Catalog does not document").
 *
 * CI does not deploy: `npm run integ` compares the synthesized templates with the snapshot.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, ArnFormat, CfnOutput, DefaultStackSynthesizer, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { ProvisionedProductProperties } from '../../lib';
import { ExampleStack } from '../integ.provisioned-product-properties';

const app = new App();
const stack = new ExampleStack(app, 'ProvisionedProductPropertiesOwnerForms');
const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
stack.portfolio.giveAccessToRole(iam.Role.fromRoleArn(stack, 'CloudFormationExecutionRole', Fn.sub(
  `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/cdk-${qualifier}-cfn-exec-role-\${AWS::AccountId}-\${AWS::Region}`,
), { mutable: false }));

const teamWithPath = new iam.Role(stack, 'TeamWithPath', {
  assumedBy: new iam.AccountRootPrincipal(),
  path: '/platform/teams/',
  description: 'An owner whose ARN has a path',
});
const owners = {
  AssumedRole: stack.formatArn({
    service: 'sts', region: '', resource: 'assumed-role', resourceName: `${stack.platformTeam.roleName}/integ-session`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  }),
  RoleWithPath: teamWithPath.roleArn,
};

const integ = new IntegTest(app, 'OwnerFormsIntegTest', {
  testCases: [stack],
  cdkCommandOptions: { destroy: { args: { force: true } } },
  stackUpdateWorkflow: false,
});
const wait = { totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) };

for (const [name, owner] of Object.entries(owners)) {
  const provisioned = new servicecatalog.CfnCloudFormationProvisionedProduct(stack, `Provisioned${name}`, {
    productId: stack.provisioned.productId,
    provisioningArtifactName: 'v1',
    provisionedProductName: `example-parameter-${name.toLowerCase()}`,
  });
  provisioned.node.addDependency(stack.portfolio);
  const ownership = new ProvisionedProductProperties(stack, `Ownership${name}`, {
    provisionedProductId: provisioned.attrProvisionedProductId, owner,
  });

  integ.assertions
    .awsApiCall('ServiceCatalog', 'describeRecord', { Id: ownership.recordId })
    .assertAtPath('RecordDetail.Status', ExpectedResult.exact('SUCCEEDED'))
    .waitForAssertions(wait);

  // The service's own words for this owner, as outputs of the assertion stack: the readings the
  // handler must survive are documented nowhere else.
  const search = integ.assertions.awsApiCall('ServiceCatalog', 'searchProvisionedProducts', {
    AccessLevelFilter: { Key: 'Account', Value: 'self' },
    Filters: { SearchQuery: [`id:${provisioned.attrProvisionedProductId}`] },
  });
  search.expect(ExpectedResult.objectLike({ ProvisionedProducts: [{ Id: provisioned.attrProvisionedProductId }] })).waitForAssertions(wait);
  // The call is a construct of the assertion stack, where its attributes can be output.
  const assertionStack = Stack.of(search as unknown as Construct);
  new CfnOutput(assertionStack, `${name}UserArn`, { value: search.getAttString('ProvisionedProducts.0.UserArn') });
  new CfnOutput(assertionStack, `${name}UserArnSession`, { value: search.getAttString('ProvisionedProducts.0.UserArnSession') });
}

app.synth();
