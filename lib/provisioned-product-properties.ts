import { randomUUID } from 'crypto';
import { CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { constructName, validationError } from './construct-errors';
import { assertOneCopy } from './duplicate-copies';
import { recordDeclaration } from './governance/declarations';
import { ProvisionedProductPropertiesOptions } from './declaration-options';
import { inOtherLanguages } from './prop-names';
import {
  noteDeployTimeChecks, resolvedForSynth, targetProduct, validateLaunchRoleIsRole, validatePrincipal,
} from './principal-validation';
import { productRevision } from './product-revision';
import { ProvisionedProductPropertiesProvider } from './provider/provider';
import { ProvisionedProductPropertiesProviderProps, configureProvider } from './provider/provider-config';
import { DEFAULT_TIMEOUT_SECONDS, Declaration, ProductRef, declaredKeys } from './shared/declaration';
import {
  PropertyValidationError, validateAcceptLanguage, validateOneTarget, validateProvisionedProductId, validateProvisionedProductName,
  validateSomethingDeclared, validateTimeoutSeconds,
} from './shared/validation';
import { validateDriftMode } from './shared/drift-mode';
import { DataKey, RESOURCE_TYPE, toWireProperties } from './shared/wire-contract';

/**
 * Properties for `ProvisionedProductProperties`.
 */
export interface ProvisionedProductPropertiesProps extends ProvisionedProductPropertiesOptions {
  /**
   * The id of the provisioned product, such as `pp-abc123def4567`, or a token such as
   * `CfnCloudFormationProvisionedProduct.attrProvisionedProductId`. Give exactly one of
   * `provisionedProductId` and `provisionedProductName`.
   *
   * Changing it replaces the resource: the new product gets the declared properties, and the
   * old one is left as it is (or restored, with `restoreOnDelete`).
   *
   * @default - the product is found by `provisionedProductName`
   */
  readonly provisionedProductId?: string;

  /**
   * The name of the provisioned product, for products created outside the stack. The handler
   * resolves it with `DescribeProvisionedProduct` each time it runs, and fails with a clear
   * message when no product has that name.
   *
   * @default - the product is given by `provisionedProductId`
   */
  readonly provisionedProductName?: string;

  /**
   * Check the product on every deploy, not only when the declaration or the linked product
   * changes: the live owner and launch role are read on each deploy, and only what drifted is
   * written back.
   *
   * CloudFormation invokes a custom resource only when its properties change, so this gives the
   * resource a new value on every synth. The cost: the template changes on every synth (`cdk diff`
   * always shows this resource, and a stack is never "no changes"), and every deploy runs the
   * handler (about 2 Lambda invocations and 2 reads; a write only where something drifted).
   *
   * @default false - checked when the declaration changes, or the linked product's definition changes
   */
  readonly checkOnEveryDeploy?: boolean;
}

/** The default wait for a record. */
const DEFAULT_TIMEOUT = Duration.seconds(DEFAULT_TIMEOUT_SECONDS);
/**
 * How much longer CloudFormation waits than the handler, so the handler's message arrives first.
 * The ServiceTimeout is the timeout plus this margin, but at most CloudFormation's 1 hour: the
 * margin shrinks for a timeout above 58 minutes and is gone at 1 hour, where CloudFormation's own
 * timeout can come first.
 */
const SERVICE_TIMEOUT_MARGIN_SECONDS = 120;

/**
 * Declares the OWNER and/or LAUNCH_ROLE of an AWS Service Catalog provisioned product, and
 * applies them: the custom resource reads the product, calls `UpdateProvisionedProductProperties`
 * where a value differs, then waits for the record to reach SUCCEEDED (the deploy goes on) or
 * FAILED (the deploy fails with the record's errors).
 *
 * CloudFormation invokes it when the declaration changes, and, for a product linked through its
 * `attrProvisionedProductId`, whenever the product's definition changes. A change made outside
 * the stack (in the console, say) is corrected by `driftCorrection` on a schedule, or on every
 * deploy with `checkOnEveryDeploy`; without either, it stays until one of those changes.
 *
 * Every instance in a stack shares one provider (two Lambda functions, one role, the provider
 * framework's state machine), so each instance adds exactly one resource to the template.
 *
 * @example
 * declare const launchRole: iam.IRole;
 * declare const product: servicecatalog.CfnCloudFormationProvisionedProduct;
 *
 * new ProvisionedProductProperties(this, 'Ownership', {
 *   provisionedProductId: product.attrProvisionedProductId,
 *   owner: 'arn:aws:iam::123456789012:role/PlatformTeam',
 *   launchRole,
 * });
 */
export class ProvisionedProductProperties extends Construct {
  /**
   * Configures the provider of `scope`'s stack: the Lambda functions, roles and log group shared by
   * every `ProvisionedProductProperties` of the stack (VPC, logs, roles, functions). Call it before
   * the stack's first `ProvisionedProductProperties`, in any construct of the stack. Calling it
   * again with the same configuration (the same values and the same constructs) is accepted, so
   * that several constructs may each state it; a different configuration is an error, as is a call
   * after the provider was created with the defaults.
   *
   * @param scope any construct of the stack
   * @param props the configuration; every prop is optional and defaults to today's provider
   *
   * @example
   * declare const vpc: ec2.IVpc;
   * declare const key: kms.IKey;
   *
   * ProvisionedProductProperties.configureProvider(this, {
   *   vpc,
   *   logEncryptionKey: key,
   *   logRetention: logs.RetentionDays.ONE_YEAR,
   *   environmentEncryption: key,
   *   reservedConcurrentExecutions: 5,
   *   iamPath: '/platform/',
   *   roleNamePrefix: 'ppp-prod-',
   *   functionNamePrefix: 'ppp-prod-',
   * });
   */
  public static configureProvider(scope: Construct, props: ProvisionedProductPropertiesProviderProps): void {
    const stack = Stack.of(scope);
    configureProvider(scope, props, ProvisionedProductPropertiesProvider.of(stack)?.firstUser);
  }

  /**
   * The id of the provisioned product, resolved from its name where it was given by name.
   */
  public readonly provisionedProductId: string;

  /**
   * `true` when the last deploy changed the product's owner or launch role, `false` when they
   * already had the declared values (or nothing relevant changed), as a string.
   */
  public readonly changed: string;

  /**
   * The id of the Service Catalog record of the change the last deploy made. Empty when the
   * last deploy made no change, because the product already had the declared values.
   */
  public readonly recordId: string;

  /**
   * The status of that record: `SUCCEEDED`, or `UNCHANGED` when the last deploy made no change.
   */
  public readonly recordStatus: string;

  constructor(scope: Construct, id: string, props: ProvisionedProductPropertiesProps) {
    super(scope, id);
    assertOneCopy(scope);
    const stack = Stack.of(this);
    assertOneCopy(stack);
    const timeout = props.timeout ?? DEFAULT_TIMEOUT;
    const declaration: Declaration = {
      // One of the two is set: validateProps refuses both and neither.
      product: (props.provisionedProductId !== undefined ? { id: props.provisionedProductId } : { name: props.provisionedProductName }) as ProductRef,
      values: { OWNER: props.owner, LAUNCH_ROLE: props.launchRole?.roleArn },
      acceptLanguage: props.acceptLanguage,
    };
    this.validateProps(props, declaration, timeout, stack);

    const provider = ProvisionedProductPropertiesProvider.getOrCreate(this);
    if (props.launchRole) {
      provider.allowPassRole(props.launchRole);
    }
    if (props.driftCorrection) {
      provider.addDriftCorrection(props.driftCorrection, declaration, props.driftMode);
    }

    const timeoutSeconds = timeout.toSeconds();
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: RESOURCE_TYPE,
      properties: {
        ...toWireProperties(declaration, {
          timeoutSeconds: Token.isUnresolved(timeoutSeconds) ? Token.asString(timeoutSeconds) : String(timeoutSeconds),
          restoreOnDelete: props.restoreOnDelete === true,
          productRevision: productRevision(targetProduct(props.provisionedProductId)),
          deployCheck: props.checkOnEveryDeploy ? randomUUID() : undefined,
        }),
      },
      // Above the handler's own deadline (but at most CloudFormation's hour, see
      // SERVICE_TIMEOUT_MARGIN_SECONDS), so that a stuck record fails with the handler's message.
      serviceTimeout: Token.isUnresolved(timeoutSeconds)
        ? undefined
        : Duration.seconds(Math.min(3600, timeoutSeconds + SERVICE_TIMEOUT_MARGIN_SECONDS)),
    });

    this.provisionedProductId = resource.getAttString(DataKey.PROVISIONED_PRODUCT_ID);
    this.recordId = resource.getAttString(DataKey.RECORD_ID);
    this.recordStatus = resource.getAttString(DataKey.RECORD_STATUS);
    this.changed = resource.getAttString(DataKey.CHANGED);
    recordDeclaration(this, {
      product: targetProduct(props.provisionedProductId), id: props.provisionedProductId, name: props.provisionedProductName,
      values: { owner: props.owner, launchRoleArn: props.launchRole?.roleArn },
    });
  }

  /**
   * Applies the shared validation rules to every value known at synth time. Not named
   * `validate()`: aws-cdk-lib refuses a construct with a method of that name (the API before
   * constructs 10) when the app loads an older constructs release, such as 10.0.5.
   */
  private validateProps(props: ProvisionedProductPropertiesProps, declaration: Declaration, timeout: Duration, stack: Stack) {
    try {
      validateOneTarget(props.provisionedProductId, props.provisionedProductName, 'provisionedProductId and provisionedProductName');
      validateLaunchRoleIsRole(props.launchRole);
      validateSomethingDeclared(props.owner, props.launchRole, 'owner and launchRole');
      validateLiteral(stack, props.provisionedProductId, 'provisionedProductId', validateProvisionedProductId);
      validateLiteral(stack, props.provisionedProductName, 'provisionedProductName', validateProvisionedProductName);
      for (const key of declaredKeys(declaration.values)) {
        validatePrincipal(key, declaration.values[key]!, key === 'OWNER' ? 'owner' : 'launchRole', stack);
      }
      if (props.acceptLanguage !== undefined) {
        validateAcceptLanguage(props.acceptLanguage, 'acceptLanguage');
      }
      const seconds = timeout.toSeconds({ integral: false });
      if (!Token.isUnresolved(seconds)) {
        // The error quotes the Duration as written (such as "1 hour 1 minute"), not as seconds.
        validateTimeoutSeconds(seconds, 'timeout', timeout.toHumanString());
      }
      validateDriftMode(props.driftMode, props.driftCorrection !== undefined);
    } catch (error) {
      throw error instanceof PropertyValidationError
        ? validationError(`ProvisionedProductProperties at ${constructName(this)}: ${error.message}${inOtherLanguages(error.field)}`, this)
        : error;
    }
    noteDeployTimeChecks(stack);
  }
}

/**
 * Applies `rule` to a value that is literal once the stack resolves it, quoting the resolved value;
 * a token known only at deploy time is checked by the handler.
 */
function validateLiteral(stack: Stack, value: unknown, field: string, rule: (value: unknown, field: string) => unknown): void {
  const resolved = typeof value === 'string' ? resolvedForSynth(stack, value) : value;
  if (resolved !== undefined && !(typeof resolved === 'string' && Token.isUnresolved(resolved))) {
    rule(resolved, field);
  }
}
