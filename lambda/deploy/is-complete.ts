/**
 * isComplete: the shell around wait-plan.ts. It plans once, then follows the record with reads
 * only, or waits for a busy product and starts the change onEvent could not, until the invocation
 * must return; then it hands back to the framework's waiter, which invokes it again.
 */
import { DataKey, decodeHandlerState } from '../../lib/shared/wire-contract';
import { DeployFailure, renderFailure } from '../failures';
import { startWhenFree } from '../product/change-starter';
import { SUCCEEDED_STATUS } from '../product/judgements';
import { FollowOutcome, followRecord } from '../product/record-poller';
import { HandlerDeps, invocationDeadline } from '../runtime';
import { IsCompleteRequest, IsCompleteResponse } from '../types';
import { planWait, startedRecord } from './wait-plan';

export async function isComplete(event: IsCompleteRequest, deps: HandlerDeps): Promise<IsCompleteResponse> {
  const state = decodeHandlerState(event.Data?.[DataKey.HANDLER_STATE], deps.now());
  const plan = planWait(event, state);
  const mustReturnBy = invocationDeadline(deps);
  switch (plan.kind) {
    case 'done':
      return { IsComplete: true };
    case 'follow':
      return finish(deps, plan.record.recordId, await followRecord(deps, plan.record, mustReturnBy), plan.restore);
    case 'start-when-free': {
      const outcome = await startWhenFree(deps, plan.change, { invocationDeadline: mustReturnBy, waitStartedAt: plan.waitStartedAt, timeoutSeconds: plan.timeoutSeconds });
      switch (outcome.kind) {
        case 'fail': throw new DeployFailure(outcome.failure);
        case 'hand-back': return { IsComplete: false };
        case 'in-place': return { IsComplete: true, Data: { [DataKey.RECORD_ID]: '', [DataKey.RECORD_STATUS]: SUCCEEDED_STATUS } };
        case 'started': {
          const record = startedRecord(plan, outcome);
          return finish(deps, record.recordId, await followRecord(deps, record, mustReturnBy), false);
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
