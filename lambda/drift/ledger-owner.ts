/**
 * The owner the ledger proves (lib/shared/ledger.ts), for the readers that judge a product's live
 * owner: the drift check, the compliance rule and `plan`. Search can show an OWNER change late (how
 * late is undocumented); while our own last record is the product's last one and SUCCEEDED, the
 * product has the owner that record wrote, and Search is not asked. The drift run alone writes the
 * ledger (recordCorrection), after a correction of its own SUCCEEDED.
 */
import { DescribeRecordCommand, ProvisionedProductDetail } from '@aws-sdk/client-service-catalog';
import { Declaration, PropertyValues } from '../../lib/shared/declaration';
import { LedgerReading, ownerKnownFromLedger, withWritten } from '../../lib/shared/ledger';
import { readLedger, readLedgers, updateLedger } from '../ledger/store';
import { describeProduct } from '../product/live-state';
import { HandlerDeps } from '../runtime';
import { callBefore, describeError } from '../service-catalog';

/**
 * The ledgers of the products a run reads. A read may answer what the parameter held before its
 * last put (whether reads are consistent after a write is undocumented): a batch read that proves
 * nothing is read once more, and where our record is not the product's last, the ledger is read on
 * its own until it settles (readLedger).
 */
export interface LedgerLookup {
  /** The product's ledger: from the batches, or read on its own until it settles (a product declared by name). */
  of(productId: string): Promise<LedgerReading>;
  /** The product's ledger read again, on its own, until it settles. */
  again(productId: string): Promise<LedgerReading>;
}

/** Whether the reading holds a record of ours that wrote an OWNER: only such a ledger can prove one. */
export function holdsOurOwner(reading: LedgerReading | undefined): reading is Extract<LedgerReading, { kind: 'read' }> {
  return reading?.kind === 'read' && reading.ledger.written?.values.OWNER !== undefined;
}

/** The ledgers of `productIds`, 10 per call, and again those read without a record of ours. */
export async function readLedgersTwice(deps: HandlerDeps, productIds: readonly string[], deadline: number): Promise<Map<string, LedgerReading>> {
  const first = await readLedgers(deps, [...new Set(productIds)], deadline);
  const again = await readLedgers(deps, [...first].filter(([, reading]) => reading.kind === 'read' && !holdsOurOwner(reading)).map(([id]) => id), deadline);
  for (const [id, reading] of again) if (reading.kind === 'read') first.set(id, reading);
  return first;
}

/**
 * The ledgers of the products declared by id with an OWNER; a product declared by name has its
 * ledger read once its id is known. Each unreadable ledger is logged: its owner is read from Search.
 */
export async function lookUpLedgers(deps: HandlerDeps, declarations: readonly Declaration[], deadline: number): Promise<LedgerLookup> {
  const ids = declarations.flatMap((d) => (d.product.id !== undefined && d.values.OWNER !== undefined ? [d.product.id] : []));
  const batched = await readLedgersTwice(deps, ids, deadline);
  const unknown = [...batched.values()].filter((reading): reading is Extract<LedgerReading, { kind: 'unknown' }> => reading.kind === 'unknown');
  if (unknown.length > 0) {
    deps.log('WARN: some ledgers could not be read; the owner of those products is read from SearchProvisionedProducts, which may show a change late',
      { level: 'WARN', products: unknown.length, cause: unknown[0].cause });
  }
  const logged = (productId: string) => (reading: LedgerReading) => {
    if (reading.kind === 'unknown') {
      deps.log('WARN: the ledger could not be read; the owner is read from SearchProvisionedProducts', { level: 'WARN', productId, cause: reading.cause });
    }
    return reading;
  };
  return {
    of: async (productId) => batched.get(productId) ?? readLedger(deps, productId, deadline).then(logged(productId)),
    again: (productId) => readLedger(deps, productId, deadline).then(logged(productId)),
  };
}

/** What the ledger proved: `owner` when it did, and the product's detail when it had to be read for that. */
export interface LedgerProof {
  readonly owner?: string;
  readonly detail?: ProvisionedProductDetail;
}

/**
 * The owner the product's ledger proves. Only a ledger holding a record of ours with an OWNER
 * costs reads: the product's LastRecordId (from `known`, else DescribeProvisionedProduct), and the
 * status of that record only when it is ours. A read that fails throws, as the product's other reads do.
 */
export async function proveOwner(deps: HandlerDeps, productId: string, ledgers: LedgerLookup, acceptLanguage: string | undefined,
  deadline: number, known?: ProvisionedProductDetail): Promise<LedgerProof> {
  let reading = await ledgers.of(productId);
  if (!holdsOurOwner(reading)) return { detail: known };
  const detail = known ?? await describeProduct(deps, productId, acceptLanguage, deadline);
  const lastRecordId = detail?.LastRecordId;
  if (lastRecordId !== undefined && lastRecordId !== reading.ledger.written!.recordId) {
    // The product's last record may be ours, in a put this read did not see yet.
    const again = await ledgers.again(productId);
    if (holdsOurOwner(again)) reading = again;
  }
  if (lastRecordId === undefined || lastRecordId !== reading.ledger.written!.recordId) return { detail };
  const status = await recordStatus(deps, lastRecordId, acceptLanguage, deadline);
  return { owner: ownerKnownFromLedger(reading.ledger, lastRecordId, status), detail };
}

/** undefined when the record is not found (records can appear late: undocumented). */
async function recordStatus(deps: HandlerDeps, recordId: string, acceptLanguage: string | undefined, deadline: number): Promise<string | undefined> {
  try {
    const output = await callBefore(deps, deadline, (o) => deps.client.send(new DescribeRecordCommand({ Id: recordId, AcceptLanguage: acceptLanguage }), o));
    return output.RecordDetail?.Status;
  } catch (error) {
    if (describeError(error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * Records a correction whose record SUCCEEDED as our last record on the product, so that the next
 * readers need not wait for Search. Best effort: a failed write is logged, and the readers then
 * read Search, as before the ledger.
 */
export async function recordCorrection(deps: HandlerDeps, productId: string, written: { recordId: string; values: PropertyValues },
  deadline: number): Promise<void> {
  const result = await updateLedger(deps, productId, deadline, (ledger) => withWritten(ledger, written));
  if (result.kind === 'failed') {
    deps.log('WARN: the correction is not recorded in the ledger; until Search shows it, the next checks may find the old owner and correct again',
      { level: 'WARN', productId, recordId: written.recordId, cause: result.cause });
  }
}
