/**
 * The contract between the construct and the Lambda handler: the custom resource's type, the
 * properties the construct writes into the template, and the `Data` the handler returns.
 *
 * Pure: bundled into the Lambda, so it must not import aws-cdk-lib.
 */
import { PropertyKey, ResourceDeclaration } from './declaration';
import {
  PropertyValidationError, StackEnvironment, parseDeclaredValues, validateAcceptLanguage, validateOneTarget, validateProvisionedProductId,
  validateProvisionedProductName, validateTimeoutSeconds,
} from './validation';

export type { StackEnvironment } from './validation';

export const RESOURCE_TYPE = 'Custom::ProvisionedProductProperties';

/** The custom resource's properties, as they appear in the template. */
export interface WireProperties {
  readonly ProvisionedProductId?: string;
  readonly ProvisionedProductName?: string;
  readonly Owner?: string;
  readonly LaunchRoleArn?: string;
  readonly AcceptLanguage?: string;
  readonly TimeoutSeconds: string;
  /** 'true' to put the captured original owner and launch role back on Delete. */
  readonly RestoreOnDelete?: string;
  /**
   * The definition of the linked CfnCloudFormationProvisionedProduct (product, artifact,
   * parameters...), as CloudFormation resolves it: when it changes, CloudFormation updates the
   * product and then sends this resource an Update, so the declaration is checked again.
   */
  readonly ProductRevision?: string;
  /** A new value on every synth, with `checkOnEveryDeploy`: every deploy sends an Update. */
  readonly DeployCheck?: string;
}

export const WIRE_KEYS: ReadonlyArray<keyof WireProperties> = ['ProvisionedProductId', 'ProvisionedProductName', 'Owner',
  'LaunchRoleArn', 'AcceptLanguage', 'TimeoutSeconds', 'RestoreOnDelete', 'ProductRevision', 'DeployCheck'];
/**
 * Keys that CloudFormation copies into ResourceProperties from the template: `ServiceToken`
 * always, `ServiceTimeout` where the template sets it (CloudFormation User Guide, "Custom
 * resource request objects"; `@types/aws-lambda` `ResourcePropertiesCommon`).
 */
const CLOUDFORMATION_KEYS = ['ServiceToken', 'ServiceTimeout'];

/**
 * Keys of the `Data` the handler returns. The provider framework merges onEvent's `Data` into the
 * final response, so every key becomes an attribute of the resource: the public ones are the
 * construct's attributes, and `HandlerState` is the handler's own bookkeeping, documented as
 * internal.
 */
export const DataKey = {
  /** The id of the provisioned product, resolved from its name where it was given by name. */
  PROVISIONED_PRODUCT_ID: 'ProvisionedProductId',
  /** The id of the record of the change this deploy made, or '' when nothing changed. */
  RECORD_ID: 'RecordId',
  /** SUCCEEDED when the change completed, or UNCHANGED when no change was needed. */
  RECORD_STATUS: 'RecordStatus',
  /** 'true' when this deploy changed the product's properties, 'false' when they already matched. */
  CHANGED: 'Changed',
  /** Internal: what onEvent hands to isComplete (see `HandlerState`). Not an interface; do not reference it. */
  HANDLER_STATE: 'HandlerState',
} as const;

/** What onEvent hands to isComplete, which runs as another function with the same event on every poll. */
export interface HandlerState {
  /** Epoch milliseconds at which onEvent started; the resource's timeout counts from it. */
  readonly waitStartedAt: number;
  /** The change did not start in onEvent (the product was busy, or the call had no answer): isComplete starts it. */
  readonly startPending: boolean;
  /** Epoch ms at which UpdateProvisionedProductProperties answered onEvent: a record's read grace counts from it. */
  readonly changeAnsweredAt?: number;
  /**
   * The product's LastRecordId when onEvent judged it. A change found in place later was made by
   * this deploy (its answer lost) exactly when the product's last record is another one by then.
   */
  readonly lastRecordIdBefore?: string;
  /** A Delete's restore left to isComplete: the originals to put back (those no other declaration takes over). */
  readonly restoreValues?: Partial<Record<PropertyKey, string>>;
}

export function encodeHandlerState(state: HandlerState): string {
  return JSON.stringify(state);
}

/** Lenient: a missing or unreadable state starts the wait now, with no change pending. */
export function decodeHandlerState(value: unknown, now: number): HandlerState {
  try {
    const parsed = typeof value === 'string' ? JSON.parse(value) : {};
    return {
      waitStartedAt: Number.isFinite(parsed.waitStartedAt) ? parsed.waitStartedAt : now,
      startPending: parsed.startPending === true,
      changeAnsweredAt: Number.isFinite(parsed.changeAnsweredAt) ? parsed.changeAnsweredAt : undefined,
      lastRecordIdBefore: typeof parsed.lastRecordIdBefore === 'string' ? parsed.lastRecordIdBefore : undefined,
      restoreValues: parsed.restoreValues !== null && typeof parsed.restoreValues === 'object'
        ? Object.fromEntries(Object.entries(parsed.restoreValues).filter(([key, value]) => (key === 'OWNER' || key === 'LAUNCH_ROLE') && typeof value === 'string'))
        : undefined,
    };
  } catch {
    return { waitStartedAt: now, startPending: false };
  }
}

