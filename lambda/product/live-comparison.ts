/**
 * Compares a declaration with what the product has now, by meaning rather than by string:
 * Service Catalog does not document how it reports an OWNER it was given. An assumed-role OWNER
 * may come back as the session ARN, or as the role's IAM ARN in `UserArn` with the session in
 * `UserArnSession`, and a role's path may or may not be kept (all undocumented). A product already
 * in the declared state must never be "corrected" again and again.
 */
import { PrincipalArn, describePrincipal } from '../../lib/shared/validation';
import { PropertyKey, PropertyValues, pickValues } from '../../lib/shared/declaration';
import { LiveOwner, LiveProperties } from './live-state';

export interface LiveComparison {
  /** The declared keys whose live value is known and differs. */
  readonly drifted: PropertyValues;
  /** The declared keys whose live value could not be read (the owner, when Search did not list the product). */
  readonly unknown: readonly PropertyKey[];
}

export function compareWithLive(properties: PropertyValues, live: LiveProperties): LiveComparison {
  const drifted: Record<string, string> = {};
  const unknown: PropertyKey[] = [];
  if (properties.OWNER !== undefined) {
    if (!live.owner || !live.owner.listed) unknown.push('OWNER');
    else if (!ownerMatches(properties.OWNER, live.owner)) drifted.OWNER = properties.OWNER;
  }
  if (properties.LAUNCH_ROLE !== undefined && !sameIdentity(describePrincipal(properties.LAUNCH_ROLE), describePrincipal(live.launchRoleArn))) {
    drifted.LAUNCH_ROLE = properties.LAUNCH_ROLE;
  }
  return { drifted, unknown };
}

/** True when the comparison proves the product already has every declared value. */
export function inDeclaredState(comparison: LiveComparison): boolean {
  return comparison.unknown.length === 0 && Object.keys(comparison.drifted).length === 0;
}

/** Whether the product's owner, as Search reports it, is the declared OWNER. */
export function ownerMatches(declared: string, live: Extract<LiveOwner, { listed: true }>): boolean {
  const wanted = describePrincipal(declared);
  const session = describePrincipal(live.userArnSession);
  if (!wanted) {
    return false;
  }
  if (wanted.kind === 'assumed-role') {
    // The session is authoritative where Search names one; otherwise UserArn may be the role itself.
    const reported = session?.kind === 'assumed-role' ? session : describePrincipal(live.userArn);
    return sameIdentity(wanted, reported) || (reported?.kind === 'role' && sameAccount(wanted, reported) && reported.name === wanted.name);
  }
  return sameIdentity(wanted, describePrincipal(live.userArn)) || sameIdentity(wanted, session);
}

/**
 * Same partition, account, kind and name (and session for an assumed role). A path is not part
 * of an identity: IAM role and user names are unique within an account, whatever their path.
 */
function sameIdentity(a: PrincipalArn | undefined, b: PrincipalArn | undefined): boolean {
  return a !== undefined && b !== undefined && sameAccount(a, b) && a.kind === b.kind && a.name === b.name && a.session === b.session;
}

function sameAccount(a: PrincipalArn, b: PrincipalArn): boolean {
  return a.partition === b.partition && a.account === b.account;
}

/**
 * The originals to keep for restoreOnDelete: the live value of each declared key, or '' where the
 * product had none (nothing to put back, but the key's original is known). The owner is kept as
 * `UserArn`, "the ARN of the user" in the API reference. Only called once every declared key was read.
 */
export function originalsToKeep(declared: PropertyValues, live: LiveProperties): PropertyValues {
  return pickValues({
    OWNER: (live.owner?.listed ? live.owner.userArn : undefined) ?? '',
    LAUNCH_ROLE: live.launchRoleArn ?? '',
  }, (key) => declared[key] !== undefined);
}

/** The live value of a key, for logs and drift reports. */
export function liveValue(key: PropertyKey, live: LiveProperties): string | null {
  if (key === 'LAUNCH_ROLE') return live.launchRoleArn ?? null;
  return live.owner?.listed ? live.owner.userArnSession ?? live.owner.userArn ?? null : null;
}
