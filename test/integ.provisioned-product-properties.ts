/**
 * The example app (`npx cdk synth` runs it; see cdk.json): a portfolio with a product whose
 * launch role is set by a launch-role constraint, two provisioned products of it, the construct
 * declaring the first one's owner and launch role, and the enforcement Aspect (ENFORCE mode)
 * declaring them for the second, both checked hourly in REPORT mode, with an alarm on the drift
 * metrics and an AWS Config rule. It synthesizes offline, with no credentials.
 */
import { App, AspectPriority, Aspects, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import {
  DriftMetrics, DriftMode, EnforceProvisionedProductProperties, ProvisionedProductComplianceRule, ProvisionedProductProperties,
} from '../lib';
// Acknowledges cdk-nag findings for cdk-nag v2 (template metadata) and v3 (Validations, where
// aws-cdk-lib has it) alike; on aws-cdk-lib 2.252+ with cdk-nag v3 alone, Validations.of(...) does it.
import { acknowledge } from '../lib/cdk-compat';

/** What the product provisions: one SSM parameter, enough to show the mechanics. */
class ParameterProduct extends servicecatalog.ProductStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ssm.StringParameter(this, 'Parameter', { stringValue: 'provisioned by Service Catalog' });
  }
}

export class ExampleStack extends Stack {
  public readonly portfolio: servicecatalog.Portfolio;
  public readonly provisioned: servicecatalog.CfnCloudFormationProvisionedProduct;
  public readonly launchRole: iam.Role;
  public readonly platformTeam: iam.Role;
  public readonly ownership: ProvisionedProductProperties;

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
    acknowledge(launchRole,
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Service Catalog names the product\'s stack (SC-<account>-pp-<id>) and the stack names the parameter when '
          + 'it provisions the product, so the example launch role cannot list them in advance.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::cloudformation:*]',
        reason: 'A launch role creates, updates and deletes the product\'s CloudFormation stack on the user\'s behalf; '
          + 'this example keeps the list short rather than enumerate every stack operation.',
      },
    );
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

    // Checked every hour and only reported (no write between deploys): the evidence for auditors.
    const driftCheck = { driftCorrection: events.Schedule.rate(Duration.hours(1)), driftMode: DriftMode.REPORT };
    const ownership = new ProvisionedProductProperties(this, 'Ownership', {
      provisionedProductId: provisioned.attrProvisionedProductId,
      owner: platformTeam.roleArn,
      launchRole,
      ...driftCheck,
    });

    // A second product that declares nothing itself: the Aspect, in ENFORCE mode, declares the
    // platform team's owner and launch role for it (and for any other such product in the stack).
    const undeclared = new servicecatalog.CfnCloudFormationProvisionedProduct(this, 'ProvisionedWithDefaults', {
      productId: product.productId,
      provisioningArtifactName: 'v1',
      provisionedProductName: 'example-parameter-defaults',
    });
    undeclared.node.addDependency(portfolio);
    Aspects.of(this).add(new EnforceProvisionedProductProperties({ owner: platformTeam.roleArn, launchRole, ...driftCheck }),
      { priority: AspectPriority.MUTATING });

    // An alarm on any drift or failed check, to an encrypted topic the platform team subscribes to.
    const alarmKey = new kms.Key(this, 'DriftAlarmKey', { enableKeyRotation: true, description: 'Drift alarm notifications' });
    alarmKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const alarmTopic = new sns.Topic(this, 'DriftAlarmTopic', { masterKey: alarmKey, enforceSSL: true });
    new DriftMetrics(this).createAlarm(this, 'DriftAlarm', { alarmTopic });

    // Each declared product in AWS Config, COMPLIANT or NON_COMPLIANT (the account must record with
    // AWS Config: a rule cannot be created without a configuration recorder). The Aspect adds its
    // declaration during synthesis, and the rule reads the schedule's declarations at run time.
    new ProvisionedProductComplianceRule(this, 'Compliance');

    // For the integration test (test/integ/), which deploys this stack and checks the result.
    this.portfolio = portfolio;
    this.provisioned = provisioned;
    this.launchRole = launchRole;
    this.platformTeam = platformTeam;
    this.ownership = ownership;
  }
}

// Only when run as the app (`npx cdk synth`), not when the integration test imports ExampleStack.
if (require.main === module) {
  const app = new App();
  new ExampleStack(app, 'ProvisionedProductPropertiesExample');
  app.synth();
}
