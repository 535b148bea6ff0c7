/**
 * Drift correction: on a schedule, compare each declared product's live owner and launch role
 * with the declaration, re-apply where they drifted, and wait for the record as on deploy.
 * One product's failure never stops the others; each product gets one log line with metrics.
 */
import { DriftCorrectionEvent, DriftTarget, decodeDriftEvent } from '../lib/shared/drift-payload';
import { startChange } from './change-starter';
import { declaredProperties, driftedProperties, idempotencyToken } from './decisions';
import { readLiveProperties, resolveProductId } from './live-state';
import { DriftReport, driftLogLine } from './metrics';
import { followRecord } from './record-poller';
import { HandlerDeps } from './runtime';
import { describeError } from './service-catalog';

/** How long one correction may wait for its record. */
export const DRIFT_RECORD_TIMEOUT_SECONDS = 120;
/**
 * How long a run may spend waiting for records in all, within the function's 15 minutes. Past
 * it, corrections are still started, and reported as pending: the next run sees their result.
 */
export const DRIFT_WAIT_BUDGET_MS = 12 * 60_000;

export interface ScheduledEvent {
  /** EventBridge's id of this delivery: the same on a retried delivery. */
  readonly id?: string;
  readonly detail?: unknown;
}

export interface DriftSummary {
  readonly checked: number;
  readonly drifted: number;
  readonly corrected: number;
  readonly failed: number;
  readonly invalid: number;
}

export async function correctDrift(event: DriftCorrectionEvent & ScheduledEvent, deps: HandlerDeps & { emit: (line: string) => void }): Promise<DriftSummary> {
  const { targets, invalid } = decodeDriftEvent(event, undefined);
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
  const base = { stackName: event.stackName, provisionedProductId: target.provisionedProductId, provisionedProductName: target.provisionedProductName };
  try {
    const productId = await resolveProductId(deps.client, target, target.acceptLanguage);
    const live = await readLiveProperties(deps.client, productId, declaredProperties(target), target.acceptLanguage);
    const drifted = driftedProperties(declaredProperties(target), live);
    const drift = Object.fromEntries(Object.entries(drifted).map(([key, declared]) =>
      [key, { declared: declared!, live: (key === 'OWNER' ? live.owner : live.launchRoleArn) ?? null }]));
    if (Object.keys(drifted).length === 0) {
      return { ...base, provisionedProductId: productId, drift, action: 'none' };
    }
    return { ...base, provisionedProductId: productId, drift, ...await reapply(deps, event, productId, target, waitBudgetEndsAt) };
  } catch (error) {
    return { ...base, drift: {}, action: 'check-failed', reason: describeError(error).message };
  }
}

/** Re-applies every declared key, then waits for the record as a deploy would. */
async function reapply(deps: HandlerDeps, event: DriftCorrectionEvent & ScheduledEvent, productId: string, target: DriftTarget,
  waitBudgetEndsAt: number): Promise<Pick<DriftReport, 'action' | 'recordId' | 'reason'>> {
  const waitStartedAt = deps.now();
  let started;
  try {
    started = await startChange(deps, {
      // A retried delivery of the same scheduled event makes no second change.
      idempotencyToken: idempotencyToken({ StackId: event.stackName, LogicalResourceId: productId, RequestId: event.id ?? String(waitStartedAt) }),
      provisionedProductId: productId,
      properties: declaredProperties(target),
      acceptLanguage: target.acceptLanguage,
    });
  } catch (error) {
    return { action: 'correction-failed', reason: describeError(error).message };
  }
  if (started.kind === 'busy') {
    return { action: 'correction-failed', reason: started.message };
  }
  const recordId = started.recordId;
  const outcome = await followRecord(deps, {
    provisionedProductId: productId, recordId, acceptLanguage: target.acceptLanguage, waitStartedAt,
    timeoutSeconds: Math.max(0, Math.min(DRIFT_RECORD_TIMEOUT_SECONDS, Math.floor((waitBudgetEndsAt - waitStartedAt) / 1000))),
    lastStatus: 'CREATED',
  }, { handBack: false });
  switch (outcome.kind) {
    case 'complete': return { action: 'corrected', recordId };
    case 'fail': return { action: outcome.message.startsWith('Timed out') ? 'correction-pending' : 'correction-failed', recordId, reason: outcome.message };
    default: return { action: 'correction-pending', recordId };
  }
}
