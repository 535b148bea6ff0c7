/**
 * The asset's handlers with a hook run once before isComplete first handles a given request:
 * tests order what happens between onEvent and isComplete explicitly (a record released, a
 * product terminated), instead of timing it.
 */
import { HANDLER_ASSET_DIR } from '../../lib/provider/handler-functions';
import type { LambdaHandler } from './framework-harness';

export interface HookedHandlers {
  readonly handlers: Record<string, LambdaHandler>;
  /** Runs `hook` once, before isComplete first handles the request with `requestId`. */
  beforeIsComplete(requestId: string, hook: () => void): void;
}

export function hookedHandlers(): HookedHandlers {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const asset: Record<string, LambdaHandler> = require(`${HANDLER_ASSET_DIR}/index.js`);
  const hooks = new Map<string, () => void>();
  return {
    handlers: {
      onEvent: (event, context) => asset.onEvent(event, context),
      isComplete: (event, context) => {
        hooks.get(event.RequestId)?.();
        hooks.delete(event.RequestId);
        return asset.isComplete(event, context);
      },
    },
    beforeIsComplete: (requestId, hook) => { hooks.set(requestId, hook); },
  };
}
