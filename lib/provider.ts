import { existsSync } from 'fs';
import * as path from 'path';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { NODEJS_24, acknowledge, assertSupportedAwsCdkLib } from './cdk-compat';
import { DriftCorrectionSchedule, DriftDeclaration } from './drift-correction';
import { MAX_TIMEOUT_SECONDS } from './shared/validation';

/**
 * The latest Node.js runtime (cdk-nag AwsSolutions-L1), for our handlers and for the provider
 * framework's functions alike: aws-cdk-lib picks the framework's by its release (Node.js 20 before
 * 2.197, 22 before 2.259, 24 after), so it is pinned for one template across the supported range.
 */
export const HANDLER_RUNTIME = NODEJS_24;

/** The esbuild bundle of `lambda/`, built by `npm run build` and shipped in the package. */
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', 'assets', 'handler');

/**
 * The waiter's total timeout sits above the largest per-resource `timeout` (1 hour), so the
 * handler's own deadline, whose message names the record and its status, always fires first.
 */
export const WAITER_TOTAL_TIMEOUT = Duration.seconds(MAX_TIMEOUT_SECONDS + 300);
export const WAITER_QUERY_INTERVAL = Duration.seconds(5);

/**
 * iam:PassRole is granted through customer managed policies of at most 6,144 characters each
 * (IAM's limit), so that hundreds of distinct launch roles never hit the 10,240-character limit
 * of a role's inline policies. This budget leaves room for the statement around the ARNs.
 */
export const PASS_ROLE_POLICY_BUDGET = 5_600;
/** A role ARN made by CloudFormation: arn:<partition>:iam::<account>:role/<name of at most 64>. */
export const ESTIMATED_TOKEN_ROLE_ARN_LENGTH = 100;
/** IAM's default quota of managed policies attached to one role. */
export const MAX_MANAGED_POLICIES_PER_ROLE = 10;

interface PassRolePolicy {
  readonly statement: iam.PolicyStatement;
  charactersUsed: number;
}

/**
 * The one custom resource provider of a stack, shared by every `ProvisionedProductProperties` in
 * it: two Lambda functions on one role, the provider framework, and one log group.
 */
export class ProvisionedProductPropertiesProvider extends Construct {
  /** Returns the stack's provider, creating it on first use. */
  public static getOrCreate(scope: Construct): ProvisionedProductPropertiesProvider {
    assertSupportedAwsCdkLib();
    const stack = Stack.of(scope);
    const id = 'ProvisionedProductPropertiesProvider';
    return (stack.node.tryFindChild(id) as ProvisionedProductPropertiesProvider | undefined)
      ?? new ProvisionedProductPropertiesProvider(stack, id);
  }

  /** The service token for the custom resources. */
  public readonly serviceToken: string;
  /** The role shared by the onEvent and isComplete handlers. */
  public readonly handlerRole: iam.Role;
  /** The log group of the handlers and of the provider framework. */
  public readonly logGroup: logs.LogGroup;

