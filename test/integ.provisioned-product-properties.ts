/**
 * The example app (`npx cdk synth` runs it; see cdk.json): a portfolio with a product whose
 * launch role is set by a launch-role constraint, a provisioned product of it, and the construct
 * declaring that product's owner and launch role. It synthesizes offline, with no credentials.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ProvisionedProductProperties } from '../lib';

/** What the product provisions: one SSM parameter, enough to show the mechanics. */
class ParameterProduct extends servicecatalog.ProductStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ssm.StringParameter(this, 'Parameter', { stringValue: 'provisioned by Service Catalog' });
  }
}

export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const portfolio = new servicecatalog.Portfolio(this, 'Portfolio', {
      displayName: 'Platform products',
      providerName: 'Platform team',
    });
    const product = new servicecatalog.CloudFormationProduct(this, 'Product', {
      productName: 'Parameter product',
      owner: 'Platform team',
      productVersions: [{
        productVersionName: 'v1',
        cloudFormationTemplate: servicecatalog.CloudFormationTemplate.fromProductStack(new ParameterProduct(this, 'ParameterProduct')),
      }],
    });
    portfolio.addProduct(product);

    const launchRole = new iam.Role(this, 'LaunchRole', {
      assumedBy: new iam.ServicePrincipal('servicecatalog.amazonaws.com'),
      description: 'Launch role of the parameter product',
    });
    launchRole.addToPolicy(new iam.PolicyStatement({
      actions: ['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:GetParameters', 'ssm:AddTagsToResource',
        'ssm:RemoveTagsFromResource', 'cloudformation:*'],
      resources: ['*'],
    }));
    portfolio.setLaunchRole(product, launchRole);

    // The principal that deploys this stack also needs access to the portfolio to provision it
    // (for example portfolio.giveAccessToRole(...) for your CloudFormation execution role).
    const provisioned = new servicecatalog.CfnCloudFormationProvisionedProduct(this, 'Provisioned', {
      productId: product.productId,
      provisioningArtifactName: 'v1',
      provisionedProductName: 'example-parameter',
    });
    provisioned.node.addDependency(portfolio);

    const platformTeam = new iam.Role(this, 'PlatformTeam', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Owns the provisioned products of the platform team',
    });

    new ProvisionedProductProperties(this, 'Ownership', {
      provisionedProductId: provisioned.attrProvisionedProductId,
      owner: platformTeam.roleArn,
      launchRole,
    });
  }
}

const app = new App();
new ExampleStack(app, 'ProvisionedProductPropertiesExample');
app.synth();
