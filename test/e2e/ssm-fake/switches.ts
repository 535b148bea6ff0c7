/**
 * Switches of the SSM Parameter Store fake for what AWS does not document (or documents in two
 * ways). Each doc comment names its source or says "undocumented"; the default is the most likely
 * reading. Set them at `SsmFake.start({...})` or later with `fake.configure({...})`.
 */
import { READINGS_ENV, ThrottleSettings } from '../service-catalog-fake/switches';

/** The operations the fake answers. */
export const SSM_OPERATIONS = ['GetParameter', 'GetParameters', 'PutParameter', 'DeleteParameter', 'GetParametersByPath'] as const;
export type SsmOperation = typeof SSM_OPERATIONS[number];

export interface SsmSwitches {
  /**
   * A token bucket per operation for the account, refilled by the fake's clock (a ManualClock by
   * default: no refill until the test moves it). A call finding its bucket empty gets HTTP 400
   * ThrottlingException "Rate exceeded" (API Reference, GetParameter/PutParameter notes on Parameter
   * Store throughput; Knowledge Center "ssm-parameter-store-rate-exceeded"). The real quotas
   * (40 TPS shared by the reads by default) are the test's to scale. Default: off.
   */
  readonly throttle?: ThrottleSettings<SsmOperation>;
  /**
   * After each PutParameter, the next this many reads of that parameter (GetParameter, and the
   * parameter in GetParameters or GetParametersByPath) still answer what it was before the put
   * (ParameterNotFound for a new one). Whether reads are strongly consistent after a write is
   * undocumented. Counted in reads, not time, so no test races the clock. Default 0.
   */
  readonly staleReadsAfterPut: number;
  /**
   * Whether an overwrite with the value, type and tier the parameter already has makes a new
   * version ('new-version', default) or answers the current one unchanged ('same-version').
   * Undocumented; the User Guide only says each overwrite increments the version.
   */
  readonly samePut: 'new-version' | 'same-version';
  /**
   * What the 1011-character limit on a name counts: 'arn-and-name' (default: "includes the
   * characters in the ARN that precede the name you specify", PutParameter Name in the API
   * Reference) or 'name' (the name with its path only, as the CloudFormation docs were read).
   */
  readonly nameLimitCounts: 'arn-and-name' | 'name';
  /**
   * What the Standard tier's 4096 (Advanced 8192) value limit counts: 'characters' (default:
   * ValidationException "Standard tier parameters support a maximum parameter value of 4096
   * characters") or 'utf8-bytes' (the User Guide says "4 KB"). Undocumented which.
   */
  readonly valueLimitCounts: 'characters' | 'utf8-bytes';
  /**
   * GetParameters naming a parameter the caller may not read: 'whole-call' (default:
   * AccessDeniedException for the call, as IAM refuses a request) or 'invalid-parameters' (the
   * denied names are listed in InvalidParameters). Undocumented.
   */
  readonly getParametersDenied: 'whole-call' | 'invalid-parameters';
  /**
   * The most parameters one GetParametersByPath page holds, whatever MaxResults asks (1-10): the
   * API Reference says results are best-effort, "between zero and the value of MaxResults", with a
   * NextToken. Default 10.
   */
  readonly byPathPageLimit: number;
  /**
   * The HTTP status of AccessDeniedException: older Common Errors pages say 400, newer ones 403.
   * The SDK reads the error's name from the body either way. Default 400.
   */
  readonly accessDeniedStatus: 400 | 403;
}

export type SsmSwitchSettings = Partial<SsmSwitches>;

export const SSM_EASIEST: SsmSwitches = {
  throttle: undefined, staleReadsAfterPut: 0, samePut: 'new-version', nameLimitCounts: 'arn-and-name',
  valueLimitCounts: 'characters', getParametersDenied: 'whole-call', byPathPageLimit: 10, accessDeniedStatus: 400,
};

/** The hardest readings, deterministic: one stale read after each put, limits in bytes, one item a page. */
export const SSM_ADVERSARIAL: SsmSwitches = {
  throttle: undefined, staleReadsAfterPut: 1, samePut: 'same-version', nameLimitCounts: 'arn-and-name',
  valueLimitCounts: 'utf8-bytes', getParametersDenied: 'invalid-parameters', byPathPageLimit: 1, accessDeniedStatus: 403,
};

/** SSM_EASIEST, or SSM_ADVERSARIAL under E2E_READINGS=adversarial (as the Service Catalog fake). */
export function defaultSsmSwitches(): SsmSwitches {
  return process.env[READINGS_ENV] === 'adversarial' ? SSM_ADVERSARIAL : SSM_EASIEST;
}

const CHOICES: Partial<Record<keyof SsmSwitches, readonly unknown[]>> = {
  samePut: ['new-version', 'same-version'],
  nameLimitCounts: ['arn-and-name', 'name'],
  valueLimitCounts: ['characters', 'utf8-bytes'],
  getParametersDenied: ['whole-call', 'invalid-parameters'],
  accessDeniedStatus: [400, 403],
};

/** `current` with `settings` applied; throws on a value a switch does not take. */
export function applySsmSwitches(current: SsmSwitches, settings: SsmSwitchSettings): SsmSwitches {
  const next = { ...current, ...settings };
  for (const [key, allowed] of Object.entries(CHOICES)) {
    const value = next[key as keyof SsmSwitches];
    if (!allowed!.includes(value)) throw new Error(`${key} must be one of ${allowed!.join(', ')}; got ${String(value)}`);
  }
  if (!Number.isInteger(next.staleReadsAfterPut) || next.staleReadsAfterPut < 0) {
    throw new Error(`staleReadsAfterPut must be an integer >= 0; got ${next.staleReadsAfterPut}`);
  }
  if (!Number.isInteger(next.byPathPageLimit) || next.byPathPageLimit < 1 || next.byPathPageLimit > 10) {
    throw new Error(`byPathPageLimit must be an integer from 1 to 10; got ${next.byPathPageLimit}`);
  }
  if (next.throttle && (!(next.throttle.ratePerSecond >= 0) || !(next.throttle.burst >= 1))) {
    throw new Error(`throttle needs ratePerSecond >= 0 and burst >= 1; got ${JSON.stringify(next.throttle)}`);
  }
  return next;
}
