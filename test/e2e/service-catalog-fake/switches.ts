/**
 * Switches for what AWS does not document. Each behaviour below is a reading the project's code
 * must survive; the default is the most likely reading (or the fake's behaviour before the
 * switch existed), and each doc comment names its source or says "undocumented".
 * Set them at `ServiceCatalogFake.start({...})` or at runtime with `fake.configure({...})`.
 */
import { OperationName } from './model-constraints';

export interface ThrottleRate {
  /** Tokens added to the bucket per second of the fake's clock. */
  readonly ratePerSecond: number;
  /** Bucket size: how many calls may pass at once after a quiet period. */
  readonly burst: number;
}

/** Throttling of a fake's operations (`Op`: its operation names; Service Catalog's by default). */
export interface ThrottleSettings<Op extends string = OperationName> extends ThrottleRate {
  /** Other rates for some operations; each operation always has its own bucket. */
  readonly operations?: Partial<Record<Op, ThrottleRate>>;
}

export interface FakeSwitches {
  /**
   * Search is index-backed: a product added (or whose OWNER changed) becomes visible to
   * SearchProvisionedProducts this long after the change. AWS confirmed Search can miss existing
   * products (aws-service-catalog-puppet moved to Scan for it); how long is undocumented.
   * Default 0. A product may override it (`searchLagMs` on addProduct / configureProduct).
   */
  readonly searchLagMs: number;
  /**
   * What Search shows of a product whose latest OWNER change is not indexed yet (undocumented):
   * 'stale-owner' (default: an index usually keeps the old document until re-indexed) lists it
   * with the previous owner; 'unlisted' lists it not at all. A product added less than the lag
   * ago is unlisted either way.
   */
  readonly searchLagReading: 'stale-owner' | 'unlisted';
  /**
   * Whether searchLagMs also delays the listing of a product added to the fake ('changes-and-additions',
   * default: a product provisioned moments ago) or only OWNER changes ('changes': the product was
   * provisioned long before, and Search shows it at once, with the owner it had then). Undocumented.
   */
  readonly searchLagAppliesTo: 'changes-and-additions' | 'changes';
  /** Search page size when PageSize is absent or 0. The model allows 0–100; the default is undocumented. Default 20. */
  readonly searchDefaultPageSize: number;
  /**
   * The most items one Search page holds, whatever PageSize asks: PageSize is documented as "the
   * maximum number of items to return", so fewer is allowed. Default 100 (the model's maximum).
   */
  readonly searchMaxPageSize: number;
  /**
   * Whether SearchQuery filters before the page is cut ('filter-then-page', default), or pages
   * are cut from everything the access level shows and then filtered ('page-then-filter'), so
   * a match can sit on a later page behind empty ones. Undocumented.
   */
  readonly searchPaging: 'filter-then-page' | 'page-then-filter';
  /**
   * Search's UserArn / UserArnSession for an OWNER (documented only as "the ARN of the user" and
   * "the ARN of the user in the session; might contain a session id"). 'as-set' (default): both
   * are the OWNER as set. 'role-and-session': for an assumed-role OWNER
   * arn:P:sts::A:assumed-role/R/S, UserArn is arn:P:iam::A:role/<path>R (path from
   * `registerRolePath`, else none) and UserArnSession the session ARN. Undocumented.
   */
  readonly ownerArnForm: 'as-set' | 'role-and-session';
  /**
   * Whether a role's IAM path stays in UserArn ('kept', default: as set) or is dropped
   * ('dropped': arn:P:iam::A:role/R), for an IAM role OWNER and for the role UserArn names under
   * 'role-and-session'. User paths are kept. Undocumented.
   */
  readonly ownerRolePath: 'kept' | 'dropped';
  /**
   * DescribeRecord answers ResourceNotFoundException for this long after a record is created.
   * Undocumented; terraform-provider-aws's record waiter treats NOT_FOUND as pending, which
   * suggests it happens. Default 0. A product may override it.
   */
  readonly recordVisibleAfterMs: number;
  /**
   * DescribeRecord answers ResourceNotFoundException to the first this many reads of each record
   * of a properties update, whatever the time: the same late-record reading as recordVisibleAfterMs,
   * counted in calls so that it does not depend on how fast a test runs. Undocumented. Default 0.
   */
  readonly recordNotFoundReads: number;
  /**
   * Whether a call's IdempotencyToken is looked up before the product's state is checked
   * ('token-first', default: a replay gets the original record even while the product is
   * UNDER_CHANGE with that change) or after ('state-first': a replay while the product is busy
   * answers InvalidStateException; once it is AVAILABLE a replay gets the original record).
   * Undocumented: only the token's shape is.
   */
  readonly tokenCheck: 'token-first' | 'state-first';
  /**
   * When true, a token whose call was refused with InvalidStateException or
   * InvalidParametersException is remembered, and a later call with it and the same parameters
   * gets that refusal again. Undocumented. Default false.
   */
  readonly refusalConsumesToken: boolean;
  /**
   * The status DescribeProvisionedProduct shows while a properties record of the product runs:
   * 'UNDER_CHANGE' (default; the API reference calls it the transitional status to wait on) or
   * 'AVAILABLE' (undocumented that it cannot be). The service itself still refuses a change
   * meanwhile (InvalidStateException), so under 'AVAILABLE' that refusal meets an AVAILABLE product.
   */
  readonly statusWhileRecordRuns: 'UNDER_CHANGE' | 'AVAILABLE';
  /**
   * A token bucket per operation for the whole account; a call finding its bucket empty gets
   * HTTP 400 ThrottlingException "Rate exceeded". Quotas are not published; other AWS tools
   * configure many retries for Service Catalog. Default: off.
   */
  readonly throttle?: ThrottleSettings;
}

