/**
 * Starts a change with UpdateProvisionedProductProperties, and waits for a product that cannot
 * take it yet with reads only. Once a call may have started a change, no further write is sent
 * while a record runs: whether the service answers a replayed token with its record while the
 * product is UNDER_CHANGE with that very change is undocumented.
 */
import { UpdateProvisionedProductPropertiesCommand } from '@aws-sdk/client-service-catalog';
import { PropertyKey, PropertyValues } from '../../lib/shared/declaration';
import { ownerKnownFromLedger } from '../../lib/shared/ledger';
import { DeployFailure, StartFailure } from '../failures';
import { readLedgerConsistentWith } from '../ledger/store';
import { HandlerDeps, timeoutDeadline } from '../runtime';
import { callBefore, describeError, isRetryableLater } from '../service-catalog';
import { readActivity } from './activity';
import { INITIAL_RECORD_STATUS, judgeBusyProduct } from './judgements';
import { compareWithLive, inDeclaredState } from './live-comparison';
import { readLiveProperties } from './live-state';
import { nextPoll } from './poll-schedule';
import { attemptToken } from './tokens';

export interface ChangeToStart {
  /** The first attempt's token: the same request delivered twice gets the same record. */
  readonly idempotencyToken: string;
  readonly provisionedProductId: string;
  /** Every declared key: each change re-asserts the whole declaration. */
  readonly values: PropertyValues;
  readonly acceptLanguage?: string;
  /**
   * Keys written even when the live read already shows their value: a restore of an OWNER the
   * deleted declaration changed, which Search may not show yet (undocumented how late it can be).
   */
  readonly writeEvenIfShown?: readonly PropertyKey[];
}

/**
 * What one call did. `refused` is proven by its answer to have created nothing; `no-answer`
 * (throttled past the SDK's retries, a 5xx, out of time) may or may not have started a change.
 */
export type StartAttempt =
  | { readonly kind: 'started'; readonly recordId: string; readonly status: string; readonly startedAt: number }
  | { readonly kind: 'refused'; readonly reason: 'busy' | 'principal'; readonly cause: string }
  | { readonly kind: 'no-answer'; readonly cause: string };

/**
 * How long an InvalidParametersException is retried: an IAM principal created in the same deploy
 * may not have propagated yet (undocumented; terraform-provider-aws retries this class of error).
 * The handler has already checked the ARN's shape, account and partition.
 */
export const PRINCIPAL_PROPAGATION_WINDOW_MS = 120_000;

/** One call; throws a DeployFailure for a refusal that waiting cannot change. */
export async function startChange(deps: HandlerDeps, change: ChangeToStart, token: string, deadline: number): Promise<StartAttempt> {
  const input = {
    ProvisionedProductId: change.provisionedProductId,
    ProvisionedProductProperties: change.values,
    IdempotencyToken: token,
    AcceptLanguage: change.acceptLanguage,
  };
  deps.log('calling UpdateProvisionedProductProperties', { input });
  let output;
  try {
    output = await callBefore(deps, deadline, (o) => deps.client.send(new UpdateProvisionedProductPropertiesCommand(input), o));
  } catch (error) {
    const { name, message } = describeError(error);
    const cause = `${name}: ${message}`;
    if (name === 'InvalidStateException' || name === 'InvalidParametersException') {
      deps.log('the change was refused; it will be retried', { productId: change.provisionedProductId, error: cause });
      return { kind: 'refused', reason: name === 'InvalidStateException' ? 'busy' : 'principal', cause };
    }
    if (isRetryableLater(error)) {
      deps.log('no answer to the change; the product will be read before anything else is sent', { productId: change.provisionedProductId, error: cause });
      return { kind: 'no-answer', cause };
    }
    throw new DeployFailure({ kind: 'update-rejected', productId: change.provisionedProductId, cause: { name, message } });
  }
  if (!output.RecordId) {
    throw new DeployFailure({ kind: 'no-record-id', productId: change.provisionedProductId });
  }
  deps.log('record started', { recordId: output.RecordId, status: output.Status });
  // The record's grace (judgements.ts) counts from the change's answer, not from before the call.
  return { kind: 'started', recordId: output.RecordId, status: output.Status ?? INITIAL_RECORD_STATUS, startedAt: deps.now() };
}

export type WaitOutcome =
  | Extract<StartAttempt, { kind: 'started' }>
  /** The product already has the declared values: a change of ours finished, or none was needed. `lastRecordId`: the product's now. */
  | { readonly kind: 'in-place'; readonly lastRecordId?: string }
  | { readonly kind: 'hand-back' }
  | { readonly kind: 'fail'; readonly failure: StartFailure };

export interface WaitTiming {
  readonly waitStartedAt: number;
  readonly timeoutSeconds: number;
  /** When this invocation must stop calling out and return. */
  readonly invocationDeadline: number;
}

/** Why a try did not start the change: each ends differently when the deadline passes. */
type WaitReason = 'busy' | 'principal' | 'no-answer';

/**
 * Waits until nothing runs on the product (activity.ts), then judges its live values and starts
 * the change: a change that did start (its answer lost) is seen running, then in place, instead of
 * being sent again; an unanswered call is retried with its own token (tokens.ts).
 */
