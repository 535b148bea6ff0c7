import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, assertSupportedAwsCdkLib, pinFrameworkFunction, withoutAddedRuntimeMapping } from '../cdk-compat';
import { DriftCorrectionSchedule } from '../drift/schedule';
import { Declaration } from '../shared/declaration';
import { DriftMode } from '../shared/drift-mode';
import { DRIFT_RULE_NAME_ENV } from '../shared/drift-payload';
import { CORRECT_ON_CHANGE_ENV, DRIFT_FUNCTION_NAME_ENV } from '../shared/compliance-rule';
import { MAX_TIMEOUT_SECONDS } from '../shared/validation';
import { acknowledgeComplianceRole, acknowledgeFramework, acknowledgeFrameworkRole, acknowledgeHandlerRole } from './compliance';
import { FRAMEWORK_ENTRY_POINTS, frameworkPartsOf } from './framework-parts';
import { HandlerFunctions } from './handler-functions';
import { acknowledgeLedger, grantLedger } from './ledger-access';
import { PassRolePolicies } from './pass-role-policies';
import { ProvisionedProductPropertiesProviderProps, providerPropsOf } from './provider-config';
import { chooseNodeRuntime } from './runtime-policy';
import { allowLogsToUseKey, configureFramework, createRole, grantFunctionBasics, securityGroupsFor } from './provider-resources';

/** The provider's construct id in its stack. */
const PROVIDER_ID = 'ProvisionedProductPropertiesProvider';

/**
 * How long the framework's waiter retries isComplete: aws-cdk-lib makes it totalTimeout /
 * queryInterval = 780 attempts, each 5 s after the last one returned, so the waiter gives up no
 * earlier than 65 minutes after onEvent returned (later, as each isComplete invocation itself takes
 * up to 2 minutes). That is past the largest per-resource `timeout` (1 hour), so the handler's own
 * deadline, whose message names the record and its status, fires before the waiter's. CloudFormation's
 * own limit, the resource's ServiceTimeout, is set in lib/provisioned-product-properties.ts.
 */
export const WAITER_TOTAL_TIMEOUT = Duration.seconds(MAX_TIMEOUT_SECONDS + 300);
/** How long the waiter waits between two isComplete invocations. */
export const WAITER_QUERY_INTERVAL = Duration.seconds(5);