  private readonly code: lambda.Code;
  private driftCorrection?: DriftCorrectionSchedule;
  private readonly passRolePolicies: PassRolePolicy[] = [];
  private readonly passableRoleArns = new Set<string>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    if (!existsSync(path.join(HANDLER_ASSET_DIR, 'index.js'))) {
      throw new Error(`cdk-provisioned-product-properties: the bundled handler is missing at ${HANDLER_ASSET_DIR}. `
        + 'Run "npm run build" in the package (a package from the npm registry ships it built).');
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Sets and follows Service Catalog provisioned product properties (OWNER, LAUNCH_ROLE)',
    });
    this.logGroup.grantWrite(this.handlerRole);
    this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'UpdateAndFollowProvisionedProductProperties',
      // Service Catalog has no resource-level permissions for these actions. The two reads find
      // a product by name and skip a change that is already in place.
      actions: [
        'servicecatalog:UpdateProvisionedProductProperties', 'servicecatalog:DescribeRecord',
        'servicecatalog:DescribeProvisionedProduct', 'servicecatalog:SearchProvisionedProducts',
      ],
      resources: ['*'],
    }));
    acknowledge(this.handlerRole, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Service Catalog defines no resource types for UpdateProvisionedProductProperties, DescribeRecord, '
        + 'DescribeProvisionedProduct and SearchProvisionedProducts (Service Authorization Reference), so they can only be '
        + 'granted on "*". iam:PassRole is not on "*": it lists the declared launch roles.',
    });

    const code = this.code = lambda.Code.fromAsset(HANDLER_ASSET_DIR);
    const handler = (name: 'onEvent' | 'isComplete', timeout: Duration, description: string) =>
      new lambda.Function(this, name === 'onEvent' ? 'OnEventHandler' : 'IsCompleteHandler', {
        runtime: HANDLER_RUNTIME,
        architecture: lambda.Architecture.ARM_64,
        code,
        handler: `index.${name}`,
        role: this.handlerRole,
        memorySize: 256,
        timeout,
        logGroup: this.logGroup,
        description,
      });

    const onEvent = handler('onEvent', Duration.minutes(5), 'Calls UpdateProvisionedProductProperties');
    const isComplete = handler('isComplete', Duration.minutes(2), 'Polls DescribeRecord until SUCCEEDED or FAILED');
    const frameworkOnEventRole = this.frameworkRole('FrameworkOnEventRole');
    const frameworkWaiterRole = this.frameworkRole('FrameworkWaiterRole');
    const provider = withPinnedFrameworkRuntime(this, () => new cr.Provider(this, 'Provider', {
      // Long enough for the SDK's retries of a throttled UpdateProvisionedProductProperties.
      onEventHandler: onEvent,
      // The 15 s in-Lambda poll window plus a DescribeRecord call with its retries.
      isCompleteHandler: isComplete,
      queryInterval: WAITER_QUERY_INTERVAL,
      totalTimeout: WAITER_TOTAL_TIMEOUT,
      logGroup: this.logGroup,
      // Roles of our own for the framework's functions: log writing on the log group only,
      // instead of the AWS managed AWSLambdaBasicExecutionRole (cdk-nag AwsSolutions-IAM4).
      frameworkOnEventRole: frameworkOnEventRole,
      frameworkCompleteAndTimeoutRole: frameworkWaiterRole,
      // Explicit, because the default changed in aws-cdk-lib 2.206 (on before, off after). The
      // handlers and the framework functions log every poll and decision (AwsSolutions-SF1 below).
      disableWaiterStateMachineLogging: true,
    }));
    this.serviceToken = provider.serviceToken;
    for (const role of [frameworkOnEventRole, frameworkWaiterRole]) {
      acknowledge(role, ...[onEvent, isComplete].map((fn) => ({
        id: versionsFinding(fn),
        reason: 'The provider framework grants lambda:InvokeFunction on each handler function and its versions '
          + '(<arn>:*); the wildcard only covers versions and aliases of that one function.',
      })));
    }
    this.acknowledgeFrameworkFindings(provider);
  }

  /** A role for framework functions, which the framework lets invoke the handler functions. */
  private frameworkRole(id: string): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs a function of the custom resource provider framework (aws-cdk-lib custom_resources.Provider)',
    });
    this.logGroup.grantWrite(role);
    return role;
  }

  /**
   * What cdk-nag finds in aws-cdk-lib's provider framework, which this construct cannot change,
   * acknowledged on the framework's own constructs with the reason.
   */
  private acknowledgeFrameworkFindings(provider: cr.Provider): void {
    acknowledge(provider,
      ...['framework-isComplete', 'framework-onTimeout'].map((id) => ({
        id: versionsFinding(provider.node.findChild(id) as lambda.Function),
        reason: 'The framework\'s waiter state machine may invoke the framework\'s isComplete and onTimeout functions '
          + 'and their versions (<arn>:*); the wildcard only covers versions and aliases of those functions.',
      })),
      {
        id: 'AwsSolutions-SF1',
        reason: 'The waiter state machine only re-invokes isComplete every 5 s. Every poll and decision is logged by the '
          + 'handlers in the provider\'s log group (and the framework functions\' fatal errors); state machine logging would add '
          + 'logs:*LogDelivery permissions on "*" and no information.',
      },
      {
        id: 'AwsSolutions-SF2',
        reason: 'aws-cdk-lib\'s Provider offers no X-Ray setting for its waiter state machine, a retry loop of a single '
          + 'task; the handler log has the timings.',
      },
    );
  }

  /**
   * Adds a declaration to the stack's one drift-correction schedule, created on first use. All
   * declarations of a stack share the schedule, so they must agree on it.
   */
  public addDriftCorrection(schedule: events.Schedule, declaration: DriftDeclaration): void {
    this.driftCorrection ??= new DriftCorrectionSchedule(this, 'DriftCorrection', {
      schedule, role: this.handlerRole, code: this.code, logGroup: this.logGroup,
    });
    if (this.driftCorrection.expression !== schedule.expressionString) {
      throw new Error(`cdk-provisioned-product-properties: stack ${Stack.of(this).stackName} has one drift-correction schedule, `
        + `${this.driftCorrection.expression}, and another declaration asks for ${schedule.expressionString}. Use the same driftCorrection `
        + 'schedule for every declaration of the stack.');
    }
    this.driftCorrection.add(declaration);
  }

  /**
   * Lets the handlers pass `role` to Service Catalog as a launch role, and only with
   * `iam:PassedToService = servicecatalog.amazonaws.com`. Each distinct role is listed once, in
   * one statement per managed policy: a new policy starts only when the last one is full (50 to
   * 60 roles, by their ARNs' length), never per instance. The role's ManagedPolicyArns make the
   * handlers wait for them.
   */
  public allowPassRole(role: iam.IRole): void {
    const arn = role.roleArn;
    if (this.passableRoleArns.has(arn)) {
      return;
    }
    this.passableRoleArns.add(arn);
    const characters = (Token.isUnresolved(arn) ? ESTIMATED_TOKEN_ROLE_ARN_LENGTH : arn.length) + 3; // quotes and comma
    let policy = this.passRolePolicies[this.passRolePolicies.length - 1];
    if (!policy || policy.charactersUsed + characters > PASS_ROLE_POLICY_BUDGET) {
      if (this.passRolePolicies.length === MAX_MANAGED_POLICIES_PER_ROLE) {
        throw new Error(`cdk-provisioned-product-properties: the launch roles of stack ${Stack.of(this).stackName} no longer `
          + `fit in ${MAX_MANAGED_POLICIES_PER_ROLE} managed policies of the handler role (IAM's default quota), at `
          + `${this.passableRoleArns.size} distinct roles. Share launch roles between products, or split the products across stacks.`);
      }
      policy = { statement: this.newPassRoleStatement(), charactersUsed: 0 };
      this.passRolePolicies.push(policy);
      this.handlerRole.addManagedPolicy(new iam.ManagedPolicy(this, `PassLaunchRoles${this.passRolePolicies.length}`, {
        description: 'Lets the provisioned-product-properties handler pass the declared launch roles to Service Catalog',
        statements: [policy.statement],
      }));
    }
    policy.statement.addResources(arn);
    policy.charactersUsed += characters;
  }

  private newPassRoleStatement(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'PassLaunchRolesToServiceCatalog',
      actions: ['iam:PassRole'],
      conditions: { StringEquals: { 'iam:PassedToService': 'servicecatalog.amazonaws.com' } },
    });
  }
}

