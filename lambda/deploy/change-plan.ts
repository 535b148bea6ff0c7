/**
 * What a Create or an Update does, decided once from the request and what the shell read. Pure:
 * its tests read like the README's "What happens when" table.
 *
 * - An Update whose declaration is unchanged does nothing and reads nothing.
 * - Live values are judged only once nothing runs on the product (activity.ts): a record still
 *   running (a failed request's, or anyone's) would land after the judgement. While one runs, the
 *   change is left to isComplete, which waits for it; restoreOnDelete cannot capture meanwhile.
 * - A product already in the declared state is left as it is.
 * - Otherwise one change starts, re-asserting every declared key.
 * - With restoreOnDelete, the originals travel in the physical id; when they cannot be known, the
 *   deploy fails before any write rather than keep a promise it could not keep.
 */
import type { CloudFormationCustomResourceCreateEvent, CloudFormationCustomResourceUpdateEvent } from 'aws-lambda';
import { PropertyValues, ResourceDeclaration, declaredKeys, pickValues } from '../../lib/shared/declaration';
import { LedgerReading, originalsHeldByOthers } from '../../lib/shared/ledger';
import { PlanFailure } from '../failures';
import { ProductActivity } from '../product/activity';
import { ChangeToStart } from '../product/change-starter';
import { compareWithLive, inDeclaredState } from '../product/live-comparison';
import { LiveProperties } from '../product/live-state';
import { keptOriginals, originalsFor } from './originals';
import { MAX_PHYSICAL_ID_LENGTH, decodePhysicalId, encodePhysicalId } from './physical-id';
import { OtherDeclarations } from './stack-resources';

export type ChangeEvent = CloudFormationCustomResourceCreateEvent | CloudFormationCustomResourceUpdateEvent;

/** A Create or an Update, as the planner sees it. */
export interface ChangeRequest {
  readonly declaration: ResourceDeclaration;
  /** The request's ResourceProperties, as sent. */
  readonly properties: Record<string, unknown>;
  /** An Update's previous properties and physical id. */
  readonly previous?: { readonly properties: Record<string, unknown>; readonly physicalId: string };
  /** The request's idempotency token (tokens.ts). */
  readonly token: string;
  /** The resource as CloudFormation names it, for its claim in the ledger. */
  readonly stackId?: string;
  readonly logicalId?: string;
}

/** The live values, or why they could not be read. */
export type LiveReading =
  | { readonly kind: 'read'; readonly live: LiveProperties }
  | { readonly kind: 'unreadable'; readonly cause: string };

/** What the shell read for a Create or an Update. */
export interface ChangeReading {
  readonly productId: string;
  /** What runs on the product, read (and waited on) first. */
  readonly activity: ProductActivity;
  /** Read only when the product is idle. */
  readonly live?: LiveReading;
  /** The product's other declarations in the stack: read only when `needsStackRead`. */
  readonly others?: OtherDeclarations;
  /** The product's ledger (lib/shared/ledger.ts): other stacks' declarations and the originals they hold. */
  readonly ledger?: LedgerReading;
}

export type ChangeAction =
  | { readonly kind: 'none'; readonly reason: 'declaration-unchanged' | 'in-declared-state'; readonly physicalId: string; readonly productId: string }
  | { readonly kind: 'start'; readonly physicalId: string; readonly change: ChangeToStart; readonly inheritedFrom?: string }
  /** A change still runs on the product: isComplete waits for it, then judges and starts. */
  | { readonly kind: 'start-when-free'; readonly physicalId: string; readonly change: ChangeToStart; readonly cause: string }
  | { readonly kind: 'fail'; readonly failure: PlanFailure };

/**
 * The originals this resource kept for keys it no longer declares, still with restoreOnDelete: they
 * are put back, as a Delete would (a key it stops governing is released). This is also how the
 * rollback of an Update that declared a key for the first time reverts it, when CloudFormation
 * sends that rollback as an Update to the new physical id (undocumented). '' (no value) is not put back.
 */
export function releasedOriginals(request: ChangeRequest, productId: string | undefined): PropertyValues {
  if (!request.declaration.restoreOnDelete || productId === undefined) return {};
  const kept = keptBefore(request, productId) ?? {};
  return pickValues(kept, (key, value) => request.declaration.values[key] === undefined && value !== '');
}

/**
 * An Update is unchanged when it names the same product and every declared value equals the
 * previous one. A key that is no longer declared is no longer enforced, and with restoreOnDelete
 * its kept original is put back (releasedOriginals): then it is a change. Turning
 * restoreOnDelete on is a change (the originals must be captured), and so is a new ProductRevision
 * or DeployCheck (the linked product changed, or a check on every deploy: read again, write only
 * what drifted).
 */
