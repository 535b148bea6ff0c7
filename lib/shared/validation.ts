/**
 * The validation rules shared by the construct (at synth time) and the Lambda handler (before
 * any API call), so that a hand-edited template is held to exactly the rules the construct applies.
 *
 * Pure functions only: this module is bundled into the Lambda, so it must not import aws-cdk-lib.
 */
import { AcceptLanguage } from '../accept-language';
import { PropertyKey, PropertyValues } from './declaration';

/** Service Catalog `Id` shape: 1-100 characters of `[a-zA-Z0-9_-]`. */
const PROVISIONED_PRODUCT_ID = /^[a-zA-Z0-9_-]{1,100}$/;
/** Service Catalog `ProvisionedProductName` shape. */
const PROVISIONED_PRODUCT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/;
/** Service Catalog `IdempotencyToken` shape. */
export const IDEMPOTENCY_TOKEN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,127}$/;
/** Service Catalog `PropertyValue` shape: at most 1024 characters. */
export const MAX_PROPERTY_VALUE_LENGTH = 1024;

export const MIN_TIMEOUT_SECONDS = 1;
/** CloudFormation waits at most one hour for a custom resource. */
export const MAX_TIMEOUT_SECONDS = 3600;

const PARTITION = 'aws(?:-[a-z]+)*';
const ACCOUNT = '\\d{12}';
/** IAM user, role and session names. */
const IAM_NAME = '[\\w+=,.@-]{1,64}';
const SESSION_NAME = '[\\w+=,.@-]{2,64}';
/** An IAM path: `/` or `/segment/.../`, printable ASCII without further slashes in a segment. */
const IAM_PATH = '(?:[\\x21-\\x2e\\x30-\\x7e]+/)*';

const IAM_USER_OR_ROLE_ARN = new RegExp(`^arn:(${PARTITION}):iam::(${ACCOUNT}):(user|role)/(${IAM_PATH})(${IAM_NAME})$`);
const ASSUMED_ROLE_ARN = new RegExp(`^arn:(${PARTITION}):sts::(${ACCOUNT}):assumed-role/(${IAM_NAME})/(${SESSION_NAME})$`);
const SERVICE_LINKED_ROLE_PATH = /^aws-service-role\//;

/** A validation failure that names the field and the value it rejects. */
export class PropertyValidationError extends Error {
  constructor(
    /** The prop or property that holds the bad value. */
    public readonly field: string,
    /** The rejected value. */
    public readonly value: unknown,
    /** What was expected, and how to fix it. */
    expectation: string,
  ) {
    super(`Invalid ${field} ${describeValue(value)}: ${expectation}`);
    this.name = 'PropertyValidationError';
  }
}

/** What an OWNER or LAUNCH_ROLE ARN names. */
export interface PrincipalArn {
  readonly partition: string;
  readonly account: string;
  readonly kind: 'user' | 'role' | 'assumed-role';
  /** The user or role name, without its path; for an assumed role, the role's name. */
  readonly name: string;
  /** The session name of an assumed role. */
  readonly session?: string;
}

/** The provisioned product id must match the Service Catalog `Id` shape. */
export function validateProvisionedProductId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !PROVISIONED_PRODUCT_ID.test(value)) {
    throw new PropertyValidationError(field, value,
      'expected a provisioned product id of 1-100 letters, digits, "_" or "-", such as "pp-abc123def4567".');
  }
  return value;
}

/** The provisioned product name must match the Service Catalog `ProvisionedProductName` shape. */
export function validateProvisionedProductName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !PROVISIONED_PRODUCT_NAME.test(value)) {
    throw new PropertyValidationError(field, value,
      'expected a provisioned product name of 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit.');
  }
  return value;
}

/** The product is named by exactly one of its id and its name. */
export function validateOneTarget(id: unknown, name: unknown, fields: string): void {
  if ((id === undefined) === (name === undefined)) {
    throw new PropertyValidationError(fields, id ?? name,
      'give exactly one of them: the id of the provisioned product, or its name.');
  }
}

/** What a principal's ARN names, as `<service>:<resource type>`. */
export type PrincipalType = 'iam:user' | 'iam:role' | 'sts:assumed-role';

/**
 * The principals each key accepts: one rule, for an ARN known in full and for the known parts of
 * an ARN with tokens (the construct at synth time).
 */