export async function startWhenFree(deps: HandlerDeps, change: ChangeToStart, timing: WaitTiming): Promise<WaitOutcome> {
  const deadline = timeoutDeadline(timing.waitStartedAt, timing.timeoutSeconds);
  // Reads go on until the invocation must return; the resource's deadline decides when to give up.
  const callDeadline = timing.invocationDeadline;
  let refusals = 0;
  for (;;) {
    const step = await tryOnce(deps, change, timing, callDeadline, refusals).catch((error: unknown) => {
      if (error instanceof DeployFailure || !isRetryableLater(error)) throw error;
      const { name, message } = describeError(error);
      return { kind: 'wait' as const, reason: 'no-answer' as const, cause: `${name}: ${message}`, status: undefined, refused: false };
    });
    if (step.kind !== 'wait') {
      return step;
    }
    if (step.refused) refusals++;
    if (deps.now() >= deadline) {
      return { kind: 'fail', failure: timedOut(change, step, timing, deps.now()) };
    }
    const next = nextPoll({
      elapsedMs: deps.now() - timing.waitStartedAt, now: deps.now(), handBackAt: timing.invocationDeadline, deadline, random: deps.random(),
    });
    if (next.kind === 'hand-back') {
      deps.log('the change has not started yet; handing back to the waiter', { productId: change.provisionedProductId, cause: step.cause });
      return { kind: 'hand-back' };
    }
    await deps.sleep(next.ms);
  }
}

type WaitStep = { readonly kind: 'wait'; readonly reason: WaitReason; readonly cause: string; readonly status?: string; readonly refused: boolean };
type Step = WaitOutcome | WaitStep;

/** The failure at the deadline: a principal Service Catalog refused is named as such, not as a busy product. */
function timedOut(change: ChangeToStart, step: WaitStep, timing: WaitTiming, now: number): StartFailure {
  const productId = change.provisionedProductId;
  return step.reason === 'principal'
    ? { kind: 'principal-not-accepted', productId, retriedSeconds: Math.round((now - timing.waitStartedAt) / 1000), cause: step.cause }
    : { kind: 'product-busy-timed-out', productId, status: step.status ?? 'unknown', timeoutSeconds: timing.timeoutSeconds, cause: step.cause };
}

async function tryOnce(deps: HandlerDeps, change: ChangeToStart, timing: WaitTiming, callDeadline: number, refusals: number): Promise<Step> {
  const productId = change.provisionedProductId;
  const activity = await readActivity(deps, productId, change.acceptLanguage, callDeadline);
  switch (activity.kind) {
    case 'gone': return { kind: 'fail', failure: { kind: 'product-gone', productId, cause: activity.cause } };
    case 'unreadable': return { kind: 'fail', failure: { kind: 'product-unreadable', productId, cause: activity.cause } };
    case 'busy': return { kind: 'wait', reason: 'busy', cause: activity.cause, status: activity.status, refused: false };
    case 'idle': break;
  }
  const status = activity.status;
  // The detail just read has the launch role: one DescribeProvisionedProduct per try, not two.
  // The owner our own last record set, when the ledger proves it: Search may not show it yet.
  // A properties record the ledger does not name yet may be this very request's, delivered twice: read it again first.
  const ledger = change.values.OWNER === undefined ? undefined : await readLedgerConsistentWith(deps, productId, activity, callDeadline);
  const knownOwner = ledger?.kind === 'read' ? ownerKnownFromLedger(ledger.ledger, activity.lastRecordId, activity.lastRecordStatus) : undefined;
  const live = await readLiveProperties(deps, productId, change.values, change.acceptLanguage, callDeadline, activity.detail, knownOwner);
  const mustWrite = change.writeEvenIfShown?.some((key) => change.values[key] !== undefined) ?? false;
  if (!mustWrite && inDeclaredState(compareWithLive(change.values, live))) {
    deps.log('the product has the declared properties', { productId });
    return { kind: 'in-place', lastRecordId: activity.lastRecordId };
  }
  const elapsed = deps.now() - timing.waitStartedAt;
  const call = await startChange(deps, change, attemptToken(change.idempotencyToken, refusals), callDeadline);
  switch (call.kind) {
    case 'started':
      return call;
    case 'no-answer':
      return { kind: 'wait', reason: 'no-answer', cause: call.cause, status, refused: false };
    case 'refused':
      if (call.reason === 'principal') {
        return elapsed >= PRINCIPAL_PROPAGATION_WINDOW_MS
          ? { kind: 'fail', failure: { kind: 'principal-not-accepted', productId, retriedSeconds: Math.round(elapsed / 1000), cause: call.cause } }
          : { kind: 'wait', reason: 'principal', cause: call.cause, status, refused: true };
      }
      return busyStep(change, status, call.cause, deps.now(), timing);
  }
}

/** A busy refusal of a product that is TAINTED or ERROR will not pass by itself: fail at once. */
function busyStep(change: ChangeToStart, status: string | undefined, cause: string, now: number, timing: WaitTiming): Step {
  const decision = judgeBusyProduct({
    provisionedProductId: change.provisionedProductId, status, cause, now,
    deadline: timeoutDeadline(timing.waitStartedAt, timing.timeoutSeconds), timeoutSeconds: timing.timeoutSeconds,
  });
  return decision.kind === 'fail' ? decision : { kind: 'wait', reason: 'busy', cause, status, refused: true };
}
