/**
 * One product of a drift run: read its live owner and launch role, compare them with the
 * declaration, and start the correction where they drifted. The record is not waited for here:
 * the run follows every started record in one loop (record-watch.ts).
 */
import { DriftTarget } from '../../lib/shared/drift-payload';
import { startChange } from '../product/change-starter';
import { declaredProperties, idempotencyToken } from '../decisions';
import { compareWithLive, liveValue } from '../product/live-comparison';
import { readLiveProperties, resolveProduct } from '../product/live-state';
import { DriftReport } from './metrics';
import { HandlerDeps } from '../runtime';
import { OUT_OF_TIME, describeError } from '../service-catalog';

/** The report's fields that say which product of which run. */
export type ReportBase = Pick<DriftReport, 'stackName' | 'eventId' | 'provisionedProductId' | 'provisionedProductName'>;

export type CheckResult =
  | { readonly kind: 'report'; readonly report: DriftReport }
  | { readonly kind: 'drifted'; readonly base: ReportBase & { provisionedProductId: string }; readonly drift: DriftReport['drift'] };

/** Reads and compares; never throws. A check cut short by the run's end is pending, not failed. */
export async function checkProduct(deps: HandlerDeps, base: ReportBase, target: DriftTarget, deadline: number): Promise<CheckResult> {
  try {
    const product = await resolveProduct(deps, target, target.acceptLanguage, deadline);
    const productId = product.id;
    const live = await readLiveProperties(deps, productId, declaredProperties(target), target.acceptLanguage, deadline, product.detail);
    const { drifted, unknown } = compareWithLive(declaredProperties(target), live);
    const drift = Object.fromEntries(Object.entries(drifted).map(([key, declared]) =>
      [key, { declared: declared!, live: liveValue(key as 'OWNER' | 'LAUNCH_ROLE', live) }]));
    const known = { ...base, provisionedProductId: productId };
    if (Object.keys(drifted).length > 0) {
      return { kind: 'drifted', base: known, drift };
    }
    // A value Search did not list is unknown, not drifted: no write on a guess.
    return {
      kind: 'report',
      report: unknown.length === 0
        ? { ...known, drift, action: 'none' }
        : { ...known, drift, action: 'check-incomplete', reason: `${unknown.join(', ')} could not be read (not listed by SearchProvisionedProducts)` },
    };
  } catch (error) {
    return { kind: 'report', report: { ...base, drift: {}, ...cutShort(error, 'check') } };
  }
}

export type StartResult =
  | { readonly kind: 'report'; readonly report: Pick<DriftReport, 'action' | 'reason' | 'recordId'> }
  | { readonly kind: 'started'; readonly recordId: string; readonly status: string; readonly startedAt: number };

/**
 * Starts the correction: every declared key, with a token from the stack, the product and the
 * EventBridge event's id, so that a redelivery of the event gets the same record back.
 */
export async function startCorrection(deps: HandlerDeps, eventId: string, base: ReportBase & { provisionedProductId: string },
  target: DriftTarget, deadline: number): Promise<StartResult> {
  const token = idempotencyToken({ StackId: base.stackName, LogicalResourceId: base.provisionedProductId, RequestId: eventId });
  try {
    const started = await startChange(deps, { idempotencyToken: token, provisionedProductId: base.provisionedProductId,
      properties: declaredProperties(target), acceptLanguage: target.acceptLanguage }, token, deadline);
    switch (started.kind) {
      case 'started':
        return started;
      case 'refused':
        return { kind: 'report', report: { action: 'correction-failed', reason: `${started.reason === 'busy' ? 'the product is busy with another operation' : 'the change was refused'} (${started.cause}); the next run tries again` } };
      case 'no-answer':
        // The call may have started a change: the next run reads the product and sees.
        return { kind: 'report', report: { action: 'correction-pending', reason: `no answer to the change (${started.cause}); it may have started, and the next run sees its result` } };
    }
  } catch (error) {
    return { kind: 'report', report: cutShort(error, 'correction') };
  }
}

/** A failure, or, when the run ran out of time for the call, work left for the next run. */
function cutShort(error: unknown, what: 'check' | 'correction'): Pick<DriftReport, 'action' | 'reason'> {
  const { name, message } = describeError(error);
  return name === OUT_OF_TIME
    ? { action: what === 'check' ? 'check-pending' : 'correction-pending', reason: `the run ended before the ${what} could finish; the next run ${what === 'check' ? 'checks' : 'corrects'} it` }
    : { action: what === 'check' ? 'check-failed' : 'correction-failed', reason: message };
}
