/**
 * The custom resource's two handlers. onEvent reads, plans once and makes at most one write
 * (on-event.ts for a Create or an Update, on-delete.ts for a Delete); isComplete follows the
 * record with reads only, or starts the change onEvent could not (is-complete.ts). The two run
 * as separate Lambda functions with no shared memory: state travels in `Data` (HandlerState).
 */
import { OWN_STACK_ID_ENV } from '../../lib/shared/wire-contract';
import { DeployFailure } from '../failures';
import { HandlerDeps } from '../runtime';
import { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../types';
import { isComplete as isCompleteOfOwnStack } from './is-complete';
import { onChange } from './on-event';
import { onDelete } from './on-delete';

export { DeployFailure } from '../failures';
export { runtimeDeps } from '../runtime';
export type { HandlerDeps } from '../runtime';

export async function onEvent(event: OnEventRequest, deps: HandlerDeps): Promise<OnEventResponse> {
  const foreign = foreignStack(event.StackId);
  if (foreign) {
    return refuseForeign(event, foreign, deps);
  }
  return event.RequestType === 'Delete' ? onDelete(event, deps) : onChange(event, deps);
}

/** isComplete, for requests of the function's own stack only (a foreign Create or Update was refused by onEvent). */
export async function isComplete(event: IsCompleteRequest, deps: HandlerDeps): Promise<IsCompleteResponse> {
  const foreign = foreignStack(event.StackId);
  if (foreign) {
    await refuseForeign(event, foreign, deps);
    return { IsComplete: true };
  }
  return isCompleteOfOwnStack(event, deps);
}

/**
 * The function's own stack id, from the template (OWN_STACK_ID_ENV), when `stackId` is another:
 * any stack of the account may name the provider's ServiceToken, and this function must act only
 * for the declarations of its own stack. Unset (an older template, or a test): no check.
 */
function foreignStack(stackId: string): string | undefined {
  const own = process.env[OWN_STACK_ID_ENV];
  return own && stackId !== own ? own : undefined;
}

/** A foreign Create or Update fails, naming both stacks; a foreign Delete does nothing, so that stack can still be deleted. */
async function refuseForeign(event: { RequestType: string; StackId: string; LogicalResourceId: string; PhysicalResourceId?: string },
  own: string, deps: HandlerDeps): Promise<OnEventResponse> {
  deps.log('refused: a request of another stack', { requestType: event.RequestType, stackId: event.StackId, ownStackId: own });
  if (event.RequestType === 'Delete') {
    return event.PhysicalResourceId ? { PhysicalResourceId: event.PhysicalResourceId } : {};
  }
  throw new DeployFailure({ kind: 'foreign-stack', stackId: event.StackId, ownStackId: own, logicalResourceId: event.LogicalResourceId });
}
