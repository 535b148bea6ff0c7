/**
 * The handler's decisions, as pure functions: what to call, how long to wait before the next poll,
 * and what a record status means. No I/O here, so every rule is tested without a network.
 */
import { createHash } from 'crypto';
import { DesiredProperties } from '../lib/shared/wire-contract';
import {
  RecordErrorEntry, productBusyTimedOutMessage, productNotUpdatableMessage, recordFailedMessage, recordNotFoundMessage,
  recordTimedOutMessage,
} from './messages';

/** The keys of UpdateProvisionedProductProperties that this library manages. */
export type PropertyKey = 'OWNER' | 'LAUNCH_ROLE';

/** The properties sent to UpdateProvisionedProductProperties. */
export type PropertyMap = Partial<Record<PropertyKey, string>>;

export type UpdatePlan =
  | { readonly kind: 'apply'; readonly properties: PropertyMap }
  | { readonly kind: 'skip' };

/** What the previous template declared, read leniently: it was validated when it was deployed. */
export interface PreviousProperties {
  readonly provisionedProductId?: unknown;
  readonly provisionedProductName?: unknown;
  readonly owner?: unknown;
  readonly launchRoleArn?: unknown;
  readonly restoreOnDelete?: unknown;
  /** ProductRevision and DeployCheck, as `DesiredProperties.recheckKeys` encodes them. */
  readonly recheckKeys?: unknown;
}

/**
 * Sends every declared key, so each change re-asserts the whole declaration. An Update is skipped
 * when the product is the same and every declared value equals the previous one: nothing to
 * apply. (A key that is no longer declared is simply no longer enforced.) Turning restoreOnDelete
 * on is not skipped: the values to restore must be captured.
 */
export function planPropertiesUpdate(desired: DesiredProperties, previous?: PreviousProperties): UpdatePlan {
  const properties = declaredProperties(desired);
  const unchanged = previous !== undefined
    && previous.provisionedProductId === desired.provisionedProductId
    && previous.provisionedProductName === desired.provisionedProductName
    && (desired.owner === undefined || previous.owner === desired.owner)
    && (desired.launchRoleArn === undefined || previous.launchRoleArn === desired.launchRoleArn)
    && (!desired.restoreOnDelete || previous.restoreOnDelete === 'true')
    // The linked product changed, or a check on every deploy: read again, write only what drifted.
    && previous.recheckKeys === desired.recheckKeys;
  return unchanged ? { kind: 'skip' } : { kind: 'apply', properties };
}

/** OWNER and LAUNCH_ROLE as declared, leaving out what is not declared. */
export function declaredProperties(declared: { owner?: string; launchRoleArn?: string }): PropertyMap {
  return {
    ...(declared.owner !== undefined ? { OWNER: declared.owner } : {}),
    ...(declared.launchRoleArn !== undefined ? { LAUNCH_ROLE: declared.launchRoleArn } : {}),
  };
}

/**
 * The physical id is the provisioned product id. With restoreOnDelete, it also carries the
 * original owner and launch role: CloudFormation keeps the physical id across Lambda restarts and
 * Updates, and sends it back on Delete, so no other store is needed.
 */
const RESTORE_MARKER = '/restore:';
/** CloudFormation's limit for a physical resource id. */
export const MAX_PHYSICAL_ID_LENGTH = 1024;

export function encodePhysicalId(provisionedProductId: string, originals?: PropertyMap): string {
  if (!originals) {
    return provisionedProductId;
  }
  return provisionedProductId + RESTORE_MARKER + Buffer.from(JSON.stringify(originals), 'utf8').toString('base64url');
}

export function decodePhysicalId(physicalId: string | undefined): { provisionedProductId?: string; originals?: PropertyMap } {
  if (!physicalId) {
    return {};
  }
  const at = physicalId.indexOf(RESTORE_MARKER);
  if (at < 0) {
    return { provisionedProductId: physicalId };
  }
  try {
    const originals = JSON.parse(Buffer.from(physicalId.slice(at + RESTORE_MARKER.length), 'base64url').toString('utf8'));
    return { provisionedProductId: physicalId.slice(0, at), originals: declaredProperties({ owner: originals.OWNER, launchRoleArn: originals.LAUNCH_ROLE }) };
  } catch {
    return { provisionedProductId: physicalId.slice(0, at) };
  }
}

/**
 * The same CloudFormation request always yields the same token, so a re-invoked Lambda gets the
 * original record back instead of making a second change. 64 hex characters fit the token shape.
 */
