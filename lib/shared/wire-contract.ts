/**
 * The contract between the construct and the Lambda handler: the custom resource's type, the
 * properties the construct writes into the template, and the `Data` the handler returns.
 *
 * Pure: bundled into the Lambda, so it must not import aws-cdk-lib.
 */
import { AcceptLanguage } from '../accept-language';
import {
  PropertyValidationError, parseLaunchRoleArn, parseOwnerArn, validateAcceptLanguage, validateOneTarget,
  validateProvisionedProductId, validateProvisionedProductName, validateSameAccount, validateSomethingDeclared,
  validateTimeoutSeconds,
} from './validation';

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
}

const PROPERTY_KEYS: ReadonlyArray<keyof WireProperties> = ['ProvisionedProductId', 'ProvisionedProductName', 'Owner',
  'LaunchRoleArn', 'AcceptLanguage', 'TimeoutSeconds', 'RestoreOnDelete'];
/**
 * Keys that CloudFormation copies into ResourceProperties from the template: `ServiceToken`
 * always, `ServiceTimeout` where the template sets it (CloudFormation User Guide, "Custom
 * resource request objects"; `@types/aws-lambda` `ResourcePropertiesCommon`).
 */
const CLOUDFORMATION_KEYS = ['ServiceToken', 'ServiceTimeout'];

/** Keys of the `Data` the handler returns; they become the resource's attributes. */
export const DataKey = {
  /** The id of the provisioned product, resolved from its name where it was given by name. */
  PROVISIONED_PRODUCT_ID: 'ProvisionedProductId',
  /** The id of the record of the change this deploy made, or '' when nothing changed. */
  RECORD_ID: 'RecordId',
  /** SUCCEEDED when the record completed, or UNCHANGED when no change was needed. */
  RECORD_STATUS: 'RecordStatus',
  /** 'true' when this deploy changed the product's properties, 'false' when they already matched. */
  CHANGED: 'Changed',
  /** Epoch milliseconds at which onEvent started; isComplete measures its deadline from it. */
  WAIT_STARTED_AT: 'WaitStartedAt',
  /** 'true' when the product was busy at onEvent, so isComplete starts the change once it is free. */
  WAITING_FOR_PRODUCT: 'WaitingForProduct',
} as const;

/** The record status reported while a busy product delays the start of the change. */
export const WAITING_FOR_PRODUCT = 'WAITING_FOR_PRODUCT';

/** The record status reported when no change was needed. */
export const UNCHANGED_STATUS = 'UNCHANGED';

/** The desired state of one provisioned product, validated. Exactly one of id and name is set. */
export interface DesiredProperties {
  readonly provisionedProductId?: string;
  readonly provisionedProductName?: string;
  readonly owner?: string;
  readonly launchRoleArn?: string;
  readonly acceptLanguage?: AcceptLanguage;
  readonly timeoutSeconds: number;
  readonly restoreOnDelete: boolean;
}

/**
 * Validates the properties of a CloudFormation request with the same rules as the construct.
 * `stackAccount` is the account of the stack (from its StackId): principals must belong to it.
 */
export function parseWireProperties(raw: Record<string, unknown> | undefined, stackAccount: string | undefined): DesiredProperties {
  const props = raw ?? {};
  validateOneTarget(props.ProvisionedProductId, props.ProvisionedProductName, 'ProvisionedProductId and ProvisionedProductName');
  const target = props.ProvisionedProductId !== undefined
    ? { provisionedProductId: validateProvisionedProductId(props.ProvisionedProductId, 'ProvisionedProductId') }
    : { provisionedProductName: validateProvisionedProductName(props.ProvisionedProductName, 'ProvisionedProductName') };
  const principals = parsePrincipals({ owner: props.Owner, launchRoleArn: props.LaunchRoleArn }, stackAccount,
    { owner: 'Owner', launchRoleArn: 'LaunchRoleArn' });
  if (props.RestoreOnDelete !== undefined && props.RestoreOnDelete !== 'true' && props.RestoreOnDelete !== 'false') {
    throw new PropertyValidationError('RestoreOnDelete', props.RestoreOnDelete, 'expected "true" or "false".');
  }
  return {
    ...target,
    ...principals,
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
  return Object.keys(raw ?? {}).filter((key) => !(PROPERTY_KEYS as string[]).includes(key) && !CLOUDFORMATION_KEYS.includes(key));
}

/** OWNER and LAUNCH_ROLE: at least one declared, each of the right kind and of the stack's account. */
export function parsePrincipals(values: { owner?: unknown; launchRoleArn?: unknown }, stackAccount: string | undefined,
  fields: { owner: string; launchRoleArn: string }): { owner?: string; launchRoleArn?: string } {
  validateSomethingDeclared(values.owner, values.launchRoleArn, `${fields.owner} and ${fields.launchRoleArn}`);
  if (values.owner !== undefined) {
    const owner = parseOwnerArn(values.owner, fields.owner);
    if (stackAccount) validateSameAccount(owner.account, values.owner as string, fields.owner, stackAccount);
  }
  if (values.launchRoleArn !== undefined) {
    const role = parseLaunchRoleArn(values.launchRoleArn, fields.launchRoleArn);
    if (stackAccount) validateSameAccount(role.account, values.launchRoleArn as string, fields.launchRoleArn, stackAccount);
  }
  return { owner: values.owner as string | undefined, launchRoleArn: values.launchRoleArn as string | undefined };
}
