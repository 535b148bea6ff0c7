/**
 * Drift correction: on a schedule, compare each declared product's live owner and launch role
 * with the declaration, re-apply where they drifted, and wait for the record as on deploy.
 * One product's failure never stops the others; each product gets one log line with metrics.
 */
import { DriftCorrectionEvent, DriftTarget, decodeDriftEvent } from '../lib/shared/drift-payload';
import { startChange } from './change-starter';
import { declaredProperties, idempotencyToken } from './decisions';
import { compareWithLive, liveValue } from './live-comparison';
import { readLiveProperties, resolveProductId } from './live-state';
import { DriftReport, driftLogLine } from './metrics';
import { followRecord } from './record-poller';
import { HandlerDeps, invocationDeadline } from './runtime';
import { describeError } from './service-catalog';

/** How long one correction may wait for its record. */
export const DRIFT_RECORD_TIMEOUT_SECONDS = 120;
/**
 * How long a run may spend waiting for records in all, within the function's 15 minutes. Past
 * it, corrections are still started, and reported as pending: the next run sees their result.
 */
export const DRIFT_WAIT_BUDGET_MS = 12 * 60_000;

/** What the rule's input transformer adds to the input: `$.id` and `$.time` of the EventBridge event. */
export interface ScheduledEvent {
  /** EventBridge's id of the event: the same on a retried delivery. */
  readonly id?: string;
  /** When the schedule fired (ISO 8601). */
  readonly time?: string;
}

/** Why nothing is corrected in a run whose event has no id. */
export const NO_EVENT_ID_REASON = 'not corrected: the event has no EventBridge id (the rule target\'s input transformer '
  + 'passes $.id), so a retried delivery could not be told from a new run and could make a second change. Invoke '
  + 'the function through its schedule, or give the event an "id" that a retry repeats';

export interface DriftSummary {
  readonly checked: number;
  readonly drifted: number;
  readonly corrected: number;
  readonly failed: number;
  readonly invalid: number;
}

export async function correctDrift(event: DriftCorrectionEvent & ScheduledEvent, deps: HandlerDeps & { emit: (line: string) => void }): Promise<DriftSummary> {
  const { targets, invalid } = decodeDriftEvent(event, undefined);
  if (!hasEventId(event)) {
    deps.log('drift correction: ERROR the event has no id; drift is checked and reported, but nothing is corrected',
      { level: 'ERROR', reason: NO_EVENT_ID_REASON, time: event.time });
  }
  for (const entry of invalid) {
    deps.log('drift correction: an entry of the schedule is invalid and was skipped', { ...entry });
  }
  const reports: DriftReport[] = [];
  const waitBudgetEndsAt = deps.now() + DRIFT_WAIT_BUDGET_MS;
  for (const target of targets) {
    const report = await checkOne(deps, event, target, waitBudgetEndsAt);
    deps.emit(driftLogLine(report, deps.now()));
    reports.push(report);
  }
  return {
    checked: reports.length,
    drifted: reports.filter((r) => Object.keys(r.drift).length > 0).length,
    corrected: reports.filter((r) => r.action === 'corrected').length,
    failed: reports.filter((r) => r.action === 'correction-failed' || r.action === 'check-failed').length,
    invalid: invalid.length,
  };
}

async function checkOne(deps: HandlerDeps, event: DriftCorrectionEvent & ScheduledEvent, target: DriftTarget,
  waitBudgetEndsAt: number): Promise<DriftReport> {
  const base = { stackName: event.stackName, eventId: event.id, provisionedProductId: target.provisionedProductId, provisionedProductName: target.provisionedProductName };
  try {
    const deadline = invocationDeadline(deps);
    const productId = await resolveProductId(deps, target, target.acceptLanguage, deadline);
    const live = await readLiveProperties(deps, productId, declaredProperties(target), target.acceptLanguage, deadline);
    const { drifted, unknown } = compareWithLive(declaredProperties(target), live);
    const drift = Object.fromEntries(Object.entries(drifted).map(([key, declared]) =>
      [key, { declared: declared!, live: liveValue(key as 'OWNER' | 'LAUNCH_ROLE', live) }]));
    if (Object.keys(drifted).length === 0) {
      // A value Search did not list is unknown, not drifted: no write on a guess.
      return unknown.length === 0
        ? { ...base, provisionedProductId: productId, drift, action: 'none' }
        : { ...base, provisionedProductId: productId, drift, action: 'check-incomplete', reason: `${unknown.join(', ')} could not be read (not listed by SearchProvisionedProducts)` };
    }
    return { ...base, provisionedProductId: productId, drift, ...await reapply(deps, event, productId, target, waitBudgetEndsAt) };
  } catch (error) {
    return { ...base, drift: {}, action: 'check-failed', reason: describeError(error).message };
  }
}

/** Re-applies every declared key, then waits for the record as a deploy would. */
async function reapply(deps: HandlerDeps, event: DriftCorrectionEvent & ScheduledEvent, productId: string, target: DriftTarget,
  waitBudgetEndsAt: number): Promise<Pick<DriftReport, 'action' | 'recordId' | 'reason'>> {
  if (!hasEventId(event)) {
    return { action: 'correction-failed', reason: NO_EVENT_ID_REASON };
  }
  const waitStartedAt = deps.now();
  const deadline = invocationDeadline(deps);
  // A retried delivery of the same scheduled event makes no second change.
  const token = idempotencyToken({ StackId: event.stackName, LogicalResourceId: productId, RequestId: event.id });
  let started;
  try {
    started = await startChange(deps, { idempotencyToken: token, provisionedProductId: productId, properties: declaredProperties(target),
      acceptLanguage: target.acceptLanguage }, token, deadline);
  } catch (error) {
    return { action: 'correction-failed', reason: describeError(error).message };
  }
  if (started.kind !== 'started') {
    const what = started.kind === 'refused' && started.reason === 'busy' ? 'the product is busy with another operation' : 'the correction did not start';
    return { action: 'correction-failed', reason: `${what} (${started.cause}); the next run tries again` };
  }
  const recordId = started.recordId;
  const timeoutSeconds = Math.max(0, Math.min(DRIFT_RECORD_TIMEOUT_SECONDS, Math.floor((waitBudgetEndsAt - waitStartedAt) / 1000)));
  const outcome = await followRecord(deps, {
    provisionedProductId: productId, recordId, acceptLanguage: target.acceptLanguage, startedAt: started.startedAt,
    deadline: waitStartedAt + timeoutSeconds * 1000, timeoutSeconds, lastStatus: started.status,
  }, { handBackAt: Infinity, invocationDeadline: deadline });
  switch (outcome.kind) {
    case 'complete': return { action: 'corrected', recordId };
    case 'fail': return { action: outcome.failure === 'timed-out' ? 'correction-pending' : 'correction-failed', recordId, reason: outcome.message };
    case 'hand-back': return { action: 'correction-pending', recordId };
  }
}

function hasEventId(event: ScheduledEvent): event is ScheduledEvent & { id: string } {
  return typeof event.id === 'string' && event.id.length > 0;
}
