/**
 * onEvent and isComplete: the I/O shell around the pure decisions. onEvent starts the change and
 * hands its record id and start time to isComplete through `Data`: the two run as separate Lambda
 * functions with no shared memory, and isComplete receives the same event on every poll.
 */
import { PropertyValidationError } from '../lib/shared/validation';
import { DataKey, DesiredProperties, UNCHANGED_STATUS, WAITING_FOR_PRODUCT, parseWireProperties, unusedPropertyKeys } from '../lib/shared/wire-contract';
import { startChange, startWhenAvailable } from './change-starter';
import {
  LiveProperties, MAX_PHYSICAL_ID_LENGTH, PropertyMap, accountOfStack, declaredProperties, decodePhysicalId, driftedProperties,
  encodePhysicalId, idempotencyToken, originalsToKeep, planPropertiesUpdate,
} from './decisions';
import { readLiveProperties, resolveProductId } from './live-state';
import { invalidPropertiesMessage } from './messages';
import { followRecord } from './record-poller';
import { DeployFailure, HandlerDeps } from './runtime';
import { describeError } from './service-catalog';
import { CustomResourceEvent, IsCompleteResult, OnEventResult } from './types';

export { DeployFailure, runtimeDeps } from './runtime';
export type { HandlerDeps } from './runtime';

export async function onEvent(event: CustomResourceEvent, deps: HandlerDeps): Promise<OnEventResult> {
  if (event.RequestType === 'Delete') {
    return onDelete(event, deps);
  }
  const waitStartedAt = deps.now();
  const desired = validate(event);
  const unused = unusedPropertyKeys(event.ResourceProperties);
  if (unused.length > 0) {
    deps.log('warning: the request has properties the handler does not use; they are ignored', { unusedKeys: unused });
  }
  const old = event.OldResourceProperties;
  const plan = planPropertiesUpdate(desired, event.RequestType === 'Update' ? {
    provisionedProductId: old?.ProvisionedProductId, provisionedProductName: old?.ProvisionedProductName,
    owner: old?.Owner, launchRoleArn: old?.LaunchRoleArn, restoreOnDelete: old?.RestoreOnDelete,
  } : undefined);
  if (plan.kind === 'skip') {
    deps.log('update: the declaration is unchanged; no call made', { physicalResourceId: event.PhysicalResourceId });
    return unchanged(event.PhysicalResourceId!, decodePhysicalId(event.PhysicalResourceId).provisionedProductId!, waitStartedAt);
  }
  const productId = await resolveProductId(deps.client, desired, desired.acceptLanguage);
  const live = await readLive(deps, productId, plan.properties, desired);
  const physicalId = encodePhysicalId(productId, desired.restoreOnDelete ? originals(event, productId, plan.properties, live) : undefined);
  if (physicalId.length > MAX_PHYSICAL_ID_LENGTH) {
    throw new DeployFailure(`The original owner and launch role of provisioned product ${productId} are too long to keep in `
      + `the resource's physical id (${physicalId.length} of at most ${MAX_PHYSICAL_ID_LENGTH} characters). Turn restoreOnDelete off.`);
  }
  if (live && Object.keys(driftedProperties(plan.properties, live)).length === 0) {
    deps.log('the product already has the declared properties; no change made', { productId, live });
    return unchanged(physicalId, productId, waitStartedAt);
  }
  const started = await startChange(deps, { idempotencyToken: idempotencyToken(event), provisionedProductId: productId, properties: plan.properties, acceptLanguage: desired.acceptLanguage });
  const common = { [DataKey.PROVISIONED_PRODUCT_ID]: productId, [DataKey.CHANGED]: 'true', [DataKey.WAIT_STARTED_AT]: String(waitStartedAt) };
  return {
    PhysicalResourceId: physicalId,
    Data: started.kind === 'started'
      ? { ...common, [DataKey.RECORD_ID]: started.recordId, [DataKey.RECORD_STATUS]: started.status }
      // isComplete starts the change once the product is free.
      : { ...common, [DataKey.RECORD_ID]: '', [DataKey.RECORD_STATUS]: WAITING_FOR_PRODUCT, [DataKey.WAITING_FOR_PRODUCT]: 'true' },
  };
}

