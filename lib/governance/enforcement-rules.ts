/**
 * The rules of `EnforceProvisionedProductProperties` that do not depend on a product: its props,
 * checked when it is created with the construct's shared rules, and which Aspect governs a product
 * when several are applied at different levels of the tree.
 */
import { Aspects, Duration, Stage, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ProvisionedProductPropertiesOptions } from '../declaration-options';
import { unscopedValidationError } from '../construct-errors';
import { validateLaunchRoleIsRole } from '../principal-validation';
import { inOtherLanguages } from '../prop-names';
import {
  PropertyValidationError, parseLaunchRoleArn, parseOwnerArn, validateAcceptLanguage, validateTimeoutSeconds,
} from '../shared/validation';

/** Marks an enforcement Aspect, so that two copies of this library in one app recognise each other's. */
export const ENFORCEMENT_ASPECT = Symbol.for('cdk-provisioned-product-properties.EnforceProvisionedProductProperties');

/** The props the rules read: `EnforceProvisionedProductPropertiesProps`, with its mode given. */
export interface EnforcementSettings extends ProvisionedProductPropertiesOptions {
  readonly mode: 'ENFORCE' | 'AUDIT';
  readonly overrides?: 'WARN' | 'ERROR';
}

/** The props that shape a declaration: AUDIT declares nothing, so it refuses them instead of ignoring them. */
const DECLARATION_PROPS = ['owner', 'launchRole', 'acceptLanguage', 'timeout', 'restoreOnDelete', 'driftCorrection', 'driftMode', 'overrides'] as const;

/**
 * Checks every value known when the Aspect is created, with the rules the construct applies, and
 * throws an error that names the Aspect. What needs a stack (the principal's account and partition)
 * is checked on each declaration the Aspect adds.
 */
export function validateEnforcementSettings(settings: EnforcementSettings,
  aspect: abstract new (...args: never[]) => unknown): void {
  try {
    if (settings.mode !== 'ENFORCE' && settings.mode !== 'AUDIT') {
      throw new PropertyValidationError('mode', settings.mode, 'expected EnforcementMode.ENFORCE or EnforcementMode.AUDIT.');
    }
    if (settings.mode === 'AUDIT') {
      const given = DECLARATION_PROPS.filter((prop) => settings[prop] !== undefined);
      if (given.length > 0) {
        throw new PropertyValidationError(given.join(' and '), shown(settings[given[0]]),
          'EnforcementMode.AUDIT declares nothing, so it would be ignored. Use EnforcementMode.ENFORCE to declare it for '
          + 'undeclared products, or leave it out to only report them.');
      }
      return;
    }
    if (settings.owner === undefined && settings.launchRole === undefined) {
      throw new PropertyValidationError('owner and launchRole', undefined, 'ENFORCE mode declares them for undeclared products, '
        + 'so give at least one, or use EnforcementMode.AUDIT.');
    }
    if (settings.overrides !== undefined && settings.overrides !== 'WARN' && settings.overrides !== 'ERROR') {
      throw new PropertyValidationError('overrides', settings.overrides, 'expected DeclarationOverride.WARN or DeclarationOverride.ERROR.');
    }
    if (settings.owner !== undefined && !Token.isUnresolved(settings.owner)) {
      parseOwnerArn(settings.owner, 'owner');
    }
    validateLaunchRoleIsRole(settings.launchRole);
    const launchRoleArn = settings.launchRole?.roleArn;
    if (launchRoleArn !== undefined && !Token.isUnresolved(launchRoleArn)) {
      parseLaunchRoleArn(launchRoleArn, 'launchRole');
    }
    if (settings.acceptLanguage !== undefined) {
      validateAcceptLanguage(settings.acceptLanguage, 'acceptLanguage');
    }
    const seconds = settings.timeout?.toSeconds({ integral: false });
    if (seconds !== undefined && !Token.isUnresolved(seconds)) {
      validateTimeoutSeconds(seconds, 'timeout', settings.timeout!.toHumanString());
    }
  } catch (error) {
    throw error instanceof PropertyValidationError
      ? unscopedValidationError(`EnforceProvisionedProductProperties: ${error.message}${inOtherLanguages(error.field)}`, aspect) : error;
  }
}

/** What governs a product: the nearest enforcement Aspect, or two on one scope (an error). */
export type Governor =
  | { readonly kind: 'none' }
  | { readonly kind: 'one'; readonly aspect: object; readonly scope: IConstruct }
  | { readonly kind: 'ambiguous'; readonly aspects: readonly object[]; readonly scope: IConstruct };

/**
 * The enforcement Aspect applied nearest to `node`: on the node itself, else on its closest
 * ancestor that has one, up to the Stage it is synthesized in (Aspects of scopes above a Stage do
 * not reach into it). The more specific scope wins whatever the Aspects' priorities and the order
 * they were added in, because only the governor acts on a product.
 */
export function governorOf(node: IConstruct): Governor {
  for (let scope: IConstruct | undefined = node; scope; scope = scope.node.scope) {
    const here = [...new Set(Aspects.of(scope).all.filter(isEnforcementAspect))];
    if (here.length === 1) return { kind: 'one', aspect: here[0], scope };
    if (here.length > 1) return { kind: 'ambiguous', aspects: here, scope };
    if (Stage.isStage(scope)) break;
  }
  return { kind: 'none' };
}

/** A prop's value as an error quotes it: strings and booleans as they are, a role by its ARN. */
function shown(value: unknown): unknown {
  if (value instanceof Duration) return value.toHumanString();
  if (value instanceof events.Schedule) return value.expressionString;
  if (typeof value === 'object' && value !== null && 'roleArn' in value) {
    const role = value as iam.IRole;
    return Token.isUnresolved(role.roleArn) ? `the role '${role.node.path}'` : role.roleArn;
  }
  return value;
}

function isEnforcementAspect(aspect: object): boolean {
  return (aspect as { [ENFORCEMENT_ASPECT]?: unknown })[ENFORCEMENT_ASPECT] === true;
}
