/**
 * What a drift check does with the drift it finds. Shared by the construct and the handler.
 *
 * Pure: bundled into the Lambda, so it must not import aws-cdk-lib.
 */
import { PropertyValidationError } from './validation';

export enum DriftMode {
  /**
   * Re-apply the declared owner and launch role where they drifted (action `corrected`).
   */
  CORRECT = 'CORRECT',
  /**
   * Check and report only: the same log lines and metrics, drift reported with the action
   * `drift-reported`, and no write to Service Catalog. For accounts where automation may not
   * change production on its own.
   */
  REPORT = 'REPORT',
}

/** A mode is one of DriftMode's, and only with a schedule to run it (it would be ignored without). */
export function validateDriftMode(mode: DriftMode | undefined, scheduled: boolean): void {
  if (mode === undefined) return;
  if (!Object.values(DriftMode).includes(mode)) {
    throw new PropertyValidationError('driftMode', mode, 'expected DriftMode.CORRECT or DriftMode.REPORT.');
  }
  if (!scheduled) {
    throw new PropertyValidationError('driftMode', mode, 'it applies to the driftCorrection schedule, which is not set: '
      + 'give driftCorrection (for example events.Schedule.rate(Duration.hours(1))), or leave driftMode out.');
  }
}

