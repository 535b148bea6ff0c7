/**
 * The names of the drift check's CloudWatch metrics: the handler emits them (embedded metric
 * format, lambda/drift/metrics.ts) and the construct builds `cloudwatch.Metric`s and alarms on
 * them (lib/drift/drift-metrics.ts), from this one module.
 *
 * Pure: bundled into the Lambda, so it must not import aws-cdk-lib.
 */

/** The namespace of every metric of the library. */
export const METRIC_NAMESPACE = 'ProvisionedProductProperties';

/** The one dimension: the stack whose declarations were checked. Per stack, so the cost does not grow with the products. */
export const STACK_NAME_DIMENSION = 'StackName';

/** The metrics of a drift check, one data point per product per run (value 0 or 1). */
export const DRIFT_METRIC_NAMES = {
  /** The product differs from its declaration (corrected or not, reported or not). */
  detected: 'DriftDetected',
  /** A correction's record reached SUCCEEDED. */
  corrected: 'DriftCorrected',
  /** A check or correction failed for a reason a person must fix (access denied, no such product, a FAILED record). */
  failed: 'DriftCorrectionFailed',
  /** A check or correction that the next run takes up (the product busy, throttling, the run out of time). */
  pending: 'DriftPending',
  /** A run refused because its declarations are not those of the stack's schedule (one per refused run). */
  payloadRefused: 'DriftPayloadRefused',
} as const;

