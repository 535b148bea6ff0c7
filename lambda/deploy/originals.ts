/**
 * The original owner and launch role that restoreOnDelete keeps, in the resource's physical id.
 * They follow the product across replacements and renames: a resource keeps what its previous
 * physical id kept, or inherits what another declaration of the product kept (the ledger, or the
 * stack's listing for declarations made before the ledger), and
 * only a key declared for the first time gets its value captured now. Pure: the shell reads.
 */
import { PropertyValues, declaredKeys, pickValues } from '../../lib/shared/declaration';
import { PlanFailure } from '../failures';
import { compareWithLive, originalsToKeep } from '../product/live-comparison';
import { LiveProperties, SEARCH_LAG_RETRY_DELAYS_MS } from '../product/live-state';
import { decodePhysicalId } from './physical-id';
import { OtherDeclarations } from './stack-resources';

/** What this resource already keeps for `productId`, from its previous physical id. */
export function keptOriginals(previousPhysicalId: string | undefined, productId: string): PropertyValues | undefined {
  const kept = decodePhysicalId(previousPhysicalId);
  return kept.provisionedProductId === productId ? kept.originals : undefined;
}

export type OriginalsDecision =
  | { readonly kind: 'keep'; readonly originals: PropertyValues; readonly inheritedFrom?: string }
  | { readonly kind: 'fail'; readonly failure: PlanFailure };

/**
 * The originals to keep now: those kept before (by this resource, or else by another declaration
 * of the product, `others`), plus the live value of each key declared for the first time. A value
 * to capture that could not be read fails: keeping nothing would silently drop the promise.
 */
export function originalsFor(productId: string, declared: PropertyValues, live: LiveProperties,
  kept: PropertyValues | undefined, others: OtherDeclarations | undefined, heldInLedger?: PropertyValues): OriginalsDecision {
  // The ledger's originals come first: the values in place are another declaration's, maybe in another stack.
  let base = kept ?? heldInLedger;
  let inheritedFrom: string | undefined = kept === undefined && heldInLedger ? 'the ledger' : undefined;
  if (!base) {
    if (others?.kind === 'unknown') {
      return { kind: 'fail', failure: { kind: 'stack-unreadable', productId, cause: others.cause } };
    }
    const donor = others?.declarations.find((d) => d.originals);
    base = donor?.originals;
    inheritedFrom = donor?.logicalResourceId;
  }
  const fresh = pickValues(originalsToKeep(declared, live), (key) => base?.[key] === undefined);
  const unknown = compareWithLive(declared, live).unknown;
  if (declaredKeys(fresh).some((key) => unknown.includes(key))) {
    return { kind: 'fail', failure: { kind: 'owner-not-listed', productId, searches: SEARCH_LAG_RETRY_DELAYS_MS.length + 1 } };
  }
  return { kind: 'keep', originals: { ...base, ...fresh }, inheritedFrom };
}
