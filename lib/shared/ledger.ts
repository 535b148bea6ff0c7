/**
 * The ledger: one SSM String parameter per governed provisioned product, shared by every stack
 * of the account and Region. It holds what no single stack can see:
 * - `claims`, the declarations of the product in every stack, oldest first; the newest one that
 *   declares a key governs it. A Delete hands a key back to the declaration that still governs it,
 *   so a declaration moved to another stack is never undone, in either deploy order.
 * - `originals`, the values before the first declaration with restoreOnDelete, kept while one holds them.
 * - `written`, our own last properties record on the product and the values it wrote: while that
 *   record is the product's last one and SUCCEEDED, the product has those values, whatever a
 *   lagging Search shows (how long Search lags after an OWNER change is undocumented).
 *
 * Pure: bundled into the Lambda and the CLI, so it must not import aws-cdk-lib.
 */
import { PropertyKey, PropertyValues, declaredKeys, pickValues } from './declaration';

/** Every ledger parameter's name starts with this path; the handler role may touch nothing else in SSM. */
export const LEDGER_PARAMETER_PATH = '/cdk-provisioned-product-properties/ledger';
/** The Standard tier's largest value (SSM quotas): a ledger that would pass it is refused, never cut. */
export const LEDGER_MAX_CHARS = 4096;

export function ledgerParameterName(productId: string): string {
  return `${LEDGER_PARAMETER_PATH}/${productId}`;
}

/** One declaration of the product: one custom resource, named as CloudFormation names it. */
export interface LedgerClaim {
  readonly stackId: string;
  readonly logicalId: string;
  readonly physicalId: string;
  readonly declared: PropertyValues;
  readonly restoreOnDelete: boolean;
}

export interface WrittenRecord {
  readonly recordId: string;
  readonly values: PropertyValues;
}

export interface Ledger {
  readonly claims: readonly LedgerClaim[];
  /** '' marks a key the product had no value for. */
  readonly originals?: PropertyValues;
  readonly written?: WrittenRecord;
}

export const EMPTY_LEDGER: Ledger = { claims: [] };

/** What a read of the ledger gave: `unknown` (denied, unanswered, unparsable) is never taken as empty. */
export type LedgerReading =
  | { readonly kind: 'read'; readonly ledger: Ledger; readonly exists: boolean }
  | { readonly kind: 'unknown'; readonly cause: string };

export class LedgerTooLarge extends Error {
  constructor(readonly productId: string, readonly chars: number) {
    super(`the ledger of ${productId} would be ${chars} characters, over SSM's Standard tier limit of ${LEDGER_MAX_CHARS}: `
      + `too many declarations of one product at once (${LEDGER_PARAMETER_PATH}/${productId}); remove some`);
    this.name = 'LedgerTooLarge';
  }
}

/** The parameter's value; undefined when it is not a ledger this version can read. */
export function parseLedger(text: string): Ledger | undefined {
  try {
    const raw = JSON.parse(text) as { v?: unknown; claims?: unknown; originals?: unknown; written?: unknown };
    if (raw.v !== 1 || !Array.isArray(raw.claims)) return undefined;
    const claims = raw.claims.map(parseClaim);
    if (claims.some((claim) => claim === undefined)) return undefined;
    const written = raw.written as { recordId?: unknown; values?: unknown } | undefined;
    return {
      claims: claims as LedgerClaim[],
      originals: raw.originals === undefined ? undefined : values(raw.originals),
      written: typeof written?.recordId === 'string' ? { recordId: written.recordId, values: values(written.values) } : undefined,
    };
  } catch {
    return undefined;
  }
}

export function serializeLedger(productId: string, ledger: Ledger): string {
  const text = JSON.stringify({ v: 1, claims: ledger.claims, originals: ledger.originals, written: ledger.written });
  if (text.length > LEDGER_MAX_CHARS) throw new LedgerTooLarge(productId, text.length);
  return text;
}

export function sameClaim(a: Pick<LedgerClaim, 'stackId' | 'logicalId' | 'physicalId'>, b: Pick<LedgerClaim, 'stackId' | 'logicalId' | 'physicalId'>): boolean {
  return a.stackId === b.stackId && a.logicalId === b.logicalId && a.physicalId === b.physicalId;
}

/**
 * The originals another declaration holds, to take over instead of reading the values in place
 * (which are that declaration's, not the originals). Undefined when no other claim holds any.
 */
