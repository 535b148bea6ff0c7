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

export async function readLedger(deps: HandlerDeps, productId: string, deadline: number): Promise<LedgerReading> {
  const name = ledgerParameterName(productId);
  try {
    const output = await callBefore(deps, deadline, (o) => deps.ssm.send(new GetParameterCommand({ Name: name }), o));
    return readingOf(name, output.Parameter?.Value);
  } catch (error) {
    const { name: errorName, message } = describeError(error);
    if (errorName === 'ParameterNotFound') return { kind: 'read', ledger: { claims: [] }, exists: false };
    return { kind: 'unknown', cause: `ssm:GetParameter ${name}: ${errorName}: ${message}` };
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
