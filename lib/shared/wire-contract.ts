/**
 * The contract between the construct and the Lambda handler: the custom resource's type, the
 * properties the construct writes into the template, and the `Data` the handler returns.
 *
 * Pure: bundled into the Lambda, so it must not import aws-cdk-lib.
 */
import { AcceptLanguage } from '../accept-language';
import {
  PropertyValidationError, parseLaunchRoleArn, parseOwnerArn, validateAcceptLanguage,
  validateProvisionedProductId, validateSameAccount, validateSomethingDeclared, validateTimeoutSeconds,
} from './validation';

export const RESOURCE_TYPE = 'Custom::ProvisionedProductProperties';

/** The custom resource's properties, as they appear in the template. */
export interface WireProperties {
  readonly ProvisionedProductId: string;
  readonly Owner?: string;
  readonly LaunchRoleArn?: string;
  readonly AcceptLanguage?: string;
  readonly TimeoutSeconds: string;
}

const PROPERTY_KEYS: ReadonlyArray<keyof WireProperties> =
  ['ProvisionedProductId', 'Owner', 'LaunchRoleArn', 'AcceptLanguage', 'TimeoutSeconds'];
/** Added to every custom resource by CloudFormation and the provider framework. */
const FRAMEWORK_KEYS = ['ServiceToken'];

/** Keys of the `Data` the handler returns; they become the resource's attributes. */
export const DataKey = {
  /** The id of the record of the change this deploy made, or '' when nothing changed. */
  RECORD_ID: 'RecordId',
  /** SUCCEEDED when the record completed, or UNCHANGED when no change was needed. */
  RECORD_STATUS: 'RecordStatus',
  /** Epoch milliseconds at which onEvent started; isComplete measures its deadline from it. */
  WAIT_STARTED_AT: 'WaitStartedAt',
} as const;

/** The record status reported when an Update needed no change. */
export const UNCHANGED_STATUS = 'UNCHANGED';

/** The desired state of one provisioned product, validated. */
export interface DesiredProperties {
  readonly provisionedProductId: string;
  readonly owner?: string;
  readonly launchRoleArn?: string;
  readonly acceptLanguage?: AcceptLanguage;
  readonly timeoutSeconds: number;
}

/**
 * Validates the properties of a CloudFormation request with the same rules as the construct.
 * `stackAccount` is the account of the stack (from its StackId): principals must belong to it.
 */
export function parseWireProperties(raw: Record<string, unknown> | undefined, stackAccount: string | undefined): DesiredProperties {
  const props = raw ?? {};
  for (const key of Object.keys(props)) {
    if (!(PROPERTY_KEYS as string[]).includes(key) && !FRAMEWORK_KEYS.includes(key)) {
      throw new PropertyValidationError(`property ${key}`, props[key],
        `unknown property; expected only ${PROPERTY_KEYS.join(', ')}.`);
    }
  }
  const provisionedProductId = validateProvisionedProductId(props.ProvisionedProductId, 'ProvisionedProductId');
  validateSomethingDeclared(props.Owner, props.LaunchRoleArn, 'Owner and LaunchRoleArn');
  if (props.Owner !== undefined) {
    const owner = parseOwnerArn(props.Owner, 'Owner');
    if (stackAccount) validateSameAccount(owner.account, props.Owner as string, 'Owner', stackAccount);
  }
  if (props.LaunchRoleArn !== undefined) {
    const role = parseLaunchRoleArn(props.LaunchRoleArn, 'LaunchRoleArn');
    if (stackAccount) validateSameAccount(role.account, props.LaunchRoleArn as string, 'LaunchRoleArn', stackAccount);
  }
  return {
    provisionedProductId,
    owner: props.Owner as string | undefined,
    launchRoleArn: props.LaunchRoleArn as string | undefined,
    acceptLanguage: props.AcceptLanguage === undefined ? undefined : validateAcceptLanguage(props.AcceptLanguage, 'AcceptLanguage'),
    timeoutSeconds: validateTimeoutSeconds(props.TimeoutSeconds, 'TimeoutSeconds'),
  };
}