export const ACCEPTED_PRINCIPALS: Readonly<Record<PropertyKey, { readonly types: readonly PrincipalType[]; readonly expected: string }>> = {
  OWNER: {
    types: ['iam:user', 'iam:role', 'sts:assumed-role'],
    expected: 'expected an IAM user, IAM role or STS assumed-role ARN, such as "arn:aws:iam::123456789012:role/PlatformTeam"',
  },
  LAUNCH_ROLE: {
    types: ['iam:role'],
    expected: 'expected an IAM role ARN, such as "arn:aws:iam::123456789012:role/SCLaunchRole"',
  },
};

/** The account and partition a principal must be in: the stack's, where known. */
export interface StackEnvironment {
  readonly account?: string;
  readonly partition?: string;
}

/** What is known of a principal's ARN; a part is undefined where it is not known yet (a token at synth). */
export interface PrincipalParts {
  readonly partition?: string;
  readonly account?: string;
  /** `<service>:<resource type>`, such as `iam:role`. */
  readonly type?: string;
}

/**
 * A principal ARN for `key`, in full: its shape, a type the key accepts, the stack's partition
 * and account where known, and no service-linked role.
 */
export function parsePrincipalArn(key: PropertyKey, value: unknown, field: string, stack: StackEnvironment = {}): PrincipalArn {
  const { expected } = ACCEPTED_PRINCIPALS[key];
  const arn = requireArnString(value, field, `${expected}.`);
  const principal = describePrincipal(arn);
  if (!principal) {
    throw new PropertyValidationError(field, value, `${expected}.`);
  }
  checkPrincipalParts(key, { ...principal, type: principalType(principal) }, arn, field, stack);
  rejectServiceLinkedRole(arn, field);
  return principal;
}

/** The rules every known part of a principal's ARN must meet: see `parsePrincipalArn`. */
export function checkPrincipalParts(key: PropertyKey, parts: PrincipalParts, value: string, field: string, stack: StackEnvironment): void {
  const { types, expected } = ACCEPTED_PRINCIPALS[key];
  if (parts.type !== undefined && !(types as readonly string[]).includes(parts.type)) {
    throw new PropertyValidationError(field, value, `${expected}, but it names ${parts.type}.`);
  }
  if (stack.partition !== undefined && parts.partition !== undefined) {
    validateSamePartition(parts.partition, value, field, stack.partition);
  }
  if (stack.account !== undefined && parts.account !== undefined) {
    validateSameAccount(parts.account, value, field, stack.account);
  }
}

/** OWNER: an IAM user, IAM role or STS assumed-role ARN. */
export function parseOwnerArn(value: unknown, field: string): PrincipalArn {
  return parsePrincipalArn('OWNER', value, field);
}

/** LAUNCH_ROLE: an IAM role ARN, nothing else. */
export function parseLaunchRoleArn(value: unknown, field: string): PrincipalArn {
  return parsePrincipalArn('LAUNCH_ROLE', value, field);
}

/**
 * The declared OWNER and LAUNCH_ROLE of a request or a drift entry: at least one, each a
 * principal its key accepts, in the stack's account and partition. `fields` names them for errors.
 */
export function parseDeclaredValues(values: { readonly [key in PropertyKey]?: unknown }, stack: StackEnvironment,
  fields: Readonly<Record<PropertyKey, string>>): PropertyValues {
  validateSomethingDeclared(values.OWNER, values.LAUNCH_ROLE, `${fields.OWNER} and ${fields.LAUNCH_ROLE}`);
  const parsed: Partial<Record<PropertyKey, string>> = {};
  for (const key of ['OWNER', 'LAUNCH_ROLE'] as const) {
    if (values[key] !== undefined) {
      parsePrincipalArn(key, values[key], fields[key], stack);
      parsed[key] = values[key] as string;
    }
  }
  return parsed;
}

function principalType(principal: PrincipalArn): PrincipalType {
  return principal.kind === 'assumed-role' ? 'sts:assumed-role' : `iam:${principal.kind}`;
}

/** Service Catalog only accepts principals of the account that owns the provisioned product. */
function validateSameAccount(principalAccount: string, value: string, field: string, stackAccount: string): void {
  if (principalAccount !== stackAccount) {
    throw new PropertyValidationError(field, value,
      `the principal is in account ${principalAccount}, but the stack deploys to account ${stackAccount}; `
      + 'Service Catalog only accepts principals of the same account as the provisioned product.');
  }
}

/** Service Catalog's principals must be of the product's partition, as they must be of its account. */
function validateSamePartition(principalPartition: string, value: string, field: string, stackPartition: string): void {
  if (principalPartition !== stackPartition) {
    throw new PropertyValidationError(field, value,
      `the principal is in partition ${principalPartition}, but the stack deploys to partition ${stackPartition}; `
      + 'name a principal of the stack\'s own partition.');
  }
}

