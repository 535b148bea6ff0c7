/**
 * onEvent for a Create or an Update: the shell around change-plan.ts. It reads (the product, what
 * still runs on it, waited on within the request's deadline, its ledger, its live values, and the
 * stack where restoreOnDelete needs it), plans once, and acts: at most one
 * UpdateProvisionedProductProperties. A change it cannot start (the product busy, the call
 * unanswered) is left to isComplete, which runs as another function: state travels in `Data`.
 */
import { DataKey, NOT_STARTED_STATUS, UNCHANGED_STATUS, encodeHandlerState, unusedPropertyKeys } from '../../lib/shared/wire-contract';
import { DeployFailure } from '../failures';
import { startChange } from '../product/change-starter';
import { lastRecordIdOf, waitUntilIdle } from '../product/activity';
import { readLiveProperties, resolveProduct } from '../product/live-state';
import { HandlerDeps, invocationDeadline, timeoutDeadline } from '../runtime';
import { describeError } from '../service-catalog';
import { OnEventResponse, ResponseData } from '../types';
import { ChangeEvent, ChangeReading, ChangeRequest, declarationUnchanged, needsStackRead, planChange } from './change-plan';
import { ownerKnownFromLedger } from '../../lib/shared/ledger';
import { readLedgerConsistentWith } from '../ledger/store';
import { changeRequestOf } from './request';
import { otherDeclarationsOf } from './stack-resources';

export async function onChange(event: ChangeEvent, deps: HandlerDeps): Promise<OnEventResponse> {
  const waitStartedAt = deps.now();
  const request = changeRequestOf(event);
  const deadline = Math.min(invocationDeadline(deps), timeoutDeadline(waitStartedAt, request.declaration.timeoutSeconds));
  const unused = unusedPropertyKeys(event.ResourceProperties);
  if (unused.length > 0) {
    deps.log('warning: the request has properties the handler does not use; they are ignored', { unusedKeys: unused });
  }
  const reading = declarationUnchanged(request) ? 'not-read' : await readForChange(deps, event, request, deadline);
  const action = planChange(request, reading);
  switch (action.kind) {
    case 'fail':
      throw new DeployFailure(action.failure);
    case 'none':
      deps.log(action.reason === 'declaration-unchanged'
        ? 'update: the declaration is unchanged; no call made'
        : 'the product already has the declared properties; no change made', { productId: action.productId, physicalResourceId: action.physicalId });
      return response(action.physicalId, {
        [DataKey.PROVISIONED_PRODUCT_ID]: action.productId, [DataKey.RECORD_ID]: '', [DataKey.RECORD_STATUS]: UNCHANGED_STATUS,
        [DataKey.CHANGED]: 'false', [DataKey.HANDLER_STATE]: encodeHandlerState({ waitStartedAt, startPending: false }),
      });
    case 'start-when-free':
      deps.log('a change still runs on the product; isComplete waits for it, then judges and starts this one', {
        productId: action.change.provisionedProductId, cause: action.cause,
      });
      return response(action.physicalId, {
        [DataKey.PROVISIONED_PRODUCT_ID]: action.change.provisionedProductId, [DataKey.CHANGED]: 'true', [DataKey.RECORD_ID]: '',
        [DataKey.RECORD_STATUS]: NOT_STARTED_STATUS,
        [DataKey.HANDLER_STATE]: encodeHandlerState({ waitStartedAt, startPending: true, lastRecordIdBefore: lastRecordIdOf(reading === 'not-read' ? undefined : reading.activity) }),
      });
    case 'start': {
      if (action.inheritedFrom) {
        deps.log('restoreOnDelete: inheriting the originals kept by another declaration of the product', { from: action.inheritedFrom });
      }
      const attempt = await startChange(deps, action.change, action.change.idempotencyToken, deadline);
      const started = attempt.kind === 'started';
      return response(action.physicalId, {
        [DataKey.PROVISIONED_PRODUCT_ID]: action.change.provisionedProductId, [DataKey.CHANGED]: 'true',
        [DataKey.RECORD_ID]: started ? attempt.recordId : '', [DataKey.RECORD_STATUS]: started ? attempt.status : NOT_STARTED_STATUS,
        [DataKey.HANDLER_STATE]: encodeHandlerState({
          waitStartedAt, startPending: !started, changeAnsweredAt: started ? attempt.startedAt : undefined,
          lastRecordIdBefore: lastRecordIdOf(reading === 'not-read' ? undefined : reading.activity),
        }),
      });
    }
  }
}

/**
 * The reads a change needs. A failed read of the live values is not a failure here: reading only
 * saves a write, so the planner decides (restoreOnDelete cannot do without them).
 */
async function readForChange(deps: HandlerDeps, event: ChangeEvent, request: ChangeRequest, deadline: number): Promise<ChangeReading> {
  const { declaration } = request;
  const product = await resolveProduct(deps, declaration.product, declaration.acceptLanguage, deadline);
  const activity = await waitUntilIdle(deps, product.id, declaration.acceptLanguage, deadline);
  if (activity.kind !== 'idle') {
    return { productId: product.id, activity };
  }
  const ledger = await readLedgerConsistentWith(deps, product.id, activity, deadline);
  const knownOwner = ledger.kind === 'read' ? ownerKnownFromLedger(ledger.ledger, activity.lastRecordId, activity.lastRecordStatus) : undefined;
  let live: ChangeReading['live'];
  try {
    live = { kind: 'read', live: await readLiveProperties(deps, product.id, declaration.values, declaration.acceptLanguage, deadline,
      activity.detail ?? product.detail, knownOwner) };
  } catch (error) {
    const { name, message } = describeError(error);
    deps.log('could not read the current properties', { productId: product.id, error: `${name}: ${message}` });
    live = { kind: 'unreadable', cause: `${name}: ${message}` };
  }
  const others = needsStackRead(request, product.id) && live.kind === 'read'
    ? await otherDeclarationsOf(deps, event, product.id, deadline)
    : undefined;
  return { productId: product.id, activity, live, others, ledger };
}

function response(physicalId: string, data: ResponseData): OnEventResponse {
  return { PhysicalResourceId: physicalId, Data: data };
}
