/**
 * The plan of each declaration, decided once from what the shell read: per key, the live value,
 * the declared one and the action. Live values are compared with the handler's own rules
 * (compareWithLive: by meaning, "not listed" is unknown), and a removed declaration is judged by
 * the handler's own Delete planner (planDelete: restoreOnDelete, hand-over, originals in place).
 */
import { PropertyKey } from '../lib/shared/declaration';
import { planDelete } from '../lambda/deploy/delete-plan';
import { OtherDeclarations } from '../lambda/deploy/stack-resources';
import { compareWithLive, liveValue } from '../lambda/product/live-comparison';
import { LiveProperties } from '../lambda/product/live-state';
import { AssemblyDeclaration, RemovedDeclaration } from './declarations';
import { LiveProduct } from './live-reads';

export const ACTIONS = ['none', 'change', 'unknown', 'known-after-deploy', 'no-longer-enforced', 'restore'] as const;
export type Action = typeof ACTIONS[number];

export interface PlannedChange {
  readonly key: PropertyKey;
  readonly live: string | null;
  readonly declared: string | null;
  readonly action: Action;
  /** Why, for every action but `none`. */
  readonly reason?: string;
}

export interface PlannedDeclaration {
  readonly stack: string;
  readonly path: string;
  readonly provisionedProductId: string | null;
  readonly provisionedProductName?: string;
  readonly changes: readonly PlannedChange[];
}

const NOT_LISTED = 'SearchProvisionedProducts does not list the product (its index lags behind changes): the owner is unknown, not "no owner"';
const NO_REQUEST = 'drift: the template is unchanged, so this deploy sends no update; drift correction or checkOnEveryDeploy corrects it';

export function liveProperties(live: LiveProduct | undefined): LiveProperties {
  return {
    owner: live?.owner?.ok ? live.owner.value : undefined,
    launchRoleArn: live?.launchRole?.ok ? live.launchRole.value : undefined,
  };
}

function liveRead(key: PropertyKey, live: LiveProduct | undefined) {
  return key === 'OWNER' ? live?.owner : live?.launchRole;
}

function shownLive(key: PropertyKey, live: LiveProduct | undefined): string | null {
  return liveRead(key, live)?.ok ? liveValue(key, liveProperties(live)) : null;
}

export function planDeclaration(stack: string, declaration: AssemblyDeclaration, live: LiveProduct | undefined): PlannedDeclaration {
  const { product } = declaration;
  const changes = (Object.keys(declaration.values) as PropertyKey[]).map((key): PlannedChange => {
    const value = declaration.values[key]!;
    const declared = value.known ? value.value : null;
    const current = shownLive(key, live);
    if (declaration.invalid) return { key, live: current, declared, action: 'unknown', reason: `the deploy would refuse this declaration: ${declaration.invalid}` };
    if (!product.known) {
      return { key, live: null, declared, action: product.unreadable ? 'unknown' : 'known-after-deploy', reason: `the product: ${product.why}` };
    }
    if (!value.known) return { key, live: current, declared, action: value.unreadable ? 'unknown' : 'known-after-deploy', reason: value.why };
    const read = liveRead(key, live);
    if (!read) return { key, live: null, declared, action: 'unknown', reason: 'the live value was not read' };
    if (!read.ok) return { key, live: null, declared, action: 'unknown', reason: read.why };
    const comparison = compareWithLive({ [key]: value.value }, liveProperties(live));
    if (comparison.unknown.includes(key)) return { key, live: null, declared, action: 'unknown', reason: NOT_LISTED };
    if (comparison.drifted[key] !== undefined) {
      return { key, live: current, declared, action: 'change', reason: declaration.deploySendsRequest ? undefined : NO_REQUEST };
    }
    return { key, live: current, declared, action: 'none' };
  });
  return {
    stack,
    path: declaration.path,
    provisionedProductId: product.known ? product.value.id ?? live?.id ?? null : null,
    provisionedProductName: product.known ? product.value.name ?? live?.name : undefined,
    changes,
  };
}

const KEEP_REASONS: Readonly<Record<string, string>> = {
  'nothing-kept': 'removed from the assembly; restoreOnDelete is off or kept no original, so the value stays as it is',
  'handed-over': 'removed from the assembly; another declaration of the product (this stack\'s, or a newer one in the ledger) governs it',
  'ledger-unknown': 'removed from the assembly; the product\'s ledger could not be read, so its Delete restores nothing',
  'stack-unknown': 'removed from the assembly; whether another declaration of the product takes over is unknown, so nothing is restored',
  'originals-in-place': 'removed from the assembly; the original value is already in place',
  'product-gone': 'removed from the assembly; the product no longer exists',
  'product-unreadable': 'removed from the assembly; the product could not be read, so its Delete restores nothing',
};

/** A declaration the deploy deletes: what its Delete will put back, by the handler's own Delete planner. */
export function planRemoved(stack: string, removed: RemovedDeclaration, others: OtherDeclarations, live: LiveProduct | undefined): PlannedDeclaration {
  // A preview judges the product as the Delete will once nothing runs on it: the Delete waits for
  // a running record first (lambda/product/activity.ts), so the plan takes the product as idle.
  const action = planDelete({
    physicalId: removed.physicalId, restoreOnDelete: removed.restoreOnDelete, token: 'plan', declared: removed.declared,
    stackId: removed.stackId, logicalId: removed.logicalId,
  }, { others, ledger: live?.ledger, activity: { kind: 'idle' }, live: liveProperties(live) });
  const restored = action.kind === 'keep' ? {} : action.change.values;
  const changes = removed.keys.map((key): PlannedChange => {
    const current = shownLive(key, live);
    const value = restored[key];
    if (value !== undefined) {
      // A value other than the original is another declaration's, still in force: the Delete hands the key back to it.
      const original = removed.originals?.[key];
      const reason = original === undefined || value === original
        ? 'removed from the assembly: its Delete puts back the original value (restoreOnDelete)'
        : 'removed from the assembly: its Delete hands the key back to an older declaration of the product, in the ledger';
      return { key, live: current, declared: value, action: 'restore', reason };
    }
    return { key, live: current, declared: null, action: 'no-longer-enforced', reason: KEEP_REASONS[action.kind === 'keep' ? action.reason : 'nothing-kept'] };
  });
  return { stack, path: removed.path, provisionedProductId: removed.productId ?? null, provisionedProductName: live?.name, changes };
}