/**
 * The one custom resource provider of a stack, shared by every `ProvisionedProductProperties` in
 * it: our onEvent and isComplete functions on one role (lib/provider/handler-functions.ts), the
 * provider framework (lib/provider/framework-parts.ts), one log group, the iam:PassRole policies
 * (lib/provider/pass-role-policies.ts), and the drift schedule once a declaration asks for it
 * (lib/drift/schedule.ts). The cdk-nag acknowledgements are in lib/provider/compliance.ts.
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
  private readonly functions: HandlerFunctions;
  private readonly passRolePolicies: PassRolePolicies;
  private driftCorrection?: DriftCorrectionSchedule;

  private constructor(scope: Construct, id: string, config: ProvisionedProductPropertiesProviderProps) {
    super(scope, id);
    this.config = config;
    if (config.logEncryptionKey) allowLogsToUseKey(this, config.logEncryptionKey);
    this.logGroup = config.logGroup ?? new logs.LogGroup(this, 'Logs', {
      retention: config.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: config.logEncryptionKey,
      removalPolicy: config.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const ownsHandlerRole = !config.handlerRole;
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
    // Always, not only while a declaration has restoreOnDelete: CloudFormation updates this policy
    // in the update phase, before the cleanup Delete of a removed restoreOnDelete declaration,
    // which reads the stack to decide whether another declaration takes over (issue 17 #2).
    this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ListOwnStackResourcesForRestoreHandOver',
      actions: ['cloudformation:ListStackResources'],
      resources: [Stack.of(this).stackId],
    }));
    // The ledger of each governed product (issue 17 #5), always, for the same reason: a cleanup
    // Delete reads and writes it under the new template's policy.
    grantLedger(this.handlerRole, Stack.of(this), 'LedgerOfGovernedProducts', ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:PutParameter']);
    grantFunctionBasics(this.handlerRole, config);
    // On a role of yours defined in the app, the acknowledgement would cover your own statements too:
    // there it is yours to give. An imported role holds only the policy made for these statements.
    if (ownsHandlerRole || !this.handlerRole.node.defaultChild) {
      acknowledgeHandlerRole(this.handlerRole, config.vpc !== undefined);
      acknowledgeLedger(this.handlerRole, Stack.of(this));
    }

    const securityGroups = securityGroupsFor(this, config);
    const runtime = chooseNodeRuntime(config.runtime);
    this.functions = new HandlerFunctions({ runtime, role: this.handlerRole, logGroup: this.logGroup, config, securityGroups });
    // The timeouts and their reasons are in lib/provider/handler-functions.ts.
    const onEvent = this.functions.onEvent(this);
    const isComplete = this.functions.isComplete(this);
    const frameworkOnEventRole = this.frameworkRole('FrameworkOnEventRole', 'FrameworkOnEvent');
    const frameworkWaiterRole = this.frameworkRole('FrameworkWaiterRole', 'FrameworkWaiter');
    const provider = withoutAddedRuntimeMapping(this, () => new cr.Provider(this, 'Provider', {
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
      securityGroups,
      providerFunctionEnvEncryption: config.environmentEncryption,
    }));
    const framework = frameworkPartsOf(provider, [frameworkOnEventRole, frameworkWaiterRole]);
    for (const entryPoint of FRAMEWORK_ENTRY_POINTS) {
      pinFrameworkFunction(framework.functions[entryPoint].resource, runtime.runtime);
      acknowledge(framework.functions[entryPoint].construct, ...runtime.acknowledgements);
    }
    configureFramework(framework, config);
    this.serviceToken = provider.serviceToken;
    this.passRolePolicies = new PassRolePolicies(this, {
      role: this.handlerRole, ownsRole: ownsHandlerRole, iamPath: config.iamPath,
      managedPoliciesOnly: config.managedPoliciesOnly, dependent: framework.functions.onEvent.construct,
    });
    for (const role of [frameworkOnEventRole, frameworkWaiterRole]) {
      acknowledgeFrameworkRole(role, [onEvent, isComplete], config.vpc !== undefined);
    }
    acknowledgeFramework(provider, framework);
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
  public addDriftCorrection(schedule: events.Schedule, declaration: Declaration, mode: DriftMode = DriftMode.CORRECT): void {
    this.driftCorrection ??= new DriftCorrectionSchedule(this, 'DriftCorrection', { schedule, mode, functions: this.functions });
    if (this.driftCorrection.expression !== schedule.expressionString) {
      throw new Error(`cdk-provisioned-product-properties: stack ${Stack.of(this).stackName} has one drift-correction schedule, `
        + `${this.driftCorrection.expression}, and another declaration asks for ${schedule.expressionString}. Use the same driftCorrection `
        + 'schedule for every declaration of the stack.');
    }
    if (this.driftCorrection.mode !== mode) {
      throw new Error(`cdk-provisioned-product-properties: stack ${Stack.of(this).stackName} has one drift-correction schedule, in `
        + `driftMode ${this.driftCorrection.mode}, and another declaration asks for driftMode ${mode}. Use the same driftMode `
        + 'for every declaration of the stack (leaving it out is DriftMode.CORRECT).');
    }
    this.driftCorrection.add(declaration);
  }

  /**
   * The AWS Config rule's function (lib/compliance/), in `scope`, with the provider's configuration,
   * on a role of its own: it reads the products and the drift rule's targets and reports to Config,
   * and holds no Service Catalog write, so the evidence comes from a principal that cannot change
   * what it attests. It evaluates the declarations of the stack's drift schedule.
   */
  public createComplianceFunction(scope: Construct, options: { readonly correctOnChange?: boolean } = {}): lambda.Function {
    const schedule = this.driftCorrection;
    if (!schedule) {
      throw new Error(`cdk-provisioned-product-properties: the AWS Config rule of stack ${Stack.of(this).stackName} evaluates the `
        + 'declarations of its drift schedule, and no declaration of the stack has driftCorrection yet. Give driftCorrection '
        + '(with driftMode: DriftMode.REPORT to only report) to the declarations first, then create ProvisionedProductComplianceRule.');
    }
    const role = createRole(scope, 'Role', 'Compliance', this.config,
      'Reports declared Service Catalog provisioned products to AWS Config as compliant or not');
    this.logGroup.grantWrite(role);
    grantFunctionBasics(role, this.config);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadProvisionedProductProperties',
      actions: ['servicecatalog:DescribeProvisionedProduct', 'servicecatalog:SearchProvisionedProducts', 'servicecatalog:DescribeRecord'],
      resources: ['*'],
    }));
    // PutEvaluations has no resource types. The rule's results are listed to withdraw products no longer
    // declared; the rule's ARN would make this role depend on the rule, which depends on the function.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReportEvaluations', actions: ['config:PutEvaluations', 'config:GetComplianceDetailsByConfigRule'], resources: ['*'],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadDeclarationsInForce',
      actions: ['events:ListTargetsByRule'],
      resources: [Stack.of(this).formatArn({ service: 'events', resource: 'rule', resourceName: schedule.ruleName })],
    }));
    // Read only: it reports what the ledger says governs a product, and writes nothing.
    grantLedger(role, Stack.of(this), 'ReadLedgerOfGovernedProducts', ['ssm:GetParameter', 'ssm:GetParameters']);
    acknowledgeComplianceRole(role, this.config.vpc !== undefined);
    acknowledgeLedger(role, Stack.of(this));
    const fn = this.functions.evaluateCompliance(scope, role);
    fn.addEnvironment(DRIFT_RULE_NAME_ENV, schedule.ruleName);
    if (options.correctOnChange) {
      if (schedule.mode !== DriftMode.CORRECT) {
        throw new Error(`cdk-provisioned-product-properties: correctOnChange corrects through the drift schedule of stack ${Stack.of(this).stackName}, `
          + `which is in driftMode ${schedule.mode}: a REPORT-mode stack writes nothing. Use DriftMode.CORRECT, or leave correctOnChange out.`);
      }
      // The drift function itself, not its versions: no wildcard.
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'CorrectAtOnce', actions: ['lambda:InvokeFunction'], resources: [schedule.handler.functionArn] }));
      fn.addEnvironment(CORRECT_ON_CHANGE_ENV, 'true');
      fn.addEnvironment(DRIFT_FUNCTION_NAME_ENV, schedule.handler.functionName);
    }
    return fn;
  }

  /** Lets the handlers pass `role` to Service Catalog as a launch role (lib/provider/pass-role-policies.ts). */
  public allowPassRole(role: iam.IRole): void {
    this.passRolePolicies.allow(role);
  }
}
