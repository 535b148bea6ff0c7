/**
 * One log line per product checked for drift: the drift found and the action taken, in
 * CloudWatch embedded metric format, so that the line is also a metric an operator can alarm on.
 */
import { DRIFT_METRIC_NAMES as NAMES, METRIC_NAMESPACE, STACK_NAME_DIMENSION } from '../../lib/shared/drift-metrics';

export { METRIC_NAMESPACE } from '../../lib/shared/drift-metrics';

/**
 * `check-incomplete`: a declared value could not be read, so nothing was corrected on a guess.
 * `correction-pending`: the correction started (or may have) and its record had not ended when
 * the run had to, or it could not start yet (the product busy, Service Catalog throttling or not
 * answering, the stack being deployed); `check-pending`: the product could not be read for the
 * same passing reasons, or the run ended before it could check it. The next run takes both up: a
 * product is never dropped silently. `correction-withheld`: drift was found and not corrected
 * because the stack was deleted or a deploy replaced the declarations during the run.
 * `drift-reported`: drift was found by a check in report mode, which writes nothing.
 * `check-failed` and `correction-failed` are for a person to fix (access denied, no such
 * product, a principal refused, a FAILED record): they alone count in DriftCorrectionFailed.
 */
export type DriftAction = 'none' | 'drift-reported' | 'corrected' | 'correction-failed' | 'correction-pending' | 'check-failed' | 'check-incomplete'
  | 'check-pending' | 'correction-withheld';

/** Actions that leave work for the next run. */
export const PENDING_ACTIONS: readonly DriftAction[] = ['correction-pending', 'check-pending'];

export interface DriftReport {
  readonly stackName: string;
  /** The EventBridge event of the run: a redelivery repeats it. */
  readonly eventId?: string;
  readonly provisionedProductId?: string;
  readonly provisionedProductName?: string;
  /** Declared and live value of each drifted key. */
  readonly drift: Record<string, { declared: string; live: string | null }>;
  readonly action: DriftAction;
  readonly recordId?: string;
  readonly reason?: string;
}

/** The metrics are per stack (one dimension), so their cost does not grow with the products. */
export function driftLogLine(report: DriftReport, timestamp: number): string {
  const drifted = Object.keys(report.drift).length > 0;
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{
        Namespace: METRIC_NAMESPACE,
        Dimensions: [[STACK_NAME_DIMENSION]],
        Metrics: [NAMES.detected, NAMES.corrected, NAMES.failed, NAMES.pending].map((Name) => ({ Name, Unit: 'Count' })),
      }],
    },
    message: 'drift check',
    [STACK_NAME_DIMENSION]: report.stackName,
    [NAMES.detected]: drifted ? 1 : 0,
    [NAMES.corrected]: report.action === 'corrected' ? 1 : 0,
    [NAMES.failed]: report.action === 'correction-failed' || report.action === 'check-failed' ? 1 : 0,
    [NAMES.pending]: PENDING_ACTIONS.includes(report.action) ? 1 : 0,
    ...report,
  });
}

/**
 * The ERROR line of a run that was refused: its declarations are not the input of any target of
 * the stack's schedule rule, so it wrote nothing. `DriftPayloadRefused` is the metric to alarm on.
 */
export function payloadRefusedLogLine(stackName: string, details: { eventId?: string; digest: string; targets: number }, timestamp: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [[STACK_NAME_DIMENSION]], Metrics: [{ Name: NAMES.payloadRefused, Unit: 'Count' }] }],
    },
    level: 'ERROR',
    message: 'drift correction: ERROR the event\'s declarations are not the input of any target of the stack\'s schedule rule; '
      + 'nothing was read or written. Only the schedule may invoke this function with its own input',
    [STACK_NAME_DIMENSION]: stackName,
    [NAMES.payloadRefused]: 1,
    ...details,
  });
}