export function idempotencyToken(request: { StackId: string; LogicalResourceId: string; RequestId: string }): string {
  return createHash('sha256')
    .update([request.StackId, request.LogicalResourceId, request.RequestId].join('\n'))
    .digest('hex');
}

/**
 * The token of a later attempt, after the first was refused or went unanswered. A refusal created
 * nothing, by its answer, but whether the service then remembers the token with its refusal is
 * undocumented, so attempts within an invocation never share one. Deterministic from the 5 s slot
 * of the wait and the attempt's number in the invocation: an invocation that follows another
 * within the slot reuses its token, so a change whose answer was lost gets its record back.
 */
export function retryToken(firstToken: string, elapsedMs: number, attemptInInvocation: number): string {
  const slot = Math.floor(Math.max(0, elapsedMs) / RETRY_TOKEN_SLOT_MS);
  return createHash('sha256').update(`${firstToken}/retry/${slot}/${attemptInInvocation}`).digest('hex');
}
export const RETRY_TOKEN_SLOT_MS = 5_000;

export type RecordVerdict = 'succeeded' | 'failed' | 'pending';

/** Only SUCCEEDED and FAILED are terminal; CREATED, IN_PROGRESS and IN_PROGRESS_IN_ERROR are not. */
export function classifyRecordStatus(status: string | undefined): RecordVerdict {
  switch (status) {
    case 'SUCCEEDED': return 'succeeded';
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

/** Why a wait for a record ended without success. */
export type RecordFailure = 'record-failed' | 'timed-out' | 'record-not-found' | 'poll-refused';

export type PollDecision =
  | { readonly kind: 'complete'; readonly status: string }
  | { readonly kind: 'fail'; readonly failure: RecordFailure; readonly message: string }
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
  const status = observation.kind === 'record' ? observation.status ?? ctx.lastStatus : ctx.lastStatus;
  if (observation.kind === 'record') {
    const verdict = classifyRecordStatus(observation.status);
    if (verdict === 'succeeded') {
      return { kind: 'complete', status: 'SUCCEEDED' };
    }
    if (verdict === 'failed') {
      return { kind: 'fail', failure: 'record-failed', message: recordFailedMessage(ctx.provisionedProductId, ctx.recordId, observation.errors) };
    }
  }
  if (observation.kind === 'not-found' && ctx.now - ctx.startedAt >= RECORD_VISIBILITY_GRACE_MS) {
    return { kind: 'fail', failure: 'record-not-found', message: recordNotFoundMessage(ctx.provisionedProductId, ctx.recordId, RECORD_VISIBILITY_GRACE_MS / 1000, observation.error) };
  }
  if (ctx.now >= ctx.deadline) {
    const lastError = observation.kind === 'record' ? undefined : observation.error;
    return { kind: 'fail', failure: 'timed-out', message: recordTimedOutMessage(ctx.provisionedProductId, ctx.recordId, status, ctx.timeoutSeconds, lastError) };
  }
  return { kind: 'pending', lastStatus: status };
}

/** Product statuses that end by themselves: an update refused as busy is worth retrying. */
const TRANSIENT_PRODUCT_STATUSES = ['UNDER_CHANGE', 'PLAN_IN_PROGRESS'];

export type BusyDecision = { readonly kind: 'wait' } | { readonly kind: 'fail'; readonly message: string };

/**
 * After Service Catalog refused an update with InvalidStateException: wait while the product is
 * busy with another operation (UNDER_CHANGE, PLAN_IN_PROGRESS, or a status not read), until the
 * deadline. TAINTED and ERROR do not pass by themselves, so waiting for them would only delay
 * the failure.
 */
export function judgeBusyProduct(ctx: { provisionedProductId: string; status: string | undefined; cause: string;
  now: number; deadline: number; timeoutSeconds: number; }): BusyDecision {
  if (ctx.status !== undefined && !TRANSIENT_PRODUCT_STATUSES.includes(ctx.status) && ctx.status !== 'AVAILABLE') {
    return { kind: 'fail', message: productNotUpdatableMessage(ctx.provisionedProductId, ctx.status, ctx.cause) };
  }
  if (ctx.now >= ctx.deadline) {
    return { kind: 'fail', message: productBusyTimedOutMessage(ctx.provisionedProductId, ctx.status ?? 'unknown', ctx.timeoutSeconds, ctx.cause) };
  }
  return { kind: 'wait' };
}