/** The stack mapping aws-cdk-lib adds for the latest Node.js runtime of each region, in a stack with no region. */
const LATEST_NODE_RUNTIME_MAP = 'LatestNodeRuntimeMap';

/**
 * Creates the provider with its framework functions on the handlers' runtime. aws-cdk-lib gives
 * them the latest Node.js runtime it knows, which depends on its release (and, in a stack with no
 * region, a per-region mapping), so the same app would deploy a different template after a
 * routine aws-cdk-lib upgrade. The mapping goes too when the provider alone brought it in. Their
 * log level is pinned the same way.
 */
function withPinnedFrameworkRuntime(scope: Construct, create: () => cr.Provider): cr.Provider {
  const stack = Stack.of(scope);
  const mappingExisted = stack.node.tryFindChild(LATEST_NODE_RUNTIME_MAP) !== undefined;
  const provider = create();
  for (const id of ['framework-onEvent', 'framework-isComplete', 'framework-onTimeout']) {
    const fn = provider.node.findChild(id) as lambda.Function;
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    cfn.runtime = HANDLER_RUNTIME.name;
    // As aws-cdk-lib does in its newer releases (frameworkLambdaLoggingLevel, default FATAL): the framework's own log lines
    // hold CloudFormation's pre-signed ResponseURL, so only fatal errors; our handlers log the rest.
    cfn.addPropertyOverride('LoggingConfig.ApplicationLogLevel', 'FATAL');
    cfn.addPropertyOverride('LoggingConfig.LogFormat', 'JSON');
  }
  if (!mappingExisted) {
    stack.node.tryRemoveChild(LATEST_NODE_RUNTIME_MAP);
  }
  return provider;
}

/** cdk-nag's finding for a grant on a function's versions (`<arn>:*`). */
function versionsFinding(fn: lambda.Function): string {
  return `AwsSolutions-IAM5[Resource::<${Stack.of(fn).getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`;
}
