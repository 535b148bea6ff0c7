/**
 * What an observation of a record or a busy product means, as pure functions: terminal,
 * pending, or a typed failure. Shared by a deploy's wait and a drift run's.
 */
import { RecordFailure, StartFailure } from '../failures';
import { RecordErrorEntry } from '../messages';

/** The status of a record just started, before a poll has read it (the API's first RecordStatus). */
export const INITIAL_RECORD_STATUS = 'CREATED';
/** The terminal status of a record that succeeded. */
export const SUCCEEDED_STATUS = 'SUCCEEDED';

export type RecordVerdict = 'succeeded' | 'failed' | 'pending';

/** Only SUCCEEDED and FAILED are terminal; CREATED, IN_PROGRESS and IN_PROGRESS_IN_ERROR are not. */
export function classifyRecordStatus(status: string | undefined): RecordVerdict {
  switch (status) {
    case SUCCEEDED_STATUS: return 'succeeded';
    case 'FAILED': return 'failed';
    default: return 'pending';
  }
}

/**
 * How long DescribeRecord may answer ResourceNotFoundException for a record that
 * UpdateProvisionedProductProperties has just returned. Undocumented: terraform-provider-aws's
 * record waiter treats NOT_FOUND as pending for a while, which suggests read lag after a change.
 */
export const RECORD_VISIBILITY_GRACE_MS = 30_000;

/** What one DescribeRecord poll saw. */
export type PollObservation =
  | { readonly kind: 'record'; readonly status: string | undefined; readonly errors: readonly RecordErrorEntry[] }
  | { readonly kind: 'transient-error'; readonly error: string }
  /** ResourceNotFoundException: the record may not be readable yet. */
  | { readonly kind: 'not-found'; readonly error: string };

export type PollDecision =
  | { readonly kind: 'complete'; readonly status: string }
  | { readonly kind: 'fail'; readonly failure: RecordFailure }
  | { readonly kind: 'pending'; readonly lastStatus: string };

export interface PollContext {
  readonly provisionedProductId: string;
  readonly recordId: string;
  readonly timeoutSeconds: number;
  readonly deadline: number;
  readonly now: number;
  /** When the change was started, for the grace given to a record not found yet. */
  readonly startedAt: number;
  /** The last status seen, for the timeout message when this poll saw none. */
  readonly lastStatus: string;
}

/**
 * Judges one poll. A transient error (throttling past the SDK's retries, a 5xx, a reset) is
 * pending, never a failure: a throw from isComplete fails the deploy at once.
 */
export function judgePoll(ctx: PollContext, observation: PollObservation): PollDecision {
  const record = { productId: ctx.provisionedProductId, recordId: ctx.recordId };
  const status = observation.kind === 'record' ? observation.status ?? ctx.lastStatus : ctx.lastStatus;
  if (observation.kind === 'record') {
    const verdict = classifyRecordStatus(observation.status);
    if (verdict === 'succeeded') {
      return { kind: 'complete', status: SUCCEEDED_STATUS };
    }
    if (verdict === 'failed') {
      return { kind: 'fail', failure: { kind: 'record-failed', ...record, errors: observation.errors } };
    }
  }
  if (observation.kind === 'not-found' && ctx.now - ctx.startedAt >= RECORD_VISIBILITY_GRACE_MS) {
    return { kind: 'fail', failure: { kind: 'record-not-found', ...record, graceSeconds: RECORD_VISIBILITY_GRACE_MS / 1000, cause: observation.error } };
  }
  if (ctx.now >= ctx.deadline) {
    const lastError = observation.kind === 'record' ? undefined : observation.error;
    return { kind: 'fail', failure: { kind: 'record-timed-out', ...record, lastStatus: status, timeoutSeconds: ctx.timeoutSeconds, lastError } };
  }
  return { kind: 'pending', lastStatus: status };
}

/** Product statuses that end by themselves (the API reference: "wait for an AVAILABLE status"). */
export const BUSY_PRODUCT_STATUSES: readonly string[] = ['UNDER_CHANGE', 'PLAN_IN_PROGRESS'];

export type BusyDecision = { readonly kind: 'wait' } | { readonly kind: 'fail'; readonly failure: StartFailure };

/**
 * After Service Catalog refused an update with InvalidStateException: wait while the product is
 * busy with another operation (UNDER_CHANGE, PLAN_IN_PROGRESS, or a status not read), until the
 * deadline. TAINTED and ERROR do not pass by themselves, so waiting for them would only delay
 * the failure.
 */
export function judgeBusyProduct(ctx: { provisionedProductId: string; status: string | undefined; cause: string;
  now: number; deadline: number; timeoutSeconds: number; }): BusyDecision {
  const productId = ctx.provisionedProductId;
  if (ctx.status !== undefined && !BUSY_PRODUCT_STATUSES.includes(ctx.status) && ctx.status !== 'AVAILABLE') {
    return { kind: 'fail', failure: { kind: 'product-not-updatable', productId, status: ctx.status, cause: ctx.cause } };
  }
  if (ctx.now >= ctx.deadline) {
    return { kind: 'fail', failure: { kind: 'product-busy-timed-out', productId, status: ctx.status ?? 'unknown', timeoutSeconds: ctx.timeoutSeconds, cause: ctx.cause } };
  }
  return { kind: 'wait' };
}
