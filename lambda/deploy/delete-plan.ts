/**
 * What a Delete does, decided once from the request and what the shell read. A Delete never
 * fails. It writes only a key it governs (by the ledger: no newer declaration, in any stack,
 * declares it) whose value must change: handed back to the newest other declaration of it, or,
 * with restoreOnDelete, put back to its original unless a declaration of the stack made before the
 * ledger takes it over (a replacement or a rename).
 * Live values are judged only once nothing runs on the product: a failed Create's change may
 * still be running, and would land after a judgement made now. While one runs, the restore is
 * left to isComplete, which waits for it within the resource's timeout.
 */
import { PropertyKey, PropertyValues, declaredKeys, pickValues } from '../../lib/shared/declaration';
import { Ledger, LedgerClaim, LedgerReading, release, sameClaim } from '../../lib/shared/ledger';
import { WIRE_PROPERTY_OF } from '../../lib/shared/wire-contract';
import { ProductActivity } from '../product/activity';
import { ChangeToStart } from '../product/change-starter';
import { compareWithLive } from '../product/live-comparison';
import { LiveProperties } from '../product/live-state';
import { decodePhysicalId } from './physical-id';
import { OtherDeclarations } from './stack-resources';

export interface DeleteRequest {
  readonly physicalId?: string;
  /** The RestoreOnDelete property, read leniently: a Delete is never refused. */
  readonly restoreOnDelete: boolean;
  readonly acceptLanguage?: string;
  readonly token: string;
  /**
   * The values the deleted declaration set (its ResourceProperties), read leniently. Search may
   * show an OWNER change late (undocumented how late), so an owner the declaration changed is put
   * back even while Search still shows the original: writing the original again is harmless, and
   * skipping it on a stale read would break the promise.
   */
  readonly declared?: PropertyValues;
  /** The resource as CloudFormation names it: its claim in the ledger is stack, logical id and physical id. */
  readonly stackId?: string;
  readonly logicalId?: string;
}

/** The product and the originals a Delete may put back; undefined when there is nothing to restore, and so nothing to read. */
export function restoreCandidate(request: DeleteRequest): { readonly productId: string; readonly originals: PropertyValues } | undefined {
  const { provisionedProductId, originals: kept } = decodePhysicalId(request.physicalId);
  // '' marks a key that had no value to put back.
  const originals = pickValues(kept ?? {}, (_key, value) => value !== '');
  return request.restoreOnDelete && provisionedProductId && declaredKeys(originals).length > 0
    ? { productId: provisionedProductId, originals }
    : undefined;
}

/**
 * The kept originals no other declaration of the product takes over. A declaration that keeps
 * originals governs exactly their keys (restoreOnDelete keeps one per declared key); one that
 * keeps none may govern any key. So after an Update that declared a key for the first time is
 * rolled back to the old physical id (one undocumented reading of a replaced custom resource's
 * rollback), the new id's Delete puts that key back, and leaves the old declaration's keys alone.
 */
export function notHandedOver(originals: PropertyValues, others: OtherDeclarations): PropertyValues {
  if (others.kind === 'unknown') return {};
  return pickValues(originals, (key) => !others.declarations.some((other) => !other.originals || other.originals[key] !== undefined));
}

export interface DeleteReading {
  readonly others: OtherDeclarations;
  /** The product's ledger; undefined where it was not read (the stack's listing alone decides, as before the ledger). */
  readonly ledger?: LedgerReading;
  /** Read only when not `handedOver`. */
  readonly activity?: ProductActivity;
  /** Read only when the product is idle. */
  readonly live?: LiveProperties;
}

export type DeleteAction =
  | { readonly kind: 'keep'; readonly reason: 'nothing-kept' | 'handed-over' | 'stack-unknown' | 'ledger-unknown' | 'originals-in-place' | 'product-gone' | 'product-unreadable';
    readonly cause?: string; }
  | { readonly kind: 'restore'; readonly change: ChangeToStart }
  /** A change still runs on the product: isComplete waits, judges and restores. */
  | { readonly kind: 'restore-when-free'; readonly change: ChangeToStart; readonly cause: string };

/** The values a deleted declaration set (its ResourceProperties), read leniently (a Delete is never refused): strings only. */
export function declaredValuesOf(properties: Record<string, unknown>): PropertyValues {
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  return pickValues({ OWNER: text(properties[WIRE_PROPERTY_OF.OWNER]), LAUNCH_ROLE: text(properties[WIRE_PROPERTY_OF.LAUNCH_ROLE]) },
    (_key, value) => value !== undefined);
}

/** ['OWNER'] when the declaration set an owner other than the kept original: Search may not show it yet. */
export function ownerSetByDeclaration(originals: PropertyValues, declared: PropertyValues | undefined): PropertyKey[] {
  if (originals.OWNER === undefined || declared?.OWNER === undefined) return [];
  const written = compareWithLive({ OWNER: originals.OWNER }, { owner: { listed: true, userArn: declared.OWNER } });
  return written.drifted.OWNER !== undefined ? ['OWNER'] : [];
}

