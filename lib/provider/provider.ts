import { existsSync } from 'fs';
import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { NODEJS_24, assertSupportedAwsCdkLib, withPinnedFrameworkRuntime } from '../cdk-compat';
import { acknowledgeFramework, acknowledgeFrameworkRole, acknowledgeHandler, acknowledgeHandlerRole } from './compliance';
import { DriftCorrectionSchedule, DriftDeclaration } from '../drift/schedule';
import { PassRolePolicies } from './pass-role-policies';
import { ProvisionedProductPropertiesProviderProps, providerPropsOf } from './provider-config';
import {
  allowLogsToUseKey, configureFramework, createRole, functionProps, grantFunctionBasics, securityGroupsFor,
} from './provider-resources';
import { MAX_TIMEOUT_SECONDS } from '../shared/validation';

/** The provider's construct id in its stack. */
const PROVIDER_ID = 'ProvisionedProductPropertiesProvider';

/**
 * The latest Node.js runtime (cdk-nag AwsSolutions-L1), for our handlers and for the provider
 * framework's functions alike: aws-cdk-lib picks the framework's by its release (Node.js 20 before
 * 2.197, 22 before 2.259, 24 after), so it is pinned for one template across the supported range.
 */
export const HANDLER_RUNTIME = NODEJS_24;

/** The esbuild bundle of `lambda/`, built by `npm run build` and shipped in the package. */
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'handler');

/**
 * The waiter's total timeout sits above the largest per-resource `timeout` (1 hour), so the
 * handler's own deadline, whose message names the record and its status, always fires first.
 */
export const WAITER_TOTAL_TIMEOUT = Duration.seconds(MAX_TIMEOUT_SECONDS + 300);
export const WAITER_QUERY_INTERVAL = Duration.seconds(5);

/**
 * The one custom resource provider of a stack, shared by every `ProvisionedProductProperties` in
 * it: two Lambda functions on one role, the provider framework, and one log group.
 */
export class ProvisionedProductPropertiesProvider extends Construct {
  /** Returns the stack's provider, creating it on first use. */
  public static getOrCreate(scope: Construct): ProvisionedProductPropertiesProvider {
    assertSupportedAwsCdkLib();
    const stack = Stack.of(scope);
    const provider = ProvisionedProductPropertiesProvider.of(stack)
      ?? new ProvisionedProductPropertiesProvider(stack, PROVIDER_ID, providerPropsOf(stack));
    provider.firstUser ??= scope.node.path;
    return provider;
  }

  /** The stack's provider, if it has been created. */
  public static of(stack: Stack): ProvisionedProductPropertiesProvider | undefined {
    return stack.node.tryFindChild(PROVIDER_ID) as ProvisionedProductPropertiesProvider | undefined;
  }

  /** The construct the provider was first created for, for messages. */
  public firstUser?: string;

  /** The service token for the custom resources. */
  public readonly serviceToken: string;
  /** The role shared by the onEvent, isComplete and drift-correction handlers. */
  public readonly handlerRole: iam.IRole;
  /** The log group of the handlers and of the provider framework. */
  public readonly logGroup: logs.ILogGroup;

  private readonly config: ProvisionedProductPropertiesProviderProps;
  private readonly ownsHandlerRole: boolean;
  private readonly securityGroups?: ec2.ISecurityGroup[];
  private readonly frameworkOnEvent: lambda.Function;
  private readonly code: lambda.Code;
  private driftCorrection?: DriftCorrectionSchedule;
  private readonly passRolePolicies: PassRolePolicies;
  private readsOwnStack = false;

