/**
 * onEvent for a Delete: the shell around delete-plan.ts. Whatever goes wrong is logged and the
 * deletion goes on: a restore is best effort.
 */
import type { CloudFormationCustomResourceDeleteEvent } from 'aws-lambda';
import { DataKey, encodeHandlerState } from '../../lib/shared/wire-contract';
import { startChange } from '../product/change-starter';
import { readLiveProperties } from '../product/live-state';
import { idempotencyToken } from '../product/tokens';
import { HandlerDeps, invocationDeadline } from '../runtime';
import { describeError } from '../service-catalog';
import { OnEventResponse } from '../types';
import { DeleteReading, DeleteRequest, handedOver, planDelete, restoreCandidate } from './delete-plan';
import { otherDeclarationsOf } from './stack-resources';

const KEPT_BECAUSE = {
  'nothing-kept': 'delete: nothing to do',
  'stack-unknown': 'delete: the stack could not be read, so nothing is restored: another declaration may govern the product',
  'handed-over': 'delete: another declaration of the product takes over; nothing is restored',
  'originals-in-place': 'delete: the original owner and launch role are in place; nothing to restore',
} as const;

export async function onDelete(event: CloudFormationCustomResourceDeleteEvent, deps: HandlerDeps): Promise<OnEventResponse> {
  const keep: OnEventResponse = event.PhysicalResourceId ? { PhysicalResourceId: event.PhysicalResourceId } : {};
  const request: DeleteRequest = {
    physicalId: event.PhysicalResourceId, restoreOnDelete: event.ResourceProperties.RestoreOnDelete === 'true',
    acceptLanguage: event.ResourceProperties.AcceptLanguage as string | undefined, token: idempotencyToken(event),
  };
  const candidate = restoreCandidate(request);
  const deadline = invocationDeadline(deps);
  try {
    let reading: DeleteReading | undefined;
    if (candidate) {
      const others = await otherDeclarationsOf(deps, event, candidate.productId, deadline);
      reading = { others, live: handedOver(others) ? undefined : await readLiveProperties(deps, candidate.productId, candidate.originals, request.acceptLanguage, deadline) };
    }
    const action = planDelete(request, reading);
    if (action.kind === 'keep') {
      deps.log(KEPT_BECAUSE[action.reason], { physicalResourceId: event.PhysicalResourceId, others: reading?.others });
      return keep;
    }
    const waitStartedAt = deps.now();
    deps.log('delete: restoring the original owner and launch role', { productId: action.change.provisionedProductId, restore: action.change.values });
    const started = await startChange(deps, action.change, action.change.idempotencyToken, deadline);
    if (started.kind !== 'started') {
      deps.log('delete: the restore did not start, so the original owner and launch role were not restored', {
        productId: action.change.provisionedProductId, originals: candidate?.originals, cause: started.cause,
      });
      return keep;
    }
    return { ...keep, Data: {
      [DataKey.RECORD_ID]: started.recordId, [DataKey.RECORD_STATUS]: started.status, [DataKey.PROVISIONED_PRODUCT_ID]: action.change.provisionedProductId,
      [DataKey.HANDLER_STATE]: encodeHandlerState({ waitStartedAt, startPending: false }),
    } };
  } catch (error) {
    deps.log('delete: could not restore the original owner and launch role; the stack deletion goes on', {
      productId: candidate?.productId, originals: candidate?.originals, error: describeError(error).message,
    });
    return keep;
  }
}