/** This resource's claim in the ledger, as the Delete's request names it. */
export function claimOf(request: DeleteRequest): LedgerClaim {
  return {
    stackId: request.stackId ?? '', logicalId: request.logicalId ?? '', physicalId: request.physicalId ?? '',
    declared: request.declared ?? {}, restoreOnDelete: request.restoreOnDelete,
  };
}

/** The ledger once this Delete released its claim; undefined when the ledger holds no claim of it (nothing to write). */
export function ledgerAfterDelete(request: DeleteRequest, ledger: LedgerReading | undefined): Ledger | undefined {
  if (ledger?.kind !== 'read' || !ledger.ledger.claims.some((claim) => sameClaim(claim, claimOf(request)))) return undefined;
  return release(ledger.ledger, claimOf(request), decodePhysicalId(request.physicalId).originals).ledger;
}

type Intended = { readonly kind: 'keep'; readonly reason: 'nothing-kept' | 'handed-over' | 'stack-unknown' | 'ledger-unknown'; readonly cause?: string }
  | { readonly kind: 'write'; readonly productId: string; readonly values: PropertyValues };

/**
 * What the Delete would write before live values are judged: by the ledger, each key it governs
 * goes back to the newest other declaration of it (a move to another stack, a rollback) or, with
 * restoreOnDelete, to its original; then restores a declaration of the stack made before the
 * ledger takes over (the stack's listing) are left to it, as before the ledger.
 */
export function intendedWrites(request: DeleteRequest, reading: DeleteReading): Intended {
  const { provisionedProductId: productId, originals: kept } = decodePhysicalId(request.physicalId);
  let restores = restoreCandidate(request)?.originals ?? {};
  let handBacks: PropertyValues = {};
  if (!productId) return { kind: 'keep', reason: 'nothing-kept' };
  if (reading.ledger?.kind === 'unknown') {
    // Another stack may govern the product now: undoing its declaration on a guess is worse than not restoring.
    return declaredKeys(restores).length > 0 ? { kind: 'keep', reason: 'ledger-unknown', cause: reading.ledger.cause } : { kind: 'keep', reason: 'nothing-kept' };
  }
  if (reading.ledger?.kind === 'read') {
    const released = release(reading.ledger.ledger, claimOf(request), kept);
    restores = pickValues(released.writes, (key) => released.restored.includes(key));
    handBacks = pickValues(released.writes, (key) => released.handedBack.includes(key));
    if (declaredKeys(released.writes).length === 0 && released.governedByOthers.length > 0) return { kind: 'keep', reason: 'handed-over' };
  }
  if (declaredKeys(restores).length > 0) {
    if (reading.others.kind === 'unknown') {
      if (declaredKeys(handBacks).length === 0) return { kind: 'keep', reason: 'stack-unknown', cause: reading.others.cause };
      restores = {};
    } else {
      restores = notHandedOver(restores, reading.others);
      if (declaredKeys(restores).length === 0 && declaredKeys(handBacks).length === 0) return { kind: 'keep', reason: 'handed-over' };
    }
  }
  const values = { ...restores, ...handBacks };
  return declaredKeys(values).length > 0 ? { kind: 'write', productId, values } : { kind: 'keep', reason: 'nothing-kept' };
}

export function planDelete(request: DeleteRequest, reading: DeleteReading | undefined): DeleteAction {
  if (!reading) {
    return { kind: 'keep', reason: 'nothing-kept' };
  }
  const intended = intendedWrites(request, reading);
  if (intended.kind === 'keep') return intended;
  if (!reading.activity) {
    return { kind: 'keep', reason: 'handed-over' };
  }
  const ours = intended.values;
  const change = (values: PropertyValues): ChangeToStart => ({
    idempotencyToken: request.token, provisionedProductId: intended.productId, values, acceptLanguage: request.acceptLanguage,
    writeEvenIfShown: ownerSetByDeclaration(values, request.declared),
  });
  switch (reading.activity.kind) {
    case 'gone': return { kind: 'keep', reason: 'product-gone', cause: reading.activity.cause };
    case 'unreadable': return { kind: 'keep', reason: 'product-unreadable', cause: reading.activity.cause };
    case 'busy': return { kind: 'restore-when-free', change: change(ours), cause: reading.activity.cause };
    case 'idle': break;
  }
  if (!reading.live) {
    return { kind: 'keep', reason: 'handed-over' };
  }
  const { drifted, unknown } = compareWithLive(ours, reading.live);
  const setByDeclaration = ownerSetByDeclaration(ours, request.declared);
  // A value that could not be read is restored too: putting back the original is harmless.
  const restore = pickValues(ours, (key) => drifted[key] !== undefined || unknown.includes(key) || setByDeclaration.includes(key));
  if (declaredKeys(restore).length === 0) {
    return { kind: 'keep', reason: 'originals-in-place' };
  }
  return { kind: 'restore', change: change(restore) };
}
