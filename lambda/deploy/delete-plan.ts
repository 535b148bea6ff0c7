/**
 * What a Delete does, decided once from the request and what the shell read. A Delete never
 * fails and makes no write, unless restoreOnDelete kept originals that are no longer in place and
 * no other declaration of the product in the stack takes it over (a replacement or a rename).
 * Live values are judged only once nothing runs on the product: a failed Create's change may
 * still be running, and would land after a judgement made now. While one runs, the restore is
 * left to isComplete, which waits for it within the resource's timeout.
 */
import { PropertyKey, PropertyValues, declaredKeys, pickValues } from '../../lib/shared/declaration';
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

/** Whether other declarations take every kept key over: then live values are not read, and nothing is restored. */
export function handedOver(others: OtherDeclarations, originals: PropertyValues): boolean {
  return declaredKeys(notHandedOver(originals, others)).length === 0;
}

export interface DeleteReading {
  readonly others: OtherDeclarations;
  /** Read only when not `handedOver`. */
  readonly activity?: ProductActivity;
  /** Read only when the product is idle. */
  readonly live?: LiveProperties;
}

export type DeleteAction =
  | { readonly kind: 'keep'; readonly reason: 'nothing-kept' | 'handed-over' | 'stack-unknown' | 'originals-in-place' | 'product-gone' | 'product-unreadable';
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

export function planDelete(request: DeleteRequest, reading: DeleteReading | undefined): DeleteAction {
  const candidate = restoreCandidate(request);
  if (!candidate || !reading) {
    return { kind: 'keep', reason: 'nothing-kept' };
  }
  if (reading.others.kind === 'unknown') {
    // Undoing a live declaration on a guess is worse than not restoring.
    return { kind: 'keep', reason: 'stack-unknown', cause: reading.others.cause };
  }
  const ours = notHandedOver(candidate.originals, reading.others);
  if (declaredKeys(ours).length === 0 || !reading.activity) {
    return { kind: 'keep', reason: 'handed-over' };
  }
  const change = (values: PropertyValues): ChangeToStart => ({
    idempotencyToken: request.token, provisionedProductId: candidate.productId, values, acceptLanguage: request.acceptLanguage,
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
