/**
 * How the provider configuration (lib/provider/provider-config.ts) shapes the resources: roles with a path,
 * names and optionally managed policies only, functions in a VPC with names, reserved concurrency
 * and environment encryption, and the same for the provider framework's functions, which
 * aws-cdk-lib creates (set on their CloudFormation resources, as its Provider has no props for them).
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
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

const FRAMEWORK_FUNCTIONS = { 'framework-onEvent': 'FrameworkOnEvent', 'framework-isComplete': 'FrameworkIsComplete', 'framework-onTimeout': 'FrameworkOnTimeout' };

/** The provider framework's functions, by their construct id. */
export function frameworkFunctions(provider: cr.Provider): lambda.Function[] {
  return Object.keys(FRAMEWORK_FUNCTIONS).map((id) => provider.node.findChild(id) as lambda.Function);
}

/**
 * Names and reserved concurrency for the framework's functions, and path and name for the role
 * of its waiter state machine, which aws-cdk-lib's Provider creates with no props for them.
 */
export function configureFramework(provider: cr.Provider, config: ProvisionedProductPropertiesProviderProps): void {
  for (const [id, suffix] of Object.entries(FRAMEWORK_FUNCTIONS)) {
    const cfn = (provider.node.findChild(id) as lambda.Function).node.defaultChild as lambda.CfnFunction;
    if (config.functionNamePrefix !== undefined) cfn.functionName = `${config.functionNamePrefix}${suffix}`;
    if (config.reservedConcurrentExecutions !== undefined) cfn.reservedConcurrentExecutions = config.reservedConcurrentExecutions;
  }
  const role = provider.node.tryFindChild('waiter-state-machine')?.node.tryFindChild('Role');
  if (!role) {
    throw new Error('cdk-provisioned-product-properties: internal error, the provider framework has no waiter-state-machine/Role.');
  }
  // No CfnRole where iam.Role.customizeRoles uses a precreated role instead.
  const waiterRole = role.node.defaultChild as iam.CfnRole | undefined;
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