/** What an IAM user, role or assumed-role ARN names, or undefined for anything else. Never throws. */
export function describePrincipal(arn: unknown): PrincipalArn | undefined {
  return typeof arn === 'string' ? matchUserOrRole(arn) ?? matchAssumedRole(arn) : undefined;
}

/** AcceptLanguage: one of the documented codes. */
export function validateAcceptLanguage(value: unknown, field: string): AcceptLanguage {
  const codes = Object.values(AcceptLanguage) as string[];
  if (typeof value !== 'string' || !codes.includes(value)) {
    throw new PropertyValidationError(field, value, `expected one of ${codes.map((c) => `"${c}"`).join(', ')}.`);
  }
  return value as AcceptLanguage;
}

/** The wait for the record: whole seconds, at most CloudFormation's one hour. `shown` quotes it as written. */
export function validateTimeoutSeconds(value: unknown, field: string, shown: unknown = value): number {
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)
    || seconds < MIN_TIMEOUT_SECONDS || seconds > MAX_TIMEOUT_SECONDS) {
    throw new PropertyValidationError(field, shown,
      `expected whole seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS} (1 hour, CloudFormation's limit).`);
  }
  return seconds;
}

/** At least one of OWNER and LAUNCH_ROLE must be declared, or there is nothing to enforce. */
export function validateSomethingDeclared(owner: unknown, launchRole: unknown, fields: string): void {
  if (owner === undefined && launchRole === undefined) {
    throw new PropertyValidationError(fields, undefined, 'declare at least one of them; there is nothing to enforce.');
  }
}

function requireArnString(value: unknown, field: string, expected: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new PropertyValidationError(field, value, `${expected}${arnHint(value)}`);
  }
  if (value.length > MAX_PROPERTY_VALUE_LENGTH) {
    throw new PropertyValidationError(field, value,
      `it is ${value.length} characters long; Service Catalog accepts at most ${MAX_PROPERTY_VALUE_LENGTH}.`);
  }
  return value;
}

function matchUserOrRole(arn: string): PrincipalArn | undefined {
  const m = IAM_USER_OR_ROLE_ARN.exec(arn);
  return m ? { partition: m[1], account: m[2], kind: m[3] as 'user' | 'role', name: m[5] } : undefined;
}

function matchAssumedRole(arn: string): PrincipalArn | undefined {
  const m = ASSUMED_ROLE_ARN.exec(arn);
  return m ? { partition: m[1], account: m[2], kind: 'assumed-role', name: m[3], session: m[4] } : undefined;
}

function rejectServiceLinkedRole(arn: string, field: string): void {
  const resource = arn.split(':').slice(5).join(':');
  if (resource.startsWith('role/') && SERVICE_LINKED_ROLE_PATH.test(resource.slice('role/'.length))) {
    throw new PropertyValidationError(field, arn,
      'this is a service-linked role, which only its AWS service can use; name a role of your own.');
  }
}

/**
 * Quotes a value for an error message, cut short so that a huge value cannot flood it. Never throws:
 * an object (an iam.Role passed from JavaScript or Python where a string belongs) is named by its
 * class, not serialized (a construct is circular).
 */
function describeValue(value: unknown): string {
  if (value === undefined) {
    return '(not set)';
  }
  if (typeof value === 'object' && value !== null) {
    const kind = Array.isArray(value) ? 'an array' : `${articleFor(className(value))} ${className(value)} object`;
    return `(${kind}, not a string)`;
  }
  if (typeof value === 'function') {
    return '(a function, not a string)';
  }
  const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? JSON.stringify(value) : String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…(${text.length} characters)` : text;
}

/** The class's jsii name where it has one (aws-cdk-lib's minified classes can be named `Role2`), else its JavaScript name. */
function className(value: object): string {
  const constructor = (value as { constructor?: { name?: unknown } & Record<symbol, { fqn?: unknown } | undefined> }).constructor;
  const fqn = constructor?.[Symbol.for('jsii.rtti')]?.fqn;
  if (typeof fqn === 'string') return fqn;
  const name = constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}

function articleFor(word: string): string {
  return /^[AEIOU]/i.test(word) ? 'an' : 'a';
}

/** What to pass instead of an IAM construct given where its ARN belongs. */
function arnHint(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  for (const attribute of ['roleArn', 'userArn']) {
    if (typeof (value as Record<string, unknown>)[attribute] === 'string') {
      return ` Pass its ARN instead (its ${attribute}).`;
    }
  }
  return '';
}
