/**
 * The custom resource's two handlers. onEvent reads, plans once and makes at most one write
 * (on-event.ts for a Create or an Update, on-delete.ts for a Delete); isComplete follows the
 * record with reads only, or starts the change onEvent could not (is-complete.ts). The two run
 * as separate Lambda functions with no shared memory: state travels in `Data` (HandlerState).
 */
import { HandlerDeps } from '../runtime';
import { OnEventRequest, OnEventResponse } from '../types';
import { onChange } from './on-event';
import { onDelete } from './on-delete';

export { DeployFailure } from '../failures';
export { runtimeDeps } from '../runtime';
export type { HandlerDeps } from '../runtime';
export { isComplete } from './is-complete';

export async function onEvent(event: OnEventRequest, deps: HandlerDeps): Promise<OnEventResponse> {
  return event.RequestType === 'Delete' ? onDelete(event, deps) : onChange(event, deps);
}
