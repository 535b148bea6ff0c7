/**
 * Drift correction: on a schedule, compare each declared product's live owner and launch role
 * with the declaration, re-apply where they drifted, and follow the records as a deploy does.
 *
 * At scale (about 1,000 declarations in one stack's schedule, within one 15-minute function): a
 * small pool of workers checks products in parallel; a started correction is handed to one loop
 * that polls every running record together; no new product is started once the run nears the
 * function's deadline, and whatever is unfinished then is reported pending, never dropped. One
 * product's failure never stops the others; each product gets one log line with metrics.
 */
import { Declaration } from '../../lib/shared/declaration';
import { DriftMode } from '../../lib/shared/drift-mode';
import { DriftCorrectionEvent, decodeDriftEvent, driftModeOf } from '../../lib/shared/drift-payload';
import { renderFailure } from '../failures';
import { readProduct, startCorrection } from './check';
import { LedgerLookup, lookUpLedgers, recordCorrection } from './ledger-owner';
import { DriftReport, PENDING_ACTIONS, driftLogLine, payloadRefusedLogLine } from './metrics';
import { RecordWatch } from './record-watch';
import { GuardVerdict, StackGuard, stackGuardFromEnvironment } from './stack-guard';
import { HandlerDeps, invocationDeadline } from '../runtime';
import { runPool } from './worker-pool';
import { NO_EVENT_ID_REASON, planDriftCorrection } from './plan';

export { NO_EVENT_ID_REASON } from './plan';

/** Products checked at once. Each check makes one or two reads; SDK retries absorb throttling. */
export const DRIFT_CONCURRENCY = 8;
/** How long one correction's record is followed, from its start. */
export const DRIFT_RECORD_TIMEOUT_SECONDS = 120;
/**
 * The run's own bound, within the function's 15 minutes, for when the remaining time is not
 * known (outside Lambda). In Lambda, the function's deadline (less a safety margin) also bounds it.
 */
export const DRIFT_RUN_BUDGET_MS = 14 * 60_000;
/** No product is started this close to the run's end: its reads and its start call need the time. */
export const DRIFT_START_RESERVE_MS = 60_000;

/**
 * Records that end a wait without a verdict: still running at their timeout, or not visible yet
 * past their grace (records appear late: undocumented). The next run reads the product and sees.
 */
const RECORD_PENDING_FAILURES: readonly string[] = ['record-timed-out', 'record-not-found'];

/** What the rule's input transformer adds to the input: `$.id` and `$.time` of the EventBridge event. */
export interface ScheduledEvent {
  /** EventBridge's id of the event: the same on a retried delivery. */
  readonly id?: string;
  /** When the schedule fired (ISO 8601). */
  readonly time?: string;
}

/** `checked` excludes products the run could not check; `pending` counts both kinds of pending. */
export interface DriftSummary {
  readonly checked: number;
  readonly drifted: number;
  readonly corrected: number;
  readonly failed: number;
  readonly invalid: number;
  readonly pending: number;
}

/** A run's deps: the handler's, where its metric lines go, and the guard of its stack (by default from the function's environment). */
export type DriftDeps = HandlerDeps & { readonly emit: (line: string) => void; readonly guard?: StackGuard };

