/**
 * Delete never fails and makes no call, unless restoreOnDelete asks to put the original values
 * back; then the restore is best effort: whatever goes wrong is logged and the deletion goes on.
 */
import type { CloudFormationCustomResourceDeleteEvent } from 'aws-lambda';
import { DataKey, encodeHandlerState } from '../../lib/shared/wire-contract';
import { startChange } from '../product/change-starter';
import { PropertyKey, decodePhysicalId, idempotencyToken } from '../decisions';
import { compareWithLive } from '../product/live-comparison';
import { readLiveProperties } from '../product/live-state';
import { otherDeclarationsOf } from './stack-resources';
import { HandlerDeps, invocationDeadline } from '../runtime';
import { describeError } from '../service-catalog';
import { OnEventResponse } from '../types';

export async function onDelete(event: CloudFormationCustomResourceDeleteEvent, deps: HandlerDeps): Promise<OnEventResponse> {
  const keep: OnEventResponse = event.PhysicalResourceId ? { PhysicalResourceId: event.PhysicalResourceId } : {};
  const { provisionedProductId, originals: kept } = decodePhysicalId(event.PhysicalResourceId);
  // '' marks a key that had no value to put back.
  const originals = Object.fromEntries(Object.entries(kept ?? {}).filter(([, value]) => value !== ''));
  if (event.ResourceProperties.RestoreOnDelete !== 'true' || !provisionedProductId || Object.keys(originals).length === 0) {
    deps.log('delete: nothing to do', { physicalResourceId: event.PhysicalResourceId });
    return keep;
  }
  const acceptLanguage = event.ResourceProperties.AcceptLanguage as string | undefined;
  const deadline = invocationDeadline(deps);
  try {
    const others = await otherDeclarationsOf(deps, event, provisionedProductId, deadline);
    if (others.kind === 'unknown' || others.declarations.length > 0) {
      // A replacement or a rename hands the product over; and undoing a live declaration on a guess is worse than not restoring.
      deps.log(others.kind === 'unknown'
        ? 'delete: the stack could not be read, so nothing is restored: another declaration may govern the product'
        : 'delete: another declaration of the product takes over; nothing is restored', { provisionedProductId, others });
      return keep;
    }
    const waitStartedAt = deps.now();
    const live = await readLiveProperties(deps, provisionedProductId, originals, acceptLanguage, deadline);
    const comparison = compareWithLive(originals, live);
    if (Object.keys(comparison.drifted).length === 0 && comparison.unknown.length === 0) {
      deps.log('delete: the original owner and launch role are in place; nothing to restore', { provisionedProductId });
      return keep;
    }
    // A value that could not be read is restored too: putting back the original is harmless.
    const restore = Object.fromEntries(Object.entries(originals).filter(([key]) => key in comparison.drifted || comparison.unknown.includes(key as PropertyKey)));
    deps.log('delete: restoring the original owner and launch role', { provisionedProductId, restore });
    const token = idempotencyToken(event);
    const started = await startChange(deps, { idempotencyToken: token, provisionedProductId, properties: restore, acceptLanguage }, token, deadline);
    if (started.kind !== 'started') {
      deps.log('delete: the restore did not start, so the original owner and launch role were not restored', {
        provisionedProductId, originals, cause: started.cause,
      });
      return keep;
    }
    return { ...keep, Data: {
      [DataKey.RECORD_ID]: started.recordId, [DataKey.RECORD_STATUS]: started.status, [DataKey.PROVISIONED_PRODUCT_ID]: provisionedProductId,
      [DataKey.HANDLER_STATE]: encodeHandlerState({ waitStartedAt, startPending: false }),
    } };
  } catch (error) {
    deps.log('delete: could not restore the original owner and launch role; the stack deletion goes on', {
      provisionedProductId, originals, error: describeError(error).message,
    });
    return keep;
  }
}
