/**
 * The one model of a declaration, shared by the construct, the template's properties, the drift
 * schedule's event, the handler and drift correction. Values are converted only at the edges:
 * the template (wire-contract.ts), the schedule's event (drift-payload.ts) and Service Catalog,
 * whose `ProvisionedProductProperties` map is `PropertyValues` as it is.
 *
 * Pure: bundled into the Lambda, so it must not import aws-cdk-lib.
 */
import { AcceptLanguage } from '../accept-language';

/** The keys of UpdateProvisionedProductProperties that this library manages. */
export type PropertyKey = 'OWNER' | 'LAUNCH_ROLE';

/** Every managed key, in the order messages list them. */
export const PROPERTY_KEYS: readonly PropertyKey[] = ['OWNER', 'LAUNCH_ROLE'];

/**
 * Values of the managed keys: the declared ones, the originals kept for restoreOnDelete, or the
 * ones to write. A key that is absent is not managed. An original of '' means the product had no
 * value for that key: nothing to put back, but the original is known.
 */
export type PropertyValues = Partial<Record<PropertyKey, string>>;

/** The provisioned product a declaration names: by its id or by its name, never both. */
export type ProductRef =
  | { readonly id: string; readonly name?: undefined }
  | { readonly name: string; readonly id?: undefined };

/** Which product, which values, and the language Service Catalog answers in. */
export interface Declaration {
  readonly product: ProductRef;
  readonly values: PropertyValues;
  readonly acceptLanguage?: AcceptLanguage;
}

/** A declaration as one custom resource deploys it (ProductRevision and DeployCheck only matter as changes: see the deploy planner). */
export interface ResourceDeclaration extends Declaration {
  /** How long the record of a change is waited for, from the start of the request. */
  readonly timeoutSeconds: number;
  readonly restoreOnDelete: boolean;
}

/** The timeout of a declaration that does not set one, as the construct's `timeout` documents it. */
export const DEFAULT_TIMEOUT_SECONDS = 1800;

/** The keys of `values` that are declared, in `PROPERTY_KEYS` order. */
export function declaredKeys(values: PropertyValues): PropertyKey[] {
  return PROPERTY_KEYS.filter((key) => values[key] !== undefined);
}

/** `values` without the keys for which `keep` is false. */
export function pickValues(values: PropertyValues, keep: (key: PropertyKey, value: string) => boolean): PropertyValues {
  return Object.fromEntries(declaredKeys(values).filter((key) => keep(key, values[key]!)).map((key) => [key, values[key]]));
}
