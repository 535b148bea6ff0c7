/**
 * The event the drift-correction schedule sends to the handler: the declared state of every
 * instance of a stack that opted in. Compact, because an EventBridge target's input is capped at
 * 8,192 characters: principals are listed once and products refer to them by index.
 *
 * Pure: bundled into the Lambda, so it must not import aws-cdk-lib.
 */
import { PropertyValidationError, validateAcceptLanguage, validateProvisionedProductId, validateProvisionedProductName } from './validation';
import { StackEnvironment, parsePrincipals } from './wire-contract';

export const DRIFT_EVENT_KIND = 'ProvisionedProductPropertiesDriftCorrection';
/** The input's key for the EventBridge event's id (`$.id`), which a retried delivery keeps. */
export const DRIFT_EVENT_ID_KEY = 'id';
/** The input's key for the EventBridge event's time (`$.time`): when the schedule fired. */
export const DRIFT_EVENT_TIME_KEY = 'time';

/** [id or name, 1 when it is a name, owner index or -1, launch role index or -1, AcceptLanguage or ''] */
export type DriftProductEntry = [string, number, number, number, string];

export interface DriftCorrectionEvent {
  readonly kind: typeof DRIFT_EVENT_KIND;
  readonly stackName: string;
  /** The EventBridge event's id, filled in by the rule's input transformer. */
  readonly [DRIFT_EVENT_ID_KEY]?: string;
  /** The EventBridge event's time (ISO 8601), filled in by the rule's input transformer. */
  readonly [DRIFT_EVENT_TIME_KEY]?: string;
  readonly owners: string[];
  readonly launchRoles: string[];
  readonly products: DriftProductEntry[];
}

/** One instance's declared state. */
export interface DriftTarget {
  readonly provisionedProductId?: string;
  readonly provisionedProductName?: string;
  readonly owner?: string;
  readonly launchRoleArn?: string;
  readonly acceptLanguage?: string;
}

/** An entry the handler could not use, with the reason. */
export interface InvalidDriftEntry {
  readonly entry: unknown;
  readonly reason: string;
}

export function isDriftCorrectionEvent(event: unknown): event is DriftCorrectionEvent {
  return typeof event === 'object' && event !== null && (event as { kind?: unknown }).kind === DRIFT_EVENT_KIND;
}

/** Decodes and validates every entry with the construct's rules; a bad entry does not stop the rest. */
export function decodeDriftEvent(event: DriftCorrectionEvent, stack: StackEnvironment = {}): {
  targets: DriftTarget[]; invalid: InvalidDriftEntry[];
} {
  const targets: DriftTarget[] = [];
  const invalid: InvalidDriftEntry[] = [];
  for (const entry of Array.isArray(event.products) ? event.products : []) {
    try {
      const [key, byName, ownerIndex, roleIndex, language] = entry;
      const principals = parsePrincipals({
        owner: ownerIndex >= 0 ? event.owners[ownerIndex] : undefined,
        launchRoleArn: roleIndex >= 0 ? event.launchRoles[roleIndex] : undefined,
      }, stack, { owner: 'owner', launchRoleArn: 'launchRole' });
      targets.push({
        ...(byName === 1
          ? { provisionedProductName: validateProvisionedProductName(key, 'provisionedProductName') }
          : { provisionedProductId: validateProvisionedProductId(key, 'provisionedProductId') }),
        ...principals,
        acceptLanguage: language ? validateAcceptLanguage(language, 'acceptLanguage') : undefined,
      });
    } catch (error) {
      invalid.push({ entry, reason: error instanceof PropertyValidationError ? error.message : String(error) });
    }
  }
  return { targets, invalid };
}