export async function correctDrift(event: DriftCorrectionEvent & ScheduledEvent, deps: DriftDeps): Promise<DriftSummary> {
  const guard = deps.guard ?? stackGuardFromEnvironment(deps);
  const startDeadline = Math.min(invocationDeadline(deps), deps.now() + DRIFT_RUN_BUDGET_MS);
  const verdict = await guard.check(event, false, startDeadline);
  if (verdict.kind === 'not-in-force') {
    deps.emit(payloadRefusedLogLine(guard.stackName ?? event.stackName, { eventId: event.id, digest: verdict.digest, targets: verdict.targets }, deps.now()));
    return { ...NOTHING_DONE };
  }
  if (verdict.kind === 'stack-gone') {
    deps.log('drift correction: the stack is gone; nothing to do', { eventId: event.id, cause: verdict.cause });
    return { ...NOTHING_DONE };
  }
  const { declarations, invalid } = decodeDriftEvent(event, undefined);
  const eventId = typeof event.id === 'string' && event.id.length > 0 ? event.id : undefined;
  const mode = driftModeOf(event);
  if (!eventId && mode === DriftMode.CORRECT) {
    deps.log('drift correction: ERROR the event has no id; drift is checked and reported, but nothing is corrected',
      { level: 'ERROR', reason: NO_EVENT_ID_REASON, time: event.time });
  }
  for (const entry of invalid) {
    deps.log('drift correction: an entry of the schedule is invalid and was skipped', { ...entry });
  }
  const runDeadline = startDeadline;
  const reports: DriftReport[] = [];
  const report = (r: DriftReport) => {
    reports.push(r);
    deps.emit(driftLogLine(r, deps.now()));
  };
  // The ledgers are read only when the products will be: an unreadable guard reports them unchecked.
  const ledgerOf: LedgerLookup | undefined = verdict.kind === 'unreadable' ? undefined : await lookUpLedgers(deps, declarations, runDeadline);
  const watch = new RecordWatch(deps, runDeadline, DRIFT_CONCURRENCY);
  const watching = watch.run();
  const corrections: Promise<void>[] = [];

  const checkOne = async (declaration: Declaration) => {
    const named = { stackName: event.stackName, eventId, provisionedProductId: declaration.product.id, provisionedProductName: declaration.product.name };
    if (verdict.kind === 'unreadable') {
      return report({ ...named, drift: {}, action: verdict.retryable ? 'check-pending' : 'check-failed', reason: guardReason(verdict) });
    }
    const reading = await readProduct(deps, declaration, runDeadline, ledgerOf);
    if (reading.kind === 'report') return report({ ...named, drift: {}, ...reading.report });
    const known = { ...named, provisionedProductId: reading.productId };
    const action = planDriftCorrection({ stackName: event.stackName, eventId, mode }, declaration, reading.productId, reading.live);
    if (action.kind === 'report') return report({ ...known, drift: action.drift, action: action.action, reason: action.reason });
    const drifted = { ...known, drift: action.drift };
    // The write waits on nothing after this check: see the README (Drift correction) for the window left.
    const fence = await guard.check(event, true, runDeadline);
    if (fence.kind !== 'in-force') return report({ ...drifted, action: withheldAction(fence), reason: guardReason(fence) });
    const started = await startCorrection(deps, action.change, runDeadline);
    if (started.kind === 'report') return report({ ...drifted, ...started.report });
    // The worker goes on to the next product; the record is followed with the others.
    corrections.push(watch.follow({
      provisionedProductId: reading.productId, recordId: started.recordId, acceptLanguage: declaration.acceptLanguage,
      startedAt: started.startedAt, timeoutSeconds: DRIFT_RECORD_TIMEOUT_SECONDS, lastStatus: started.status,
    }).then(async (outcome) => {
      const recordId = started.recordId;
      switch (outcome.kind) {
        case 'complete':
          await recordInLedger(deps, guard, event, reading.productId, { recordId, values: action.change.values }, runDeadline);
          return report({ ...drifted, action: 'corrected', recordId });
        case 'run-ended': return report({ ...drifted, action: 'correction-pending', recordId,
          reason: `the run ended with the record ${outcome.lastStatus}; the next run sees its result` });
        case 'fail': return report({ ...drifted, action: RECORD_PENDING_FAILURES.includes(outcome.failure.kind) ? 'correction-pending' : 'correction-failed',
          recordId, reason: renderFailure(outcome.failure) });
      }
    }));
  };

  try {
    await runPool(declarations, DRIFT_CONCURRENCY, checkOne, {
      mayStart: () => deps.now() < runDeadline - DRIFT_START_RESERVE_MS,
      notStarted: ({ product }) => report({
        stackName: event.stackName, eventId, provisionedProductId: product.id, provisionedProductName: product.name, drift: {}, action: 'check-pending',
        reason: `not checked: the run stops starting products ${DRIFT_START_RESERVE_MS / 1000} s before its end; the next run checks it`,
      }),
    });
  } finally {
    watch.close();
    await watching;
    await Promise.all(corrections);
  }
  deps.log('drift correction run', { eventId, time: event.time, mode, products: declarations.length, describeRecordCalls: watch.polls });
  return summarize(reports, invalid.length);
}

/**
 * The ledger is read, changed and written whole (SSM has no conditional write): a deploy of the
 * stack records its claims there, so the correction is recorded only while the stack is at rest.
 */
async function recordInLedger(deps: DriftDeps, guard: StackGuard, event: DriftCorrectionEvent, productId: string,
  written: { recordId: string; values: Declaration['values'] }, deadline: number): Promise<void> {
  const fence = await guard.check(event, true, deadline);
  if (fence.kind === 'in-force') return recordCorrection(deps, productId, written, deadline);
  deps.log('drift correction: the correction is not recorded in the ledger: the stack is not at rest', { productId, recordId: written.recordId, guard: fence.kind });
}

const NOTHING_DONE: DriftSummary = { checked: 0, drifted: 0, corrected: 0, failed: 0, invalid: 0, pending: 0 };

/** What a drifted product gets when the guard forbids the write. */
function withheldAction(verdict: Exclude<GuardVerdict, { kind: 'in-force' }>): DriftReport['action'] {
  switch (verdict.kind) {
    case 'stack-changing': return 'correction-pending';
    case 'unreadable': return verdict.retryable ? 'correction-pending' : 'correction-failed';
    case 'stack-gone':
    case 'not-in-force': return 'correction-withheld';
  }
}

function guardReason(verdict: Exclude<GuardVerdict, { kind: 'in-force' }>): string {
  switch (verdict.kind) {
    case 'stack-changing': return `not corrected: the stack is ${verdict.status}, and the deploy applies its declarations; the next run checks again`;
    case 'stack-gone': return `not corrected: ${verdict.cause}, and its deletion restores what it restores`;
    case 'not-in-force': return 'not corrected: a deploy replaced these declarations during the run; the next run checks against the ones in force';
    case 'unreadable': return `could not confirm that these declarations are in force (${verdict.cause}); `
      + (verdict.retryable ? 'the next run tries again' : 'check the drift function\'s cloudformation:DescribeStacks and events:ListTargetsByRule permissions');
  }
}

function summarize(reports: readonly DriftReport[], invalid: number): DriftSummary {
  const count = (keep: (r: DriftReport) => boolean) => reports.filter(keep).length;
  return {
    checked: count((r) => r.action !== 'check-pending'),
    drifted: count((r) => Object.keys(r.drift).length > 0),
    corrected: count((r) => r.action === 'corrected'),
    failed: count((r) => r.action === 'correction-failed' || r.action === 'check-failed'),
    invalid,
    pending: count((r) => PENDING_ACTIONS.includes(r.action)),
  };
}
