/**
 * Follows a Service Catalog record until it is terminal, with reads only: DescribeRecord on the
 * poll schedule (a young record's first poll after a random share of the fast delay) until the
 * invocation's deadline, then a hand-back to the framework's waiter.
 * Returns a decision instead of throwing, so each caller chooses what a failure means.
 */
import { DescribeRecordCommand } from '@aws-sdk/client-service-catalog';
import { RecordFailure } from '../failures';
import { HandlerDeps } from '../runtime';
import { callBefore, describeError, isRetryableLater, isThrottling } from '../service-catalog';
import { PollDecision, PollObservation, judgePoll } from './judgements';
import { firstPollDelayMs, nextPoll } from './poll-schedule';

export interface RecordToFollow {
  readonly provisionedProductId: string;
  readonly recordId: string;
  readonly acceptLanguage?: string;
  /** When the change was started: a record not found yet is pending for a grace period after it. */
  readonly startedAt: number;
  /** The resource's deadline: past it, the wait fails with the record's last status. */
  readonly deadline: number;
  readonly timeoutSeconds: number;
  readonly lastStatus: string;
}

export type FollowOutcome =
  | Exclude<PollDecision, { kind: 'pending' }>
  | { readonly kind: 'hand-back'; readonly lastStatus: string };

/** Polls until the record is terminal, the deadline passes, or the invocation must return (`invocationDeadline`). */
export async function followRecord(deps: HandlerDeps, record: RecordToFollow, invocationDeadline: number): Promise<FollowOutcome> {
  let lastStatus = record.lastStatus;
  let throttledPolls = 0;
  const firstDelay = Math.min(firstPollDelayMs(deps.now() - record.startedAt, deps.random()), record.deadline - deps.now());
  if (firstDelay > 0 && deps.now() + firstDelay <= invocationDeadline) {
    await deps.sleep(firstDelay);
  }
  for (let polls = 1; ; polls++) {
    const polledAt = deps.now();
    const observation = await describeRecord(deps, record, invocationDeadline);
    const throttled = 'throttled' in observation && observation.throttled;
    if (throttled) {
      throttledPolls++;
    }
    if (observation.kind === 'fatal') {
      return { kind: 'fail', failure: observation.failure };
    }
    const decision = judgePoll({ ...record, now: deps.now(), lastStatus }, observation);
    if (decision.kind !== 'pending') {
      deps.log(`record ${decision.kind === 'complete' ? 'succeeded' : 'failed'}`, { recordId: record.recordId, polls });
      return decision;
    }
    lastStatus = decision.lastStatus;
    // The delay runs from when this poll was sent, so that the time a call takes does not stretch the
    // schedule (polls still start at least the fast delay apart); after a throttled poll, from its answer.
    const from = throttled ? deps.now() : polledAt;
    const next = nextPoll({
      elapsedMs: from - record.startedAt, now: from, handBackAt: invocationDeadline, deadline: record.deadline,
      throttledPolls, random: deps.random(),
    });
    if (next.kind === 'hand-back') {
      deps.log('record still pending; handing back to the waiter', { recordId: record.recordId, lastStatus, polls });
      return { kind: 'hand-back', lastStatus };
    }
    await deps.sleep(Math.max(0, next.ms - (deps.now() - from)));
  }
}

/** A poll, and whether Service Catalog throttled it (answered only after the SDK's retries, or not at all). */
type Observed = (PollObservation & { readonly throttled: boolean }) | { readonly kind: 'fatal'; readonly failure: RecordFailure };

/** One DescribeRecord, as an observation for judgePoll, or the refusal that ends the wait. */
export async function describeRecord(deps: HandlerDeps, record: Pick<RecordToFollow, 'provisionedProductId' | 'recordId' | 'acceptLanguage'>,
  callDeadline: number): Promise<Observed> {
  try {
    const output = await callBefore(deps, callDeadline, (o) => deps.client.send(new DescribeRecordCommand({
      Id: record.recordId, AcceptLanguage: record.acceptLanguage,
    }), o));
    const throttled = (output.$metadata?.attempts ?? 1) > 1;
    return { kind: 'record', status: output.RecordDetail?.Status, errors: output.RecordDetail?.RecordErrors ?? [], throttled };
  } catch (error) {
    const { name, message } = describeError(error);
    if (name === 'ResourceNotFoundException') {
      deps.log('DescribeRecord did not find the record yet; will poll again', { recordId: record.recordId, error: message });
      return { kind: 'not-found', error: `${name}: ${message}`, throttled: false };
    }
    if (isRetryableLater(error)) {
      deps.log('DescribeRecord failed transiently; will poll again', { recordId: record.recordId, error: `${name}: ${message}` });
      return { kind: 'transient-error', error: `${name}: ${message}`, throttled: isThrottling(error) };
    }
    return { kind: 'fatal', failure: { kind: 'poll-refused', productId: record.provisionedProductId, recordId: record.recordId, cause: { name, message } } };
  }
}
