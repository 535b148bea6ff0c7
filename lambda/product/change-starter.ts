/**
 * Starts a change with UpdateProvisionedProductProperties, and waits for a product that cannot
 * take it yet with reads only. Once a call may have started a change, no further write is sent
 * while a record runs: whether the service answers a replayed token with its record while the
 * product is UNDER_CHANGE with that very change is undocumented.
 */
import { UpdateProvisionedProductPropertiesCommand } from '@aws-sdk/client-service-catalog';
import { PropertyValues } from '../../lib/shared/declaration';
import { DeployFailure, StartFailure } from '../failures';
import { HandlerDeps, timeoutDeadline } from '../runtime';
import { callBefore, describeError, isRetryableLater } from '../service-catalog';
import { BUSY_PRODUCT_STATUSES, INITIAL_RECORD_STATUS, judgeBusyProduct } from './judgements';
import { compareWithLive, inDeclaredState } from './live-comparison';
import { describeProduct, readLiveProperties } from './live-state';
import { nextPoll } from './poll-schedule';
import { retryToken } from './tokens';

export interface ChangeToStart {
  /** The first attempt's token: the same request delivered twice gets the same record. */
  readonly idempotencyToken: string;
  readonly provisionedProductId: string;
  /** Every declared key: each change re-asserts the whole declaration. */
  readonly values: PropertyValues;
  readonly acceptLanguage?: string;
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
  const startedAt = deps.now();
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
  return { kind: 'started', recordId: output.RecordId, status: output.Status ?? INITIAL_RECORD_STATUS, startedAt };
}

export type WaitOutcome =
  | Extract<StartAttempt, { kind: 'started' }>
  /** The product already has the declared values: a change of ours finished, or none was needed. */
  | { readonly kind: 'in-place' }
  | { readonly kind: 'hand-back' }
  | { readonly kind: 'fail'; readonly failure: StartFailure };

export interface WaitTiming {
  readonly waitStartedAt: number;
  readonly timeoutSeconds: number;
  /** When this invocation must stop calling out and return. */
  readonly invocationDeadline: number;
}

/**
 * Waits until the product can take the change, then starts it: reads the product's status while
 * it is busy, and its live values once it is free, so that a change that did start (its answer
 * lost) is seen in place instead of being sent again.
 */
export async function startWhenFree(deps: HandlerDeps, change: ChangeToStart, timing: WaitTiming): Promise<WaitOutcome> {
  const deadline = timeoutDeadline(timing.waitStartedAt, timing.timeoutSeconds);
  // Reads go on until the invocation must return; the resource's deadline decides when to give up.
  const callDeadline = timing.invocationDeadline;
  for (let polls = 1; ; polls++) {
    const step = await tryOnce(deps, change, timing, callDeadline, polls).catch((error: unknown) => {
      if (error instanceof DeployFailure || !isRetryableLater(error)) throw error;
      const { name, message } = describeError(error);
      return { kind: 'wait' as const, cause: `${name}: ${message}`, status: undefined };
    });
    if (step.kind !== 'wait') {
      return step;
    }
    const cause = step.cause;
    if (deps.now() >= deadline) {
      return { kind: 'fail', failure: {
        kind: 'product-busy-timed-out', productId: change.provisionedProductId, status: step.status ?? 'unknown', timeoutSeconds: timing.timeoutSeconds, cause,
      } };
    }
    const next = nextPoll({
      elapsedMs: deps.now() - timing.waitStartedAt, now: deps.now(), handBackAt: timing.invocationDeadline, deadline, random: deps.random(),
    });
    if (next.kind === 'hand-back') {
      deps.log('the change has not started yet; handing back to the waiter', { productId: change.provisionedProductId, cause });
      return { kind: 'hand-back' };
    }
    await deps.sleep(next.ms);
  }
}

type Step = WaitOutcome | { readonly kind: 'wait'; readonly cause: string; readonly status?: string };

async function tryOnce(deps: HandlerDeps, change: ChangeToStart, timing: WaitTiming, callDeadline: number, attempt: number): Promise<Step> {
  const detail = await describeProduct(deps, change.provisionedProductId, change.acceptLanguage, callDeadline);
  const status = detail?.Status;
  if (status !== undefined && BUSY_PRODUCT_STATUSES.includes(status)) {
    return { kind: 'wait', cause: `the product is ${status}`, status };
  }
  // The detail just read has the launch role: one DescribeProvisionedProduct per try, not two.
  const live = await readLiveProperties(deps, change.provisionedProductId, change.values, change.acceptLanguage, callDeadline, detail);
  if (inDeclaredState(compareWithLive(change.values, live))) {
    deps.log('the product has the declared properties', { productId: change.provisionedProductId });
    return { kind: 'in-place' };
  }
  const elapsed = deps.now() - timing.waitStartedAt;
  const call = await startChange(deps, change, retryToken(change.idempotencyToken, elapsed, attempt), callDeadline);
  switch (call.kind) {
    case 'started':
      return call;
    case 'no-answer':
      return { kind: 'wait', cause: call.cause, status };
    case 'refused':
      if (call.reason === 'principal') {
        return elapsed >= PRINCIPAL_PROPAGATION_WINDOW_MS
          ? { kind: 'fail', failure: { kind: 'principal-not-accepted', productId: change.provisionedProductId, retriedSeconds: Math.round(elapsed / 1000), cause: call.cause } }
          : { kind: 'wait', cause: call.cause, status };
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
  return decision.kind === 'fail' ? decision : { kind: 'wait', cause, status };
}
