/**
 * The reads and the write of one product of a drift run: its live owner and launch role, and the
 * start of a correction. Neither throws: a failure is a report, and a call cut short by the run's
 * end leaves the product pending for the next run. The record is not waited for here: the run
 * follows every started record in one loop (record-watch.ts).
 */
import { Declaration } from '../../lib/shared/declaration';
import { ChangeToStart, startChange } from '../product/change-starter';
import { LiveProperties, readLiveProperties, resolveProduct } from '../product/live-state';
import { HandlerDeps } from '../runtime';
import { DeployFailure } from '../failures';
import { OUT_OF_TIME, describeError, isRetryableLater } from '../service-catalog';
import { LedgerLookup, proveOwner } from './ledger-owner';
import { DriftReport } from './metrics';

export type ProductReading =
  | { readonly kind: 'read'; readonly productId: string; readonly live: LiveProperties }
  | { readonly kind: 'report'; readonly report: Pick<DriftReport, 'action' | 'reason'> };

/** `ledgerOf`: the products' ledgers, for an owner the ledger proves (ledger-owner.ts); without it, Search is read. */
export async function readProduct(deps: HandlerDeps, declaration: Declaration, deadline: number, ledgerOf?: LedgerLookup): Promise<ProductReading> {
  const language = declaration.acceptLanguage;
  try {
    const product = await resolveProduct(deps, declaration.product, language, deadline);
    const proof = ledgerOf && declaration.values.OWNER !== undefined
      ? await proveOwner(deps, product.id, ledgerOf, language, deadline, product.detail)
      : { detail: product.detail };
    const live = await readLiveProperties(deps, product.id, declaration.values, language, deadline, proof.detail, proof.owner);
    return { kind: 'read', productId: product.id, live };
  } catch (error) {
    return { kind: 'report', report: cutShort(error, 'check') };
  }
}

export type StartResult =
  | { readonly kind: 'report'; readonly report: Pick<DriftReport, 'action' | 'reason'> }
  | { readonly kind: 'started'; readonly recordId: string; readonly status: string; readonly startedAt: number };

export async function startCorrection(deps: HandlerDeps, change: ChangeToStart, deadline: number): Promise<StartResult> {
  try {
    const started = await startChange(deps, change, change.idempotencyToken, deadline);
    switch (started.kind) {
      case 'started':
        return started;
      case 'refused':
        // A busy product (InvalidStateException) frees itself; a principal refused is for a person to fix.
        return started.reason === 'busy'
          ? { kind: 'report', report: { action: 'correction-pending', reason: `the product is busy with another operation (${started.cause}); the next run tries again` } }
          : { kind: 'report', report: { action: 'correction-failed', reason: `the change was refused (${started.cause}); the next run tries again` } };
      case 'no-answer':
        // The call may have started a change: the next run reads the product and sees.
        return { kind: 'report', report: { action: 'correction-pending', reason: `no answer to the change (${started.cause}); it may have started, and the next run sees its result` } };
    }
  } catch (error) {
    return { kind: 'report', report: cutShort(error, 'correction') };
  }
}

/**
 * Pending when the call had no answer that a person could act on (throttled past the SDK's
 * retries, a 5xx, a reset, the run out of time, a product name not answered for): the next run
 * tries again. Failed only for an answer that needs a person (access denied, no such product).
 */
function cutShort(error: unknown, what: 'check' | 'correction'): Pick<DriftReport, 'action' | 'reason'> {
  const { name, message } = describeError(error);
  if (name === OUT_OF_TIME) {
    return { action: `${what}-pending`, reason: `the run ended before the ${what} could finish; the next run ${what === 'check' ? 'checks' : 'corrects'} it` };
  }
  const unanswered = error instanceof DeployFailure ? error.failure.kind === 'product-name-unanswered' : isRetryableLater(error);
  return unanswered
    ? { action: `${what}-pending`, reason: `Service Catalog did not answer (${error instanceof DeployFailure ? error.message : `${name}: ${message}`}); the next run tries again` }
    : { action: `${what}-failed`, reason: message };
}
