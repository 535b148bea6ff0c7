/**
 * Follows a Service Catalog record until it is terminal: DescribeRecord with a short growing
 * backoff inside the fast-poll window, then (for isComplete) a hand-back to the framework's
 * waiter. Returns a decision instead of throwing, so each caller chooses what a failure means.
 */
import { DescribeRecordCommand } from '@aws-sdk/client-service-catalog';
import { FAST_POLL, PollDecision, PollObservation, judgePoll, nextPoll } from './decisions';
import { pollFailedMessage } from './messages';
import { HandlerDeps } from './runtime';
import { describeError, isRetryableLater } from './service-catalog';

export interface RecordToFollow {
  readonly provisionedProductId: string;
  readonly recordId: string;
  readonly acceptLanguage?: string;
  readonly waitStartedAt: number;
  readonly timeoutSeconds: number;
  readonly lastStatus: string;
}

export type FollowOutcome = PollDecision | { readonly kind: 'hand-back'; readonly lastStatus: string };

/**
 * `handBack: true` (isComplete) returns after the fast-poll window, for the waiter to call again;
 * `handBack: false` (drift correction) keeps polling every 2 s until the deadline.
 */
export async function followRecord(deps: HandlerDeps, record: RecordToFollow, options: { handBack: boolean }): Promise<FollowOutcome> {
  const deadline = record.waitStartedAt + record.timeoutSeconds * 1000;
  let lastStatus = record.lastStatus;
  for (let polls = 1; ; polls++) {
    const observation = await describeRecord(deps, record);
    if (observation.kind === 'fatal') {
      return { kind: 'fail', message: observation.message };
    }
    const decision = judgePoll({ ...record, deadline, now: deps.now(), lastStatus }, observation);
    if (decision.kind !== 'pending') {
      deps.log(`record ${decision.kind === 'complete' ? 'succeeded' : 'failed'}`, { recordId: record.recordId, polls });
      return decision;
    }
    lastStatus = decision.lastStatus;
    const next = nextPoll({
      pollsSoFar: polls, now: deps.now(), waitStartedAt: record.waitStartedAt, deadline,
      windowMs: options.handBack ? FAST_POLL.windowMs : Infinity,
    });
    if (next.kind === 'hand-back') {
      deps.log('record still pending; handing back to the waiter', { recordId: record.recordId, lastStatus, polls });
      return { kind: 'hand-back', lastStatus };
    }
    await deps.sleep(next.ms);
  }
}

async function describeRecord(deps: HandlerDeps, record: RecordToFollow): Promise<PollObservation | { kind: 'fatal'; message: string }> {
  try {
    const output = await deps.client.send(new DescribeRecordCommand({
      Id: record.recordId, AcceptLanguage: record.acceptLanguage,
    }));
    return { kind: 'record', status: output.RecordDetail?.Status, errors: output.RecordDetail?.RecordErrors ?? [] };
  } catch (error) {
    const { name, message } = describeError(error);
    if (isRetryableLater(error)) {
      deps.log('DescribeRecord failed transiently; will poll again', { recordId: record.recordId, error: `${name}: ${message}` });
      return { kind: 'transient-error', error: `${name}: ${message}` };
    }
    return { kind: 'fatal', message: pollFailedMessage(record.provisionedProductId, record.recordId, name, message) };
  }
}