export function originalsHeldByOthers(ledger: Ledger, claim: Pick<LedgerClaim, 'stackId' | 'logicalId' | 'physicalId'>): PropertyValues | undefined {
  const held = ledger.claims.some((other) => other.restoreOnDelete && !sameClaim(other, claim));
  return held ? ledger.originals : undefined;
}

/**
 * The ledger with `claim` as the newest (an Update moves its claim to the end). `originals` are
 * added for keys the ledger has none for; without any claim with restoreOnDelete, none are kept
 * (README: turned on again, restoreOnDelete keeps the values in place then).
 */
export function withClaim(ledger: Ledger, claim: LedgerClaim, originals: PropertyValues | undefined): Ledger {
  const claims = [...ledger.claims.filter((other) => !sameClaim(other, claim)), claim];
  const merged = { ...(claim.restoreOnDelete ? originals : undefined), ...ledger.originals };
  return { ...ledger, claims, originals: keptOriginals(claims, merged) };
}

export function withWritten(ledger: Ledger, written: WrittenRecord): Ledger {
  return { ...ledger, written };
}

/** What a Delete does to the product and the ledger: per key, hand back, restore, or nothing. */
export interface Release {
  readonly ledger: Ledger;
  /** The values to write: each key handed back to the newest declaration still declaring it, or restored. */
  readonly writes: PropertyValues;
  readonly handedBack: readonly PropertyKey[];
  readonly restored: readonly PropertyKey[];
  /** Keys a newer declaration governs: this Delete leaves them alone. */
  readonly governedByOthers: readonly PropertyKey[];
}

/**
 * Releases `claim`. A claim the ledger does not hold (made before the ledger existed) is taken as
 * the oldest, with `ownOriginals` (those its physical id kept); any claim the ledger holds is newer.
 */
export function release(ledger: Ledger, claim: LedgerClaim, ownOriginals: PropertyValues | undefined): Release {
  const all = ledger.claims.some((other) => sameClaim(other, claim)) ? ledger.claims : [claim, ...ledger.claims];
  const remaining = ledger.claims.filter((other) => !sameClaim(other, claim));
  const originals = { ...ownOriginals, ...ledger.originals };
  const writes: Partial<Record<PropertyKey, string>> = {};
  const handedBack: PropertyKey[] = [];
  const restored: PropertyKey[] = [];
  const governedByOthers: PropertyKey[] = [];
  for (const key of declaredKeys(claim.declared)) {
    const governor = newestDeclaring(all, key)!;
    const next = newestDeclaring(remaining, key);
    if (!sameClaim(governor, claim)) {
      governedByOthers.push(key);
    } else if (next) {
      writes[key] = next.declared[key];
      handedBack.push(key);
    } else if (claim.restoreOnDelete && originals[key]) {
      writes[key] = originals[key];
      restored.push(key);
    }
  }
  const next: Ledger = { ...ledger, claims: remaining, originals: keptOriginals(remaining, ledger.originals ?? {}) };
  return { ledger: next, writes, handedBack, restored, governedByOthers };
}

/**
 * The owner the product has after our own last record, when that record is the product's last one
 * and SUCCEEDED: every other change (a console edit, another tool, a provisioning) makes a newer record.
 */
export function ownerKnownFromLedger(ledger: Ledger | undefined, lastRecordId: string | undefined, lastRecordStatus: string | undefined): string | undefined {
  const written = ledger?.written;
  return written && lastRecordId === written.recordId && lastRecordStatus === 'SUCCEEDED' ? written.values.OWNER : undefined;
}

function newestDeclaring(claims: readonly LedgerClaim[], key: PropertyKey): LedgerClaim | undefined {
  return [...claims].reverse().find((claim) => claim.declared[key] !== undefined);
}

function keptOriginals(claims: readonly LedgerClaim[], originals: PropertyValues): PropertyValues | undefined {
  return claims.some((claim) => claim.restoreOnDelete) && declaredKeys(originals).length > 0 ? originals : undefined;
}

function parseClaim(raw: unknown): LedgerClaim | undefined {
  const claim = raw as Partial<Record<keyof LedgerClaim, unknown>> | undefined;
  if (typeof claim?.stackId !== 'string' || typeof claim.logicalId !== 'string' || typeof claim.physicalId !== 'string') return undefined;
  return { stackId: claim.stackId, logicalId: claim.logicalId, physicalId: claim.physicalId, declared: values(claim.declared), restoreOnDelete: claim.restoreOnDelete === true };
}

function values(raw: unknown): PropertyValues {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return pickValues({ OWNER: asString(record.OWNER), LAUNCH_ROLE: asString(record.LAUNCH_ROLE) }, () => true);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