  private constructor(scope: Construct, id: string, config: ProvisionedProductPropertiesProviderProps) {
    super(scope, id);
    if (!existsSync(path.join(HANDLER_ASSET_DIR, 'index.js'))) {
      throw new Error(`cdk-provisioned-product-properties: the bundled handler is missing at ${HANDLER_ASSET_DIR}. `
        + 'Run "npm run build" in the package (a package from the npm registry ships it built).');
    }
    this.config = config;
    if (config.logEncryptionKey) allowLogsToUseKey(this, config.logEncryptionKey);
    this.logGroup = config.logGroup ?? new logs.LogGroup(this, 'Logs', {
      retention: config.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: config.logEncryptionKey,
      removalPolicy: config.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.ownsHandlerRole = !config.handlerRole;
    this.handlerRole = config.handlerRole ?? createRole(this, 'HandlerRole', 'Handler', config,
      'Sets and follows Service Catalog provisioned product properties (OWNER, LAUNCH_ROLE)');
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
    grantFunctionBasics(this.handlerRole, config);
    // On a role of yours defined in the app, the acknowledgement would cover your own statements too:
    // there it is yours to give. An imported role holds only the policy made for these statements.
    if (this.ownsHandlerRole || !this.handlerRole.node.defaultChild) {
      acknowledgeHandlerRole(this.handlerRole, config.vpc !== undefined);
    }

    this.securityGroups = securityGroupsFor(this, config);
    const code = this.code = lambda.Code.fromAsset(HANDLER_ASSET_DIR);
    const handler = (name: 'onEvent' | 'isComplete', timeout: Duration, description: string) => {
      const fn = new lambda.Function(this, name === 'onEvent' ? 'OnEventHandler' : 'IsCompleteHandler', {
        ...this.functionProps(name === 'onEvent' ? 'OnEvent' : 'IsComplete'),
        code,
        handler: `index.${name}`,
        timeout,
        description,
      });
      acknowledgeHandler(fn);
      return fn;
    };

    // Long enough for the SDK's retries of a throttled UpdateProvisionedProductProperties.
    const onEvent = handler('onEvent', Duration.minutes(5), 'Calls UpdateProvisionedProductProperties');
    // Each invocation polls until 10 s before this timeout, then hands back to the waiter (lambda/poll-schedule.ts).
    const isComplete = handler('isComplete', Duration.minutes(2), 'Polls DescribeRecord until SUCCEEDED or FAILED');
    const frameworkOnEventRole = this.frameworkRole('FrameworkOnEventRole', 'FrameworkOnEvent');
    const frameworkWaiterRole = this.frameworkRole('FrameworkWaiterRole', 'FrameworkWaiter');
    const provider = withPinnedFrameworkRuntime(this, () => new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: WAITER_QUERY_INTERVAL,
      totalTimeout: WAITER_TOTAL_TIMEOUT,
      logGroup: this.logGroup,
      // Roles of our own for the framework's functions: log writing on the log group only,
      // instead of the AWS managed AWSLambdaBasicExecutionRole (cdk-nag AwsSolutions-IAM4).
      frameworkOnEventRole,
      frameworkCompleteAndTimeoutRole: frameworkWaiterRole,
      // Explicit, because the default changed in aws-cdk-lib 2.206 (on before, off after). The
      // handlers log every poll and decision (AwsSolutions-SF1 in lib/provider/compliance.ts).
      disableWaiterStateMachineLogging: true,
      vpc: config.vpc,
      vpcSubnets: config.vpc ? config.vpcSubnets : undefined,
      securityGroups: this.securityGroups,
      providerFunctionEnvEncryption: config.environmentEncryption,
    }));
    configureFramework(provider, config);
    this.frameworkOnEvent = provider.node.findChild('framework-onEvent') as lambda.Function;
    this.serviceToken = provider.serviceToken;
    this.passRolePolicies = new PassRolePolicies(this, {
      role: this.handlerRole, ownsRole: this.ownsHandlerRole, iamPath: config.iamPath,
      managedPoliciesOnly: config.managedPoliciesOnly, dependent: this.frameworkOnEvent,
    });
    for (const role of [frameworkOnEventRole, frameworkWaiterRole]) {
      acknowledgeFrameworkRole(role, [onEvent, isComplete], config.vpc !== undefined);
    }
    acknowledgeFramework(provider);
  }

  /** The props every function of ours gets: runtime, role, log group, and the configuration's. */
  private functionProps(nameSuffix: string) {
    return {
      runtime: HANDLER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      role: this.handlerRole,
      memorySize: 256,
      logGroup: this.logGroup,
      ...functionProps(this.config, nameSuffix, this.securityGroups),
    };
  }

  /** A role for framework functions, which the framework lets invoke the handler functions. */
  private frameworkRole(id: string, nameSuffix: string): iam.Role {
    const role = createRole(this, id, nameSuffix, this.config,
      'Runs a function of the custom resource provider framework (aws-cdk-lib custom_resources.Provider)');
    this.logGroup.grantWrite(role);
    grantFunctionBasics(role, this.config);
    return role;
  }

  /**
   * Adds a declaration to the stack's one drift-correction schedule, created on first use. All
   * declarations of a stack share the schedule, so they must agree on it.
   */
  public addDriftCorrection(schedule: events.Schedule, declaration: DriftDeclaration): void {
    this.driftCorrection ??= new DriftCorrectionSchedule(this, 'DriftCorrection', {
      schedule, code: this.code, functionProps: this.functionProps('DriftCorrection'),
    });
    if (this.driftCorrection.expression !== schedule.expressionString) {
      throw new Error(`cdk-provisioned-product-properties: stack ${Stack.of(this).stackName} has one drift-correction schedule, `
        + `${this.driftCorrection.expression}, and another declaration asks for ${schedule.expressionString}. Use the same driftCorrection `
        + 'schedule for every declaration of the stack.');
    }
    this.driftCorrection.add(declaration);
  }

  /**
   * Lets the handlers list this stack's own resources, for restoreOnDelete's hand-over between
   * declarations of one product (a replacement or rename restores nothing). Added once, and only
   * when a declaration of the stack asks for restoreOnDelete.
   */
  public allowReadingOwnStack(): void {
    if (this.readsOwnStack) {
      return;
    }
    this.readsOwnStack = true;
    this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ListOwnStackResourcesForRestoreHandOver',
      actions: ['cloudformation:ListStackResources'],
      resources: [Stack.of(this).stackId],
    }));
  }

  /** Lets the handlers pass `role` to Service Catalog as a launch role (lib/provider/pass-role-policies.ts). */
  public allowPassRole(role: iam.IRole): void {
    this.passRolePolicies.allow(role);
  }
}
