/**
 * Reads and writes the ledger (lib/shared/ledger.ts) in SSM Parameter Store. A read that is denied,
 * unanswered or unparsable is `unknown`, never an empty ledger: deciding a hand-over on a guess
 * could undo another stack's live declaration. The parameter is a Standard-tier String (values are
 * ARNs, no secret), written with Overwrite, and never deleted: its last record stays useful.
 */
import { GetParameterCommand, GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Ledger, LedgerReading, ledgerParameterName, parseLedger, serializeLedger } from '../../lib/shared/ledger';
import type { HandlerDeps } from '../runtime';
import { callBefore, describeError } from '../service-catalog';

let client: SSMClient | undefined;

/** One client per Lambda container; the endpoint honours AWS_ENDPOINT_URL_SSM. */
export function ssmClient(): SSMClient {
  client ??= new SSMClient({ retryMode: 'adaptive', maxAttempts: 8 });
  return client;
}

/** How many reads a settled read makes at most: SSM may answer a read just after a write with the value before it. */
const SETTLE_READS = 3;

/**
 * The ledger, read until two reads in a row give the same version (at most SETTLE_READS): whether
 * a read right after a PutParameter can still answer the value before it is undocumented, and a
 * ledger written over a stale read would drop another stack's declaration.
 */
export async function readLedger(deps: HandlerDeps, productId: string, deadline: number): Promise<LedgerReading> {
  let previous = await readOnce(deps, productId, deadline);
  for (let reads = 1; reads < SETTLE_READS && previous.version !== undefined; reads++) {
    const next = await readOnce(deps, productId, deadline);
    if (next.version === previous.version) return next.reading;
    previous = next;
  }
  return previous.reading;
}

/** One GetParameter; `version` is undefined when there is nothing to compare (an error), and 0 when no ledger exists. */
async function readOnce(deps: HandlerDeps, productId: string, deadline: number): Promise<{ reading: LedgerReading; version?: number }> {
  const name = ledgerParameterName(productId);
  try {
    const output = await callBefore(deps, deadline, (o) => deps.ssm.send(new GetParameterCommand({ Name: name }), o));
    return { reading: readingOf(name, output.Parameter?.Value), version: output.Parameter?.Version ?? -1 };
  } catch (error) {
    const { name: errorName, message } = describeError(error);
    if (errorName === 'ParameterNotFound') return { reading: { kind: 'read', ledger: { claims: [] }, exists: false }, version: 0 };
    return { reading: { kind: 'unknown', cause: `ssm:GetParameter ${name}: ${errorName}: ${message}` } };
  }
}

/** Waits before each read again of a ledger that is behind the product. */
export const LEDGER_REREAD_DELAYS_MS: readonly number[] = [500, 1_000, 2_000];
const PROPERTIES_RECORD = 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES';

/**
 * The ledger, read again while the product's last record is a properties update the ledger does
 * not name: that may be another stack's change whose claim was written moments ago, and whether
 * SSM answers a read made just after a write with the value before it is undocumented. Any other
 * last record (a provisioning) needs no second read; one still unknown after the waits is taken as
 * a change made outside the ledger (the console, another tool).
 */
export async function readLedgerConsistentWith(deps: HandlerDeps, productId: string,
  product: { readonly lastRecordId?: string; readonly lastRecordType?: string }, deadline: number): Promise<LedgerReading> {
  for (let attempt = 0; ; attempt++) {
    const reading = await readLedger(deps, productId, deadline);
    const behind = reading.kind === 'read' && product.lastRecordType === PROPERTIES_RECORD && product.lastRecordId !== undefined
      && reading.ledger.written?.recordId !== product.lastRecordId;
    const delay = LEDGER_REREAD_DELAYS_MS[attempt];
    if (!behind || delay === undefined || deps.now() + delay >= deadline) return reading;
    await deps.sleep(delay);
  }
}

/** Up to 10 products per call (GetParameters' limit); a product without a ledger reads as empty. */
export async function readLedgers(deps: HandlerDeps, productIds: readonly string[], deadline: number): Promise<Map<string, LedgerReading>> {
  const readings = new Map<string, LedgerReading>();
  for (let start = 0; start < productIds.length; start += 10) {
    const batch = productIds.slice(start, start + 10);
    try {
      const output = await callBefore(deps, deadline, (o) => deps.ssm.send(new GetParametersCommand({ Names: batch.map(ledgerParameterName) }), o));
      const values = new Map((output.Parameters ?? []).map((p) => [p.Name, p.Value]));
      for (const id of batch) {
        const name = ledgerParameterName(id);
        readings.set(id, values.has(name) ? readingOf(name, values.get(name)) : { kind: 'read', ledger: { claims: [] }, exists: false });
      }
    } catch (error) {
      const { name, message } = describeError(error);
      for (const id of batch) readings.set(id, { kind: 'unknown', cause: `ssm:GetParameters: ${name}: ${message}` });
    }
  }
  return readings;
}

export type LedgerWrite = { readonly kind: 'written' } | { readonly kind: 'failed'; readonly cause: string };

/** Writes `ledger` whole. Throws nothing: the caller decides what a failed write means. */
export async function writeLedger(deps: HandlerDeps, productId: string, ledger: Ledger, deadline: number): Promise<LedgerWrite> {
  const name = ledgerParameterName(productId);
  try {
    const value = serializeLedger(productId, ledger);
    await callBefore(deps, deadline, (o) => deps.ssm.send(new PutParameterCommand({
      Name: name, Value: value, Type: 'String', Overwrite: true, Tier: 'Standard',
      Description: 'cdk-provisioned-product-properties: the declarations of this provisioned product and our last record',
    }), o));
    return { kind: 'written' };
  } catch (error) {
    const { name: errorName, message } = describeError(error);
    return { kind: 'failed', cause: `ssm:PutParameter ${name}: ${errorName}: ${message}` };
  }
}

/** Reads, changes and writes the ledger of one product; `unknown` reads are not written over. */
export async function updateLedger(deps: HandlerDeps, productId: string, deadline: number,
  change: (ledger: Ledger) => Ledger): Promise<LedgerWrite> {
  const reading = await readLedger(deps, productId, deadline);
  if (reading.kind === 'unknown') return { kind: 'failed', cause: reading.cause };
  return writeLedger(deps, productId, change(reading.ledger), deadline);
}

function readingOf(name: string, value: string | undefined): LedgerReading {
  const ledger = value === undefined ? undefined : parseLedger(value);
  return ledger ? { kind: 'read', ledger, exists: true } : { kind: 'unknown', cause: `${name} is not a ledger this version can read` };
}
