/**
 * isComplete: the shell around wait-plan.ts. It plans once, then follows the record with reads
 * only, or waits for a busy product and starts the change onEvent could not, until the invocation
 * must return; then it hands back to the framework's waiter, which invokes it again.
 */
import { DataKey, decodeHandlerState } from '../../lib/shared/wire-contract';
import { DeployFailure, renderFailure } from '../failures';
import { startWhenFree } from '../product/change-starter';
import { FollowOutcome, followRecord } from '../product/record-poller';
import { HandlerDeps, invocationDeadline } from '../runtime';
import { IsCompleteRequest, IsCompleteResponse } from '../types';
import { recordDeclaration, recordRestore } from '../ledger/record';
import { WaitPlan, inPlaceData, planWait, startedRecord } from './wait-plan';

export async function isComplete(event: IsCompleteRequest, deps: HandlerDeps): Promise<IsCompleteResponse> {
  const state = decodeHandlerState(event.Data?.[DataKey.HANDLER_STATE], deps.now());
  const plan = planWait(event, state);
  if (event.RequestType !== 'Delete') {
    const response = await act(deps, plan);
    if (response.IsComplete) await recordDeclaration(deps, event, response.Data ?? event.Data, invocationDeadline(deps));
    return response;
  }
  // A Delete never fails: whatever its restore meets is logged, naming what was not put back.
  try {
    const response = await act(deps, plan);
    const productId = event.Data?.[DataKey.PROVISIONED_PRODUCT_ID];
    const restored = plan.kind === 'start-when-free' ? plan.change.values : state.restoreValues;
    if (response.IsComplete && productId) await recordRestore(deps, productId, response.Data, restored, invocationDeadline(deps));
    return response;
  } catch (error) {
    const reason = error instanceof DeployFailure ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    deps.log('delete: the original owner and launch role were NOT restored; the stack deletion goes on', { physicalResourceId: event.PhysicalResourceId, reason });
    return { IsComplete: true };
  }
}

async function act(deps: HandlerDeps, plan: WaitPlan): Promise<IsCompleteResponse> {
  const mustReturnBy = invocationDeadline(deps);
  switch (plan.kind) {
    case 'done':
      return { IsComplete: true };
    case 'follow':
      return finish(deps, plan.record.recordId, await followRecord(deps, plan.record, mustReturnBy), plan.restore);
    case 'start-when-free': {
      const outcome = await startWhenFree(deps, plan.change, { invocationDeadline: mustReturnBy, waitStartedAt: plan.waitStartedAt, timeoutSeconds: plan.timeoutSeconds });
      switch (outcome.kind) {
        case 'fail':
          if (!plan.restore) throw new DeployFailure(outcome.failure);
          deps.log('delete: the original owner and launch role were NOT restored; the stack deletion goes on', {
            productId: plan.change.provisionedProductId, originals: plan.change.values, reason: renderFailure(outcome.failure),
          });
          return { IsComplete: true };
        case 'hand-back': return { IsComplete: false };
        case 'in-place':
          return { IsComplete: true, Data: plan.restore ? undefined : inPlaceData(plan, outcome.lastRecordId) };
        case 'started': {
          const record = startedRecord(plan, outcome);
          return finish(deps, record.recordId, await followRecord(deps, record, mustReturnBy), plan.restore);
        }
      }
    }
  }
}

/** A deploy's failure fails the resource; a Delete's restore is best effort, so its failure is only logged. */
function finish(deps: HandlerDeps, recordId: string, outcome: FollowOutcome, restore: boolean): IsCompleteResponse {
  switch (outcome.kind) {
    case 'complete': return { IsComplete: true, Data: { [DataKey.RECORD_ID]: recordId, [DataKey.RECORD_STATUS]: outcome.status } };
    case 'hand-back': return { IsComplete: false };
    case 'fail':
      if (!restore) throw new DeployFailure(outcome.failure);
      deps.log('restore on delete did not complete; the stack deletion goes on', { recordId, reason: renderFailure(outcome.failure) });
      return { IsComplete: true };
  }
}