export type FakeSwitchSettings = Partial<FakeSwitches>;

/** The easiest (or most likely) reading of each switch: the defaults unless E2E_READINGS says otherwise. */
export const EASIEST_SWITCHES: FakeSwitches = {
  searchLagMs: 0,
  searchLagReading: 'stale-owner',
  searchLagAppliesTo: 'changes-and-additions',
  searchDefaultPageSize: 20,
  searchMaxPageSize: 100,
  searchPaging: 'filter-then-page',
  ownerArnForm: 'as-set',
  ownerRolePath: 'kept',
  recordVisibleAfterMs: 0,
  recordNotFoundReads: 0,
  tokenCheck: 'token-first',
  refusalConsumesToken: false,
  statusWhileRecordRuns: 'UNDER_CHANGE',
  throttle: undefined,
};

/**
 * The hardest reading of each switch the handler must survive with the same results, each made
 * deterministic (no race with the machine's speed): Search never shows an OWNER change within a
 * test (it keeps the old owner; products added to the fake are listed at once, as provisioned long
 * before), and pages are cut before filtering, small; the owner comes back as the role and its
 * session, without the role's path; each record is not found by its first 2 reads; a product shows
 * AVAILABLE while its record runs; the product's state is checked before the token, and a refused call consumes its token. Throttling stays off:
 * tests that want it set it.
 */
export const ADVERSARIAL_SWITCHES: FakeSwitches = {
  searchLagMs: Infinity,
  searchLagReading: 'stale-owner',
  searchLagAppliesTo: 'changes',
  searchDefaultPageSize: 1,
  searchMaxPageSize: 5,
  searchPaging: 'page-then-filter',
  ownerArnForm: 'role-and-session',
  ownerRolePath: 'dropped',
  recordVisibleAfterMs: 0,
  recordNotFoundReads: 2,
  tokenCheck: 'state-first',
  refusalConsumesToken: true,
  throttle: undefined,
  statusWhileRecordRuns: 'AVAILABLE',
};

/** The environment variable that picks the fake's default readings: unset or 'easiest', or 'adversarial'. */
export const READINGS_ENV = 'E2E_READINGS';

/** The fake's default switches: EASIEST_SWITCHES, or ADVERSARIAL_SWITCHES when E2E_READINGS=adversarial. */
export const DEFAULT_SWITCHES: FakeSwitches = readingsOf(process.env[READINGS_ENV]);

function readingsOf(value: string | undefined): FakeSwitches {
  if (value === undefined || value === '' || value === 'easiest') return EASIEST_SWITCHES;
  if (value === 'adversarial') return ADVERSARIAL_SWITCHES;
  throw new Error(`${READINGS_ENV} must be 'easiest' or 'adversarial'; got '${value}'`);
}

const CHOICES: Partial<Record<keyof FakeSwitches, readonly string[]>> = {
  searchLagReading: ['stale-owner', 'unlisted'],
  searchLagAppliesTo: ['changes-and-additions', 'changes'],
  searchPaging: ['filter-then-page', 'page-then-filter'],
  ownerArnForm: ['as-set', 'role-and-session'],
  ownerRolePath: ['kept', 'dropped'],
  tokenCheck: ['token-first', 'state-first'],
  statusWhileRecordRuns: ['UNDER_CHANGE', 'AVAILABLE'],
};

/** The switch settings among `options` (keys of DEFAULT_SWITCHES that `options` has). */
export function switchSettingsOf(options: object): FakeSwitchSettings {
  return Object.fromEntries(Object.entries(options).filter(([key]) => key in DEFAULT_SWITCHES));
}

/** `current` with `settings` applied; throws on a value the switch does not take. */
export function applySwitches(current: FakeSwitches, settings: FakeSwitchSettings): FakeSwitches {
  const next = { ...current, ...settings };
  for (const [key, allowed] of Object.entries(CHOICES)) {
    const value = next[key as keyof FakeSwitches];
    if (!allowed!.includes(value as string)) throw new Error(`${key} must be one of ${allowed!.join(', ')}; got ${String(value)}`);
  }
  for (const key of ['searchLagMs', 'recordVisibleAfterMs', 'recordNotFoundReads'] as const) nonNegative(key, next[key]);
  pageSize('searchDefaultPageSize', next.searchDefaultPageSize);
  pageSize('searchMaxPageSize', next.searchMaxPageSize);
  if (next.throttle) {
    checkRate('throttle', next.throttle);
    for (const [op, rate] of Object.entries(next.throttle.operations ?? {})) checkRate(`throttle.operations.${op}`, rate!);
  }
  return next;
}

/** A delay in ms: zero or more (Infinity allowed: never). */
export function nonNegative(name: string, value: number): void {
  if (!(value >= 0)) throw new Error(`${name} must be a number of ms >= 0; got ${value}`);
}

function pageSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 100) throw new Error(`${name} must be an integer from 1 to 100; got ${value}`);
}

function checkRate(name: string, rate: ThrottleRate): void {
  if (!(rate.ratePerSecond >= 0) || !(rate.burst >= 1)) {
    throw new Error(`${name} needs ratePerSecond >= 0 and burst >= 1; got ${JSON.stringify(rate)}`);
  }
}