/** The record status reported when no change was needed. */
export const UNCHANGED_STATUS = 'UNCHANGED';
/** onEvent's record status when the change is left to isComplete, whose final status replaces it. */
export const NOT_STARTED_STATUS = 'PENDING';

/** The template property of each managed key. */
export const WIRE_PROPERTY_OF: Readonly<Record<PropertyKey, 'Owner' | 'LaunchRoleArn'>> = { OWNER: 'Owner', LAUNCH_ROLE: 'LaunchRoleArn' };

/** What a resource's properties carry besides the declaration (tokens allowed: the construct writes them at synth). */
export interface ResourceSettings {
  /** Whole seconds, as a string (or a token). */
  readonly timeoutSeconds: string;
  readonly restoreOnDelete: boolean;
  readonly productRevision?: string;
  readonly deployCheck?: string;
}

/** The template's properties of a declaration: the construct's edge of the model. */
export function toWireProperties(declaration: Omit<ResourceDeclaration, 'timeoutSeconds' | 'restoreOnDelete'>, settings: ResourceSettings): WireProperties {
  return {
    ProvisionedProductId: declaration.product.id,
    ProvisionedProductName: declaration.product.name,
    Owner: declaration.values.OWNER,
    LaunchRoleArn: declaration.values.LAUNCH_ROLE,
    AcceptLanguage: declaration.acceptLanguage,
    TimeoutSeconds: settings.timeoutSeconds,
    RestoreOnDelete: settings.restoreOnDelete ? 'true' : undefined,
    ProductRevision: settings.productRevision,
    DeployCheck: settings.deployCheck,
  };
}

/**
 * The declaration of a CloudFormation request's properties, validated with the construct's rules:
 * the handler's edge of the model. Principals must be in the stack's account and partition.
 */
export function parseWireProperties(raw: Record<string, unknown> | undefined, stack: StackEnvironment): ResourceDeclaration {
  const props = raw ?? {};
  validateOneTarget(props.ProvisionedProductId, props.ProvisionedProductName, 'ProvisionedProductId and ProvisionedProductName');
  if (props.RestoreOnDelete !== undefined && props.RestoreOnDelete !== 'true' && props.RestoreOnDelete !== 'false') {
    throw new PropertyValidationError('RestoreOnDelete', props.RestoreOnDelete, 'expected "true" or "false".');
  }
  return {
    product: props.ProvisionedProductId !== undefined
      ? { id: validateProvisionedProductId(props.ProvisionedProductId, 'ProvisionedProductId') }
      : { name: validateProvisionedProductName(props.ProvisionedProductName, 'ProvisionedProductName') },
    values: parseDeclaredValues({ OWNER: props.Owner, LAUNCH_ROLE: props.LaunchRoleArn }, stack, WIRE_PROPERTY_OF),
    acceptLanguage: props.AcceptLanguage === undefined ? undefined : validateAcceptLanguage(props.AcceptLanguage, 'AcceptLanguage'),
    timeoutSeconds: validateTimeoutSeconds(props.TimeoutSeconds, 'TimeoutSeconds'),
    restoreOnDelete: props.RestoreOnDelete === 'true',
  };
}

/**
 * Keys the handler does not use. They never fail a deploy: CloudFormation added ServiceTimeout
 * in 2024 and may add more, and a strict handler would then break every deploy at once. The
 * handler logs a warning naming them; the construct's synth-time validation is where a user's
 * mistake is caught.
 */
export function unusedPropertyKeys(raw: Record<string, unknown> | undefined): string[] {
  return Object.keys(raw ?? {}).filter((key) => !(WIRE_KEYS as readonly string[]).includes(key) && !CLOUDFORMATION_KEYS.includes(key));
}

/** The stack's account and partition, read from a StackId ARN (`arn:<partition>:cloudformation:<region>:<account>:stack/...`). */
export function stackEnvironment(stackId: string | undefined): StackEnvironment {
  const [prefix, partition, , , account] = stackId?.split(':') ?? [];
  return {
    account: account && /^\d{12}$/.test(account) ? account : undefined,
    partition: prefix === 'arn' && partition && /^aws(-[a-z]+)*$/.test(partition) ? partition : undefined,
  };
}

/**
 * The environment variable that gives the custom resource's functions their own stack's id
 * (`AWS::StackId`, resolved by CloudFormation): they act only on requests of that stack, since
 * any stack of the account may name the provider's ServiceToken.
 */
export const OWN_STACK_ID_ENV = 'OWN_STACK_ID';
