/**
 * A stack as a regulated team would write it: the provider in the team's VPC, logs encrypted
 * with the team's key and kept a year, environment variables encrypted, reserved concurrency,
 * managed policies only, a drift check in REPORT mode with its alarm, and the AWS Config rule. The launch role and the VPC already
 * exist in the account (a platform team's), so they are imported.
 */
import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DriftMetrics, DriftMode, ProvisionedProductComplianceRule, ProvisionedProductProperties } from '../../lib';

/** The evidence features' settings: REPORT mode by default; CORRECT with correctOnChange for that feature's packs. */
export interface RegulatedStackProps extends StackProps {
  readonly driftMode?: DriftMode;
  readonly correctOnChange?: boolean;
}

export class RegulatedStack extends Stack {
  constructor(scope: Construct, id: string, { driftMode, correctOnChange, ...props }: RegulatedStackProps = {}) {
    super(scope, id, { env: { account: '123456789012', region: 'us-east-1' }, ...props });
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: 'vpc-0a1b2c3d4e5f67890', availabilityZones: ['us-east-1a', 'us-east-1b'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-0b1c2d3e4f5a67890'],
    });
    const key = new kms.Key(this, 'ProviderKey', { enableKeyRotation: true, description: 'Provider logs and environment' });
    ProvisionedProductProperties.configureProvider(this, {
      vpc,
      logEncryptionKey: key,
      logRetention: logs.RetentionDays.ONE_YEAR,
      environmentEncryption: key,
      reservedConcurrentExecutions: 5,
      managedPoliciesOnly: true,
      iamPath: '/platform/',
    });
    new ProvisionedProductProperties(this, 'Ownership', {
      provisionedProductId: 'pp-abc123def4567',
      owner: 'arn:aws:iam::123456789012:role/PlatformTeam',
      launchRole: iam.Role.fromRoleArn(this, 'LaunchRole', 'arn:aws:iam::123456789012:role/SCLaunchRole'),
      driftCorrection: events.Schedule.rate(Duration.hours(1)),
      driftMode: driftMode ?? DriftMode.REPORT,
    });
    // The evidence: the alarm on any drift or failure, to the team's encrypted topic, and the AWS Config rule.
    const topic = new sns.Topic(this, 'DriftTopic', { masterKey: key, enforceSSL: true });
    // CloudWatch publishes the alarm to the encrypted topic (SNS Developer Guide, "Encryption at rest").
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    new DriftMetrics(this).createAlarm(this, 'DriftAlarm', { alarmTopic: topic });
    new ProvisionedProductComplianceRule(this, 'Compliance', { correctOnChange });
  }
}
