/**
 * onEvent and isComplete: the I/O shell around the pure decisions. onEvent reads the product,
 * decides, and makes at most one write; isComplete follows the record with reads only, or, when
 * onEvent could not start the change, waits for the product and starts it. The two run as
 * separate Lambda functions with no shared memory: state travels in `Data` (HandlerState).
 */
import { PropertyValidationError } from '../../lib/shared/validation';
import {
  DataKey, DesiredProperties, UNCHANGED_STATUS, decodeHandlerState, encodeHandlerState, parseWireProperties, recheckKeysOf,
  stackEnvironment, unusedPropertyKeys,
} from '../../lib/shared/wire-contract';
import { ChangeToStart, startChange, startWhenFree } from '../product/change-starter';
import {
  MAX_PHYSICAL_ID_LENGTH, PreviousProperties, PropertyMap, declaredProperties, decodePhysicalId, encodePhysicalId, idempotencyToken,
  planPropertiesUpdate,
} from '../decisions';
import { compareWithLive, inDeclaredState } from '../product/live-comparison';
import { LiveProperties, ResolvedProduct, readLiveProperties, resolveProduct } from '../product/live-state';
import { invalidPropertiesMessage } from '../messages';
import { onDelete } from './on-delete';
import { originalsFor } from './originals';
import { followRecord } from '../product/record-poller';
import { DeployFailure, HandlerDeps, invocationDeadline } from '../runtime';
import { describeError } from '../service-catalog';
import { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse, ResponseData } from '../types';

export { DeployFailure, runtimeDeps } from '../runtime';
export type { HandlerDeps } from '../runtime';

export async function onEvent(event: OnEventRequest, deps: HandlerDeps): Promise<OnEventResponse> {
  if (event.RequestType === 'Delete') {
    return onDelete(event, deps);
  }
  const waitStartedAt = deps.now();
  const desired = validate(event);
  const deadline = Math.min(invocationDeadline(deps), waitStartedAt + desired.timeoutSeconds * 1000);
  const unused = unusedPropertyKeys(event.ResourceProperties);
  if (unused.length > 0) {
    deps.log('warning: the request has properties the handler does not use; they are ignored', { unusedKeys: unused });
  }
  const old = event.RequestType === 'Update' ? event.OldResourceProperties : undefined;
  const plan = planPropertiesUpdate(desired, old && previousDeclaration(old));
  if (plan.kind === 'skip' && event.RequestType === 'Update') {
    deps.log('update: the declaration is unchanged; no call made', { physicalResourceId: event.PhysicalResourceId });
    return unchanged(event.PhysicalResourceId, decodePhysicalId(event.PhysicalResourceId).provisionedProductId!, waitStartedAt);
  }
  const properties = declaredProperties(desired);
  const product = await resolveProduct(deps, desired, desired.acceptLanguage, deadline);
  const productId = product.id;
  const live = await readLive(deps, product, properties, desired, deadline);
  const physicalId = encodePhysicalId(productId, desired.restoreOnDelete ? await originalsFor(deps, event, productId, properties, live!, deadline) : undefined);
  if (physicalId.length > MAX_PHYSICAL_ID_LENGTH) {
    throw new DeployFailure(`The original owner and launch role of provisioned product ${productId} are too long to keep in `
      + `the resource's physical id (${physicalId.length} of at most ${MAX_PHYSICAL_ID_LENGTH} characters). Turn restoreOnDelete off.`);
  }
  if (live && inDeclaredState(compareWithLive(properties, live))) {
    deps.log('the product already has the declared properties; no change made', { productId, live });
    return unchanged(physicalId, productId, waitStartedAt);
  }
  const change = changeOf(event, productId, properties, desired);
  const attempt = await startChange(deps, change, change.idempotencyToken, deadline);
  const started = attempt.kind === 'started';
  return {
    PhysicalResourceId: physicalId,
    Data: {
      [DataKey.PROVISIONED_PRODUCT_ID]: productId, [DataKey.CHANGED]: 'true',
      [DataKey.RECORD_ID]: started ? attempt.recordId : '', [DataKey.RECORD_STATUS]: started ? attempt.status : 'PENDING',
      [DataKey.HANDLER_STATE]: encodeHandlerState({ waitStartedAt, startPending: !started }),
    },
  };
}

