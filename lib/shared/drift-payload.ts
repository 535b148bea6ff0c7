/**
 * The event the drift-correction schedule sends to the handler: the declared state of every
 * instance of a stack that opted in. Compact, because an EventBridge target's input is capped at
 * 8,192 characters: principals are listed once and products refer to them by index.
 *
 * Pure: bundled into the Lambda, so it must not import aws-cdk-lib.
 */
import { createHash } from 'crypto';
import { Declaration } from './declaration';
import { DriftMode } from './drift-mode';
import {
  PropertyValidationError, StackEnvironment, parseDeclaredValues, validateAcceptLanguage, validateProvisionedProductId,
  validateProvisionedProductName,
} from './validation';

export const DRIFT_EVENT_KIND = 'ProvisionedProductPropertiesDriftCorrection';
/** The input's key for the EventBridge event's id (`$.id`), which a retried delivery keeps. */
export const DRIFT_EVENT_ID_KEY = 'id';
/** The input's key for the EventBridge event's time (`$.time`): when the schedule fired. */
export const DRIFT_EVENT_TIME_KEY = 'time';
/** The input's key for the check's mode; absent in CORRECT mode, so the inputs of earlier releases keep their meaning. */
export const DRIFT_EVENT_MODE_KEY = 'mode';

/** The drift function's environment: the name of its schedule rule, whose targets' inputs are the declarations in force. */
export const DRIFT_RULE_NAME_ENV = 'DRIFT_RULE_NAME';
/** The drift function's environment: its stack's id, whose status orders a run against deploys and deletion. */
export const DRIFT_STACK_ID_ENV = 'DRIFT_STACK_ID';

/**
 * A digest of an event's declarations (not of the EventBridge id and time it also carries): two
 * payloads with the same digest declare the same values for the same products.
 */
export function declarationsDigest(event: Pick<DriftCorrectionEvent, 'kind' | 'stackName' | 'owners' | 'launchRoles' | 'products' | 'mode'>): string {
  const declared = [event.kind, event.stackName, event.owners, event.launchRoles, event.products, event.mode ?? DriftMode.CORRECT];
  return createHash('sha256').update(JSON.stringify(declared)).digest('hex');
}

/** [id or name, 1 when it is a name, owner index or -1, launch role index or -1, AcceptLanguage or ''] */
export type DriftProductEntry = [string, number, number, number, string];

export interface DriftCorrectionEvent {
  readonly kind: typeof DRIFT_EVENT_KIND;
  readonly stackName: string;
  /** The EventBridge event's id, filled in by the rule's input transformer. */
  readonly [DRIFT_EVENT_ID_KEY]?: string;
  /** The EventBridge event's time (ISO 8601), filled in by the rule's input transformer. */
  readonly [DRIFT_EVENT_TIME_KEY]?: string;
  /** What the check does with drift; absent means CORRECT. */
  readonly [DRIFT_EVENT_MODE_KEY]?: DriftMode;
  readonly owners: string[];
  readonly launchRoles: string[];
  readonly products: DriftProductEntry[];
}

/**
 * The mode of a run: absent is CORRECT (inputs from before the mode existed); a value that is
 * neither is REPORT, so that nothing is written on an input this release does not understand.
 */
export function driftModeOf(event: Pick<DriftCorrectionEvent, 'mode'>): DriftMode {
  if (event.mode === undefined || event.mode === DriftMode.CORRECT) return DriftMode.CORRECT;
  return DriftMode.REPORT;
}

/** An entry the handler could not use, with the reason. */
export interface InvalidDriftEntry {
  readonly entry: unknown;
  readonly reason: string;
}

/** Adds a declaration to an event: its principals once per event, the product as an entry. */
export function addDriftEntry(event: Pick<DriftCorrectionEvent, 'owners' | 'launchRoles' | 'products'>, declaration: Declaration): void {
  const indexOf = (list: string[], value: string | undefined) => {
    if (value === undefined) return -1;
    if (!list.includes(value)) list.push(value);
    return list.indexOf(value);
  };
  const { product, values } = declaration;
  event.products.push([
    product.id ?? product.name, product.id === undefined ? 1 : 0,
    indexOf(event.owners, values.OWNER), indexOf(event.launchRoles, values.LAUNCH_ROLE), declaration.acceptLanguage ?? '',
  ]);
}

/** Decodes and validates every entry with the construct's rules; a bad entry does not stop the rest. */
export function decodeDriftEvent(event: DriftCorrectionEvent, stack: StackEnvironment = {}): {
  declarations: Declaration[]; invalid: InvalidDriftEntry[];
} {
  const declarations: Declaration[] = [];
  const invalid: InvalidDriftEntry[] = [];
  for (const entry of Array.isArray(event.products) ? event.products : []) {
    try {
      const [key, byName, ownerIndex, roleIndex, language] = entry;
      declarations.push({
        product: byName === 1
          ? { name: validateProvisionedProductName(key, 'provisionedProductName') }
          : { id: validateProvisionedProductId(key, 'provisionedProductId') },
        values: parseDeclaredValues({
          OWNER: ownerIndex >= 0 ? event.owners[ownerIndex] : undefined,
          LAUNCH_ROLE: roleIndex >= 0 ? event.launchRoles[roleIndex] : undefined,
        }, stack, { OWNER: 'owner', LAUNCH_ROLE: 'launchRole' }),
        acceptLanguage: language ? validateAcceptLanguage(language, 'acceptLanguage') : undefined,
      });
    } catch (error) {
      invalid.push({ entry, reason: error instanceof PropertyValidationError ? error.message : String(error) });
    }
  }
  return { declarations, invalid };
}
