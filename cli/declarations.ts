/**
 * The declarations of one stack: those of the assembly, resolved the way the deploy will and
 * validated with the handler's own rules (parseWireProperties), and those the deployed stack still
 * has but the assembly no longer declares, which the deploy will delete.
 */
import { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { PROPERTY_KEYS, ProductRef, PropertyKey, PropertyValues } from '../lib/shared/declaration';
import { RESOURCE_TYPE, StackEnvironment, WIRE_PROPERTY_OF, WireProperties, parseWireProperties } from '../lib/shared/wire-contract';
import { declaredValuesOf } from '../lambda/deploy/delete-plan';
import { decodePhysicalId } from '../lambda/deploy/physical-id';
import { Resolved, ResolveContext, resolveValue } from './resolve';
import type { Template, TemplateResource } from './template';

export type KnownOr<T> = { readonly known: true; readonly value: T } | { readonly known: false; readonly why: string; readonly unreadable?: boolean };

export interface AssemblyDeclaration {
  readonly logicalId: string;
  readonly path: string;
  readonly product: KnownOr<ProductRef>;
  /** Each declared key's value, or why it is known only after the deploy. */
  readonly values: Partial<Record<PropertyKey, Resolved>>;
  /** The handler would refuse this declaration: its message. */
  readonly invalid?: string;
  /** False when the deploy sends this resource no request: its properties are those deployed, and it has no DeployCheck. */
  readonly deploySendsRequest: boolean;
}

export interface RemovedDeclaration {
  readonly logicalId: string;
  readonly path: string;
  readonly physicalId?: string;
  readonly productId?: string;
  readonly keys: readonly PropertyKey[];
  readonly restoreOnDelete: boolean;
  /** The originals kept in the physical id for restoreOnDelete. */
  readonly originals?: PropertyValues;
  /** The values the deployed template declares, where they are plain strings (as the Delete reads them). */
  readonly declared: PropertyValues;
  /** The deployed stack's ARN: with the logical and physical ids, the declaration's claim in the ledger. */
  readonly stackId?: string;
}

/** Placeholders for values known only after the deploy, so that the rest is validated by the one parser. */
const PLACEHOLDER_ID = 'pp-known-after-deploy';
const placeholderArn = (env: StackEnvironment) => `arn:${env.partition ?? 'aws'}:iam::${env.account ?? '000000000000'}:role/known-after-deploy`;
const WIRE_KEYS: Readonly<Record<'id' | 'name', keyof WireProperties>> = { id: 'ProvisionedProductId', name: 'ProvisionedProductName' };

export function declarationsOf(template: Template, ctx: ResolveContext, env: StackEnvironment,
  deployed: Template | undefined, pathOf: (logicalId: string, resource: TemplateResource) => string): AssemblyDeclaration[] {
  return ourResources(template).map(([logicalId, resource]) => {
    const props = resource.Properties ?? {};
    const resolved = Object.fromEntries(Object.entries(props).map(([key, value]) => [key, resolveValue(ctx, value)]));
    const values: Partial<Record<PropertyKey, Resolved>> = {};
    for (const key of PROPERTY_KEYS) {
      if (props[WIRE_PROPERTY_OF[key]] !== undefined) values[key] = resolved[WIRE_PROPERTY_OF[key]];
    }
    const target = props.ProvisionedProductId !== undefined ? 'id' : 'name';
    const productValue = resolved[WIRE_KEYS[target]];
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(resolved)) {
      if (value.known) raw[key] = value.value;
    }
    for (const key of PROPERTY_KEYS) if (values[key] && !values[key]!.known) raw[WIRE_PROPERTY_OF[key]] = placeholderArn(env);
    if (productValue && !productValue.known) raw[WIRE_KEYS[target]] = PLACEHOLDER_ID;
    if (!resolved.TimeoutSeconds?.known) raw.TimeoutSeconds = '1800';
    let invalid: string | undefined;
    try {
      parseWireProperties(raw, env);
    } catch (error) {
      invalid = (error as Error).message;
    }
    const product: KnownOr<ProductRef> = !productValue
      ? { known: false, why: 'the declaration names no product' }
      : productValue.known
        ? { known: true, value: target === 'id' ? { id: productValue.value } : { name: productValue.value } }
        : productValue;
    const before = deployed?.Resources?.[logicalId];
    const deploySendsRequest = !before || before.Type !== resource.Type || props.DeployCheck !== undefined
      || JSON.stringify(before.Properties ?? {}) !== JSON.stringify(props);
    return { logicalId, path: pathOf(logicalId, resource), product, values, invalid, deploySendsRequest };
  });
}

/** Declarations of the deployed stack whose logical id the assembly no longer has: the deploy deletes them. */
export function removedDeclarations(template: Template, deployed: Template, resources: readonly StackResourceSummary[] | undefined,
  pathOf: (logicalId: string, resource: TemplateResource) => string): RemovedDeclaration[] {
  const kept = new Set(ourResources(template).map(([logicalId]) => logicalId));
  return ourResources(deployed).filter(([logicalId]) => !kept.has(logicalId)).map(([logicalId, resource]) => {
    const props = resource.Properties ?? {};
    const physicalId = resources?.find((r) => r.LogicalResourceId === logicalId && !/^DELETE_/.test(r.ResourceStatus ?? ''))?.PhysicalResourceId;
    const { provisionedProductId, originals } = decodePhysicalId(physicalId);
    return {
      logicalId,
      path: pathOf(logicalId, resource),
      physicalId,
      productId: provisionedProductId,
      keys: PROPERTY_KEYS.filter((key) => props[WIRE_PROPERTY_OF[key]] !== undefined),
      // As the Delete reads it: leniently, a Delete is never refused.
      restoreOnDelete: props.RestoreOnDelete === 'true',
      originals,
      declared: declaredValuesOf(props),
    };
  });
}

function ourResources(template: Template): Array<[string, TemplateResource]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === RESOURCE_TYPE);
}