export async function isComplete(event: IsCompleteRequest, deps: HandlerDeps): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete') {
    return isDeleteComplete(event, deps);
  }
  const state = decodeHandlerState(event.Data?.[DataKey.HANDLER_STATE], deps.now());
  let recordId = event.Data?.[DataKey.RECORD_ID];
  if (!recordId && !state.startPending) {
    return { IsComplete: true };
  }
  const desired = validate(event);
  const provisionedProductId = event.Data?.[DataKey.PROVISIONED_PRODUCT_ID] ?? decodePhysicalId(event.PhysicalResourceId).provisionedProductId!;
  const mustReturnBy = invocationDeadline(deps);
  let startedAt = state.waitStartedAt;
  let lastStatus = event.Data?.[DataKey.RECORD_STATUS] ?? 'CREATED';
  if (!recordId) {
    const change = changeOf(event, provisionedProductId, declaredProperties(desired), desired);
    const outcome = await startWhenFree(deps, change, { invocationDeadline: mustReturnBy, waitStartedAt: state.waitStartedAt, timeoutSeconds: desired.timeoutSeconds });
    switch (outcome.kind) {
      case 'fail': throw new DeployFailure(outcome.message);
      case 'hand-back': return { IsComplete: false };
      case 'in-place': return { IsComplete: true, Data: { [DataKey.RECORD_ID]: '', [DataKey.RECORD_STATUS]: 'SUCCEEDED' } };
      case 'started': ({ recordId, startedAt, status: lastStatus } = outcome);
    }
  }
  const outcome = await followRecord(deps, {
    provisionedProductId, recordId: recordId!, acceptLanguage: desired.acceptLanguage, startedAt, lastStatus,
    deadline: state.waitStartedAt + desired.timeoutSeconds * 1000, timeoutSeconds: desired.timeoutSeconds,
  }, mustReturnBy);
  switch (outcome.kind) {
    case 'complete': return { IsComplete: true, Data: { [DataKey.RECORD_ID]: recordId!, [DataKey.RECORD_STATUS]: outcome.status } };
    case 'hand-back': return { IsComplete: false };
    case 'fail': throw new DeployFailure(outcome.message);
  }
}

/** A Delete's restore is followed like a change, but never fails: it is best effort. */
async function isDeleteComplete(event: IsCompleteRequest, deps: HandlerDeps): Promise<IsCompleteResponse> {
  const recordId = event.Data?.[DataKey.RECORD_ID];
  if (!recordId) {
    return { IsComplete: true };
  }
  const state = decodeHandlerState(event.Data?.[DataKey.HANDLER_STATE], deps.now());
  const timeoutSeconds = Number(event.ResourceProperties.TimeoutSeconds) || 1800;
  const outcome = await followRecord(deps, {
    provisionedProductId: event.Data?.[DataKey.PROVISIONED_PRODUCT_ID] ?? '(unknown)', recordId, lastStatus: 'CREATED',
    acceptLanguage: event.ResourceProperties.AcceptLanguage, startedAt: state.waitStartedAt,
    deadline: state.waitStartedAt + timeoutSeconds * 1000, timeoutSeconds,
  }, invocationDeadline(deps));
  if (outcome.kind === 'hand-back') {
    return { IsComplete: false };
  }
  if (outcome.kind === 'fail') {
    deps.log('restore on delete did not complete; the stack deletion goes on', { recordId, reason: outcome.message });
    return { IsComplete: true };
  }
  return { IsComplete: true, Data: { [DataKey.RECORD_ID]: recordId, [DataKey.RECORD_STATUS]: outcome.status } };
}

function changeOf(event: OnEventRequest, provisionedProductId: string, properties: PropertyMap, desired: DesiredProperties): ChangeToStart {
  return { idempotencyToken: idempotencyToken(event), provisionedProductId, properties, acceptLanguage: desired.acceptLanguage };
}

/**
 * The live values, to skip a change that is already in place and to capture the originals for
 * restoreOnDelete. Reading is an optimisation, so a failed read only means the update is made
 * anyway; but restoreOnDelete cannot keep a promise it could not capture, so there it fails.
 */
async function readLive(deps: HandlerDeps, product: ResolvedProduct, properties: PropertyMap, desired: DesiredProperties,
  deadline: number): Promise<LiveProperties | undefined> {
  const productId = product.id;
  let live: LiveProperties;
  try {
    live = await readLiveProperties(deps, productId, properties, desired.acceptLanguage, deadline, product.detail);
  } catch (error) {
    const { name, message } = describeError(error);
    if (desired.restoreOnDelete) {
      throw new DeployFailure(`Could not read the current owner and launch role of provisioned product ${productId} to keep for `
        + `restoreOnDelete (${name}: ${message}). Check the handler role's servicecatalog:SearchProvisionedProducts and `
        + 'servicecatalog:DescribeProvisionedProduct permissions, then redeploy.');
    }
    deps.log('could not read the current properties; updating anyway', { productId, error: `${name}: ${message}` });
    return undefined;
  }
  return live;
}

/** The previous request's declaration, read leniently: it was validated when it was deployed. */
function previousDeclaration(old: Record<string, unknown>): PreviousProperties {
  return {
    provisionedProductId: old.ProvisionedProductId, provisionedProductName: old.ProvisionedProductName,
    owner: old.Owner, launchRoleArn: old.LaunchRoleArn, restoreOnDelete: old.RestoreOnDelete,
    recheckKeys: recheckKeysOf(old),
  };
}

function unchanged(physicalId: string, productId: string, waitStartedAt: number): OnEventResponse {
  const data: ResponseData = {
    [DataKey.PROVISIONED_PRODUCT_ID]: productId, [DataKey.RECORD_ID]: '', [DataKey.RECORD_STATUS]: UNCHANGED_STATUS,
    [DataKey.CHANGED]: 'false', [DataKey.HANDLER_STATE]: encodeHandlerState({ waitStartedAt, startPending: false }),
  };
  return { PhysicalResourceId: physicalId, Data: data };
}

/** The same rules as the construct, applied before any API call: a hand-edited template stops here. */
function validate(event: OnEventRequest): DesiredProperties {
  try {
    return parseWireProperties(event.ResourceProperties, stackEnvironment(event.StackId));
  } catch (error) {
    if (error instanceof PropertyValidationError) {
      throw new DeployFailure(invalidPropertiesMessage(error.message));
    }
    throw error;
  }
}