export function declarationUnchanged(request: ChangeRequest): boolean {
  const previous = request.previous?.properties;
  if (!previous) {
    return false;
  }
  const current = request.properties;
  const same = (key: string) => current[key] === previous[key];
  const sameIfDeclared = (key: string) => current[key] === undefined || same(key);
  return same('ProvisionedProductId') && same('ProvisionedProductName') && sameIfDeclared('Owner') && sameIfDeclared('LaunchRoleArn')
    && (!request.declaration.restoreOnDelete || previous.RestoreOnDelete === 'true')
    && declaredKeys(releasedOriginals(request, decodePhysicalId(request.previous?.physicalId).provisionedProductId)).length === 0
    && same('ProductRevision') && same('DeployCheck');
}

/**
 * What this resource kept for `productId` while restoreOnDelete was on. Turned off, it keeps its
 * physical id (no replacement) and restores nothing; turned on again, the originals are the values
 * in place then, not those of the earlier period.
 */
function keptBefore(request: ChangeRequest, productId: string): PropertyValues | undefined {
  return request.previous?.properties.RestoreOnDelete === 'true' ? keptOriginals(request.previous.physicalId, productId) : undefined;
}

/** Whether the stack's other declarations must be read: restoreOnDelete, with nothing kept for this product yet. */
export function needsStackRead(request: ChangeRequest, productId: string): boolean {
  return request.declaration.restoreOnDelete && keptBefore(request, productId) === undefined;
}

/** `reading` is 'not-read' exactly when `declarationUnchanged(request)`. */
export function planChange(request: ChangeRequest, reading: ChangeReading | 'not-read'): ChangeAction {
  if (reading === 'not-read') {
    const physicalId = request.previous!.physicalId;
    return { kind: 'none', reason: 'declaration-unchanged', physicalId, productId: decodePhysicalId(physicalId).provisionedProductId! };
  }
  const { declaration } = request;
  const { productId, activity } = reading;
  const change: ChangeToStart = { idempotencyToken: request.token, provisionedProductId: productId, values: declaration.values, acceptLanguage: declaration.acceptLanguage };
  switch (activity.kind) {
    case 'gone': return { kind: 'fail', failure: { kind: 'product-gone', productId, cause: activity.cause } };
    case 'unreadable': return { kind: 'fail', failure: { kind: 'product-unreadable', productId, cause: activity.cause } };
    case 'busy': return planWhileBusy(request, productId, change, activity.cause);
    case 'idle': break;
  }
  const live = reading.live!;
  let physicalId = productId;
  let inheritedFrom: string | undefined;
  if (declaration.restoreOnDelete) {
    if (live.kind === 'unreadable') {
      return { kind: 'fail', failure: { kind: 'live-unreadable', productId, cause: live.cause } };
    }
    const kept = keptBefore(request, productId);
    if (kept === undefined && reading.ledger?.kind === 'unknown') {
      return { kind: 'fail', failure: { kind: 'ledger-unreadable', productId, cause: reading.ledger.cause } };
    }
    const self = { stackId: request.stackId ?? '', logicalId: request.logicalId ?? '', physicalId: request.previous?.physicalId ?? '' };
    const held = reading.ledger?.kind === 'read' ? originalsHeldByOthers(reading.ledger.ledger, self) : undefined;
    const originals = originalsFor(productId, declaration.values, live.live, kept, reading.others, held);
    if (originals.kind === 'fail') {
      return originals;
    }
    // A released key's original leaves the physical id: it is put back now.
    physicalId = encodePhysicalId(productId, pickValues(originals.originals, (key) => declaration.values[key] !== undefined));
    inheritedFrom = originals.inheritedFrom;
    if (physicalId.length > MAX_PHYSICAL_ID_LENGTH) {
      return { kind: 'fail', failure: { kind: 'originals-too-long', productId, length: physicalId.length, max: MAX_PHYSICAL_ID_LENGTH } };
    }
  }
  const released = releasedOriginals(request, productId);
  if (declaredKeys(released).length > 0) {
    return { kind: 'start', physicalId, inheritedFrom, change: { ...change, values: { ...declaration.values, ...released } } };
  }
  if (live.kind === 'read' && inDeclaredState(compareWithLive(declaration.values, live.live))) {
    return { kind: 'none', reason: 'in-declared-state', physicalId, productId };
  }
  return { kind: 'start', physicalId, inheritedFrom, change };
}

/** While a change runs: keep what this resource kept, or fail if a value must be captured now. */
function planWhileBusy(request: ChangeRequest, productId: string, change: ChangeToStart, cause: string): ChangeAction {
  const { declaration } = request;
  if (!declaration.restoreOnDelete) {
    return { kind: 'start-when-free', physicalId: productId, change, cause };
  }
  const kept = keptBefore(request, productId);
  if (declaredKeys(declaration.values).some((key) => kept?.[key] === undefined)) {
    return { kind: 'fail', failure: { kind: 'busy-before-capture', productId, cause } };
  }
  const physicalId = encodePhysicalId(productId, pickValues(kept!, (key) => declaration.values[key] !== undefined));
  return { kind: 'start-when-free', physicalId, change: { ...change, values: { ...declaration.values, ...releasedOriginals(request, productId) } }, cause };
}
