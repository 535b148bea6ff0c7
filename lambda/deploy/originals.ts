/**
 * The original owner and launch role that restoreOnDelete keeps, in the resource's physical id.
 * They follow the product across replacements and renames: a resource keeps what its previous
 * physical id kept, or inherits what another declaration of the product in the stack kept, and
 * only a key declared for the first time gets its value captured now.
 */
import { PropertyKey, PropertyMap, decodePhysicalId } from '../decisions';
import { compareWithLive, originalsToKeep } from '../product/live-comparison';
import { LiveProperties, SEARCH_LAG_RETRY_DELAYS_MS } from '../product/live-state';
import { ownerNotListedMessage, stackNotReadableMessage } from '../messages';
import { DeployFailure, HandlerDeps } from '../runtime';
import { otherDeclarationsOf } from './stack-resources';
import { OnEventRequest } from '../types';

export async function originalsFor(deps: HandlerDeps, event: Exclude<OnEventRequest, { RequestType: 'Delete' }>, productId: string,
  properties: PropertyMap, live: LiveProperties, deadline: number): Promise<PropertyMap> {
  const kept = event.RequestType === 'Update' ? decodePhysicalId(event.PhysicalResourceId) : {};
  let base = kept.provisionedProductId === productId ? kept.originals : undefined;
  if (!base) {
    const others = await otherDeclarationsOf(deps, event, productId, deadline);
    if (others.kind === 'unknown') {
      throw new DeployFailure(stackNotReadableMessage(productId, others.cause));
    }
    base = others.declarations.find((d) => d.originals)?.originals;
    if (base) deps.log('restoreOnDelete: inheriting the originals kept by another declaration of the product', { productId, originals: base });
  }
  const fresh = Object.entries(originalsToKeep(properties, live)).filter(([key]) => !(key in (base ?? {})));
  // A value to capture now that could not be read: keeping nothing would silently drop the promise.
  const unknown = compareWithLive(properties, live).unknown;
  if (fresh.some(([key]) => unknown.includes(key as PropertyKey))) {
    throw new DeployFailure(ownerNotListedMessage(productId, SEARCH_LAG_RETRY_DELAYS_MS.length + 1));
  }
  return { ...base, ...Object.fromEntries(fresh) };
}
