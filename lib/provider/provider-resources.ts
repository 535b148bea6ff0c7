/**
 * How the provider configuration (lib/provider/provider-config.ts) shapes the resources: roles with a path,
 * names and optionally managed policies only, the functions' security groups, and the names and
 * reserved concurrency of the provider framework's functions, which aws-cdk-lib creates (set on
 * their CloudFormation resources, as its Provider has no props for them). Our own functions get
 * theirs in lib/provider/handler-functions.ts.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { FRAMEWORK_ENTRY_POINTS, FrameworkEntryPoint, FrameworkParts } from './framework-parts';
import { ProvisionedProductPropertiesProviderProps } from './provider-config';

/** A role whose statements go into one customer managed policy instead of an inline policy. */
class ManagedPolicyRole extends iam.Role {
  private policy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps, private readonly policyPath: string | undefined) {
    super(scope, id, props);
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.policy) {
      this.policy = new iam.ManagedPolicy(this, 'Policy', {
        path: this.policyPath,
        description: `The permissions of ${this.node.path}`,
      });
      // In the role's ManagedPolicyArns, so whatever depends on the role waits for the policy too.
      this.addManagedPolicy(this.policy);
    }
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

/** A role the provider creates, named `<roleNamePrefix><nameSuffix>` when there is a prefix. */
export function createRole(scope: Construct, id: string, nameSuffix: string, config: ProvisionedProductPropertiesProviderProps,
  description: string): iam.Role {
  const props: iam.RoleProps = {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description,
    path: config.iamPath,
    roleName: config.roleNamePrefix !== undefined ? `${config.roleNamePrefix}${nameSuffix}` : undefined,
  };
  return config.managedPoliciesOnly ? new ManagedPolicyRole(scope, id, props, config.iamPath) : new iam.Role(scope, id, props);
}

/**
 * What a function's role needs besides its own work: the network interfaces of a VPC function
 * (lambda.Function only adds AWSLambdaVPCAccessExecutionRole to roles it creates itself), and
 * decrypting its environment with the configured key.
 */
export function grantFunctionBasics(role: iam.IRole, config: ProvisionedProductPropertiesProviderProps): void {
  if (config.vpc) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'LambdaVpcNetworkInterfaces',
      // The actions of the AWS managed AWSLambdaVPCAccessExecutionRole. The Describe actions have no
      // resource types; Lambda creates and deletes the interfaces in the configured subnets.
      actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      resources: ['*'],
    }));
  }
  config.environmentEncryption?.grantDecrypt(role);
}

/** The security groups of the functions: the configured ones, or one the provider creates. */
export function securityGroupsFor(scope: Construct, config: ProvisionedProductPropertiesProviderProps): ec2.ISecurityGroup[] | undefined {
  if (!config.vpc) return undefined;
  return config.securityGroups ?? [new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: config.vpc,
    description: 'The provisioned-product-properties provider functions: outbound to the AWS APIs only, no inbound',
    allowAllOutbound: true,
  })];
}

/** The suffix of each framework function's name. */
const FRAMEWORK_NAME_SUFFIXES: Record<FrameworkEntryPoint, string> = {
  onEvent: 'FrameworkOnEvent', isComplete: 'FrameworkIsComplete', onTimeout: 'FrameworkOnTimeout',
};

/**
 * Names and reserved concurrency for the framework's functions, and path and name for the role
 * of its waiter state machine, which aws-cdk-lib's Provider creates with no props for them.
 */
export function configureFramework(framework: FrameworkParts, config: ProvisionedProductPropertiesProviderProps): void {
  for (const entryPoint of FRAMEWORK_ENTRY_POINTS) {
    const cfn = framework.functions[entryPoint].resource;
    if (config.functionNamePrefix !== undefined) cfn.functionName = `${config.functionNamePrefix}${FRAMEWORK_NAME_SUFFIXES[entryPoint]}`;
    if (config.reservedConcurrentExecutions !== undefined) cfn.reservedConcurrentExecutions = config.reservedConcurrentExecutions;
  }
  // No CfnRole where iam.Role.customizeRoles uses a precreated role instead.
  const waiterRole = framework.waiterRole.node.defaultChild as iam.CfnRole | undefined;
  if (!waiterRole) return;
  if (config.iamPath !== undefined) waiterRole.path = config.iamPath;
  if (config.roleNamePrefix !== undefined) waiterRole.roleName = `${config.roleNamePrefix}WaiterStateMachine`;
}

/**
 * Lets CloudWatch Logs of the stack's region encrypt the account's log groups with `key`, where
 * the key is defined in the app (an imported key's policy is not ours to change).
 */
export function allowLogsToUseKey(scope: Construct, key: kms.IKey): void {
  const stack = Stack.of(scope);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchLogsEncryptLogGroups',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }), true);
}