export async function isComplete(event: CustomResourceEvent, deps: HandlerDeps): Promise<IsCompleteResult> {
  const isDelete = event.RequestType === 'Delete';
  const waitingForProduct = !isDelete && event.Data?.[DataKey.WAITING_FOR_PRODUCT] === 'true';
  let recordId = event.Data?.[DataKey.RECORD_ID];
  if (!recordId && !waitingForProduct) {
    return { IsComplete: true };
  }
  // A Delete's properties are read leniently: a Delete never fails on them.
  const desired = isDelete ? undefined : validate(event);
  const timeoutSeconds = desired?.timeoutSeconds ?? (Number(event.ResourceProperties?.TimeoutSeconds) || 1800);
  const provisionedProductId = event.Data?.[DataKey.PROVISIONED_PRODUCT_ID] ?? '(unknown)';
  const acceptLanguage = event.ResourceProperties?.AcceptLanguage as string | undefined;
  const waitStartedAt = Number(event.Data?.[DataKey.WAIT_STARTED_AT]) || deps.now();
  let lastStatus = event.Data?.[DataKey.RECORD_STATUS] ?? 'CREATED';
  if (waitingForProduct) {
    const started = await startWhenAvailable(deps,
      { idempotencyToken: idempotencyToken(event), provisionedProductId, properties: declaredProperties(desired!), acceptLanguage }, { waitStartedAt, timeoutSeconds });
    if (started.kind === 'fail') throw new DeployFailure(started.message);
    if (started.kind === 'hand-back') return { IsComplete: false };
    recordId = started.recordId;
    lastStatus = started.status;
  }
  const outcome = await followRecord(deps, { provisionedProductId, recordId: recordId!, acceptLanguage, waitStartedAt, timeoutSeconds, lastStatus },
    { handBack: true });
  switch (outcome.kind) {
    case 'complete':
      return { IsComplete: true, Data: { [DataKey.RECORD_ID]: recordId!, [DataKey.RECORD_STATUS]: outcome.status } };
    case 'hand-back':
    case 'pending': // followRecord with handBack never ends pending; kept for exhaustiveness
      return { IsComplete: false };
    case 'fail':
      if (isDelete) {
        // A Delete never fails: the restore is best effort, and the log says what went wrong.
        deps.log('restore on delete did not complete; the stack deletion goes on', { recordId, reason: outcome.message });
        return { IsComplete: true };
      }
      throw new DeployFailure(outcome.message);
  }
}

/** Never fails and makes no call, unless restoreOnDelete asks to put the original values back. */
async function onDelete(event: CustomResourceEvent, deps: HandlerDeps): Promise<OnEventResult> {
  const keep: OnEventResult = event.PhysicalResourceId ? { PhysicalResourceId: event.PhysicalResourceId } : {};
  const { provisionedProductId, originals } = decodePhysicalId(event.PhysicalResourceId);
  if (event.ResourceProperties?.RestoreOnDelete !== 'true' || !provisionedProductId || !originals || Object.keys(originals).length === 0) {
    deps.log('delete: nothing to do', { physicalResourceId: event.PhysicalResourceId });
    return keep;
  }
  const acceptLanguage = event.ResourceProperties?.AcceptLanguage as string | undefined;
  try {
    const waitStartedAt = deps.now();
    const live = await readLiveProperties(deps.client, provisionedProductId, originals, acceptLanguage);
    const restore = driftedProperties(originals, live);
    if (Object.keys(restore).length === 0) {
      deps.log('delete: the original owner and launch role are in place; nothing to restore', { provisionedProductId });
      return keep;
    }
    deps.log('delete: restoring the original owner and launch role', { provisionedProductId, restore });
    const started = await startChange(deps, { idempotencyToken: idempotencyToken(event), provisionedProductId, properties: restore, acceptLanguage });
    if (started.kind === 'busy') {
      deps.log('delete: the product is busy, so the original owner and launch role were not restored', { provisionedProductId, originals });
      return keep;
    }
    return { ...keep, Data: {
      [DataKey.RECORD_ID]: started.recordId, [DataKey.RECORD_STATUS]: started.status,
      [DataKey.PROVISIONED_PRODUCT_ID]: provisionedProductId, [DataKey.WAIT_STARTED_AT]: String(waitStartedAt),
    } };
  } catch (error) {
    deps.log('delete: could not restore the original owner and launch role; the stack deletion goes on', {
      provisionedProductId, originals, error: error instanceof Error ? error.message : String(error),
    });
    return keep;
  }
}

/**
 * The live values, to skip a change that is already in place and to capture the originals for
 * restoreOnDelete. Reading is an optimisation, so a failed read only means the update is made
 * anyway; but restoreOnDelete cannot keep a promise it could not capture, so there it fails.
 */
async function readLive(deps: HandlerDeps, productId: string, properties: PropertyMap, desired: DesiredProperties): Promise<LiveProperties | undefined> {
  try {
    return await readLiveProperties(deps.client, productId, properties, desired.acceptLanguage);
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
}

/** The originals kept since the first change to this product, or the live values now. */
function originals(event: CustomResourceEvent, productId: string, properties: PropertyMap, live: LiveProperties | undefined): PropertyMap {
  const kept = decodePhysicalId(event.PhysicalResourceId);
  if (event.RequestType === 'Update' && kept.provisionedProductId === productId && kept.originals) {
    return kept.originals;
  }
  return originalsToKeep(properties, live ?? {});
}

function unchanged(physicalId: string, productId: string, waitStartedAt: number): OnEventResult {
  return {
    PhysicalResourceId: physicalId,
    Data: {
      [DataKey.PROVISIONED_PRODUCT_ID]: productId, [DataKey.RECORD_ID]: '', [DataKey.RECORD_STATUS]: UNCHANGED_STATUS,
      [DataKey.CHANGED]: 'false', [DataKey.WAIT_STARTED_AT]: String(waitStartedAt),
    },
  };
}

/** The same rules as the construct, applied before any API call: a hand-edited template stops here. */
function validate(event: CustomResourceEvent): DesiredProperties {
  try {
    return parseWireProperties(event.ResourceProperties, accountOfStack(event.StackId));
  } catch (error) {
    if (error instanceof PropertyValidationError) {
      throw new DeployFailure(invalidPropertiesMessage(error.message));
    }
    throw error;
  }
}
