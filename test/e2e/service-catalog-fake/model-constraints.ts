/**
 * Input constraints of the Service Catalog operations the project calls, and the check that
 * enforces them the way AWS JSON services do (400 ValidationException, Coral-style message).
 *
 * The shapes below were copied by hand from the official AWS Service Catalog API model,
 * 2015-12-10 (botocore 1.43.11, data/servicecatalog/2015-12-10/service-2.json, Apache-2.0).
 * They are copied rather than loaded because a fresh clone of this project does not carry the
 * model file, and because the SDK itself checks none of them on the client side.
 */

export const TARGET_PREFIX = 'AWS242ServiceCatalogService';

export const OPERATIONS = [
  'UpdateProvisionedProductProperties',
  'DescribeRecord',
  'DescribeProvisionedProduct',
  'SearchProvisionedProducts',
  'ScanProvisionedProducts',
] as const;
export type OperationName = typeof OPERATIONS[number];

export const RECORD_STATUSES = ['CREATED', 'IN_PROGRESS', 'IN_PROGRESS_IN_ERROR', 'SUCCEEDED', 'FAILED'] as const;
export type RecordStatus = typeof RECORD_STATUSES[number];

export const PROVISIONED_PRODUCT_STATUSES = ['AVAILABLE', 'UNDER_CHANGE', 'TAINTED', 'ERROR', 'PLAN_IN_PROGRESS'] as const;
export type ProvisionedProductStatus = typeof PROVISIONED_PRODUCT_STATUSES[number];

export const PROPERTY_KEYS = ['OWNER', 'LAUNCH_ROLE'] as const;
export type PropertyKey = typeof PROPERTY_KEYS[number];

export const ACCESS_LEVEL_FILTER_KEYS = ['Account', 'Role', 'User'] as const;
export type AccessLevelFilterKey = typeof ACCESS_LEVEL_FILTER_KEYS[number];

type ShapeDef =
  | { type: 'string'; min?: number; max?: number; pattern?: string; enum?: readonly string[] }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'structure'; required?: readonly string[]; members: Readonly<Record<string, string>> }
  | { type: 'map'; key: string; value: string; min?: number; max?: number }
  | { type: 'list'; member: string; min?: number; max?: number };

/** Input shapes only, by model name; member values name other shapes. */
const SHAPES: Readonly<Record<string, ShapeDef>> = {
  // UpdateProvisionedProductProperties
  UpdateProvisionedProductPropertiesInput: {
    type: 'structure',
    required: ['ProvisionedProductId', 'ProvisionedProductProperties', 'IdempotencyToken'],
    members: {
      AcceptLanguage: 'AcceptLanguage',
      ProvisionedProductId: 'Id',
      ProvisionedProductProperties: 'ProvisionedProductProperties',
      IdempotencyToken: 'IdempotencyToken',
    },
  },
  AcceptLanguage: { type: 'string', max: 100 },
  Id: { type: 'string', min: 1, max: 100, pattern: '^[a-zA-Z0-9_\\-]*' },
  ProvisionedProductProperties: { type: 'map', key: 'PropertyKey', value: 'PropertyValue', min: 1, max: 100 },
  PropertyKey: { type: 'string', min: 1, max: 128, enum: PROPERTY_KEYS },
  PropertyValue: { type: 'string', min: 0, max: 1024 },
  IdempotencyToken: { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9][a-zA-Z0-9_-]*' },

  // DescribeRecord
  DescribeRecordInput: {
    type: 'structure',
    required: ['Id'],
    members: { AcceptLanguage: 'AcceptLanguage', Id: 'Id', PageToken: 'PageToken', PageSize: 'PageSize' },
  },
  PageToken: { type: 'string', max: 2024, pattern: '[\\u0009\\u000a\\u000d\\u0020-\\uD7FF\\uE000-\\uFFFD]*' },
  PageSize: { type: 'integer', min: 0, max: 20 },

  // DescribeProvisionedProduct
  DescribeProvisionedProductInput: {
    type: 'structure',
    members: { AcceptLanguage: 'AcceptLanguage', Id: 'Id', Name: 'ProvisionedProductName' },
  },
  ProvisionedProductName: { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9][a-zA-Z0-9._-]*' },

  // SearchProvisionedProducts
  SearchProvisionedProductsInput: {
    type: 'structure',
    members: {
      AcceptLanguage: 'AcceptLanguage',
      AccessLevelFilter: 'AccessLevelFilter',
      Filters: 'ProvisionedProductFilters',
      SortBy: 'SortField',
      SortOrder: 'SortOrder',
      PageSize: 'SearchProvisionedProductsPageSize',
      PageToken: 'PageToken',
    },
  },
  AccessLevelFilter: { type: 'structure', members: { Key: 'AccessLevelFilterKey', Value: 'AccessLevelFilterValue' } },
  AccessLevelFilterKey: { type: 'string', enum: ACCESS_LEVEL_FILTER_KEYS },
  AccessLevelFilterValue: { type: 'string' },
  ProvisionedProductFilters: { type: 'map', key: 'ProvisionedProductViewFilterBy', value: 'ProvisionedProductViewFilterValues' },
  ProvisionedProductViewFilterBy: { type: 'string', enum: ['SearchQuery'] },
  ProvisionedProductViewFilterValues: { type: 'list', member: 'ProvisionedProductViewFilterValue' },
  ProvisionedProductViewFilterValue: { type: 'string' },
  SortField: { type: 'string' },
  SortOrder: { type: 'string', enum: ['ASCENDING', 'DESCENDING'] },
  SearchProvisionedProductsPageSize: { type: 'integer', min: 0, max: 100 },

  // ScanProvisionedProducts (pages of 0-20, the model's PageSize)
  ScanProvisionedProductsInput: {
    type: 'structure',
    members: { AcceptLanguage: 'AcceptLanguage', AccessLevelFilter: 'AccessLevelFilter', PageSize: 'PageSize', PageToken: 'PageToken' },
  },
};

/** The input shape of each operation. */
export const OPERATION_INPUT_SHAPES: Readonly<Record<OperationName, string>> = {
  UpdateProvisionedProductProperties: 'UpdateProvisionedProductPropertiesInput',
  DescribeRecord: 'DescribeRecordInput',
  DescribeProvisionedProduct: 'DescribeProvisionedProductInput',
  SearchProvisionedProducts: 'SearchProvisionedProductsInput',
  ScanProvisionedProducts: 'ScanProvisionedProductsInput',
};

/**
 * A JSON value of the wrong type (a number where the model says string, ...). Real services
 * answer these with SerializationException before any constraint is checked.
 */
export class WrongTypeError extends Error {}

/**
 * Checks `input` against the named shape. Returns the Coral-style message of a
 * ValidationException, or undefined when the input satisfies the model.
 * Throws WrongTypeError when a value does not even have the modeled JSON type.
 */
export function validateInput(shapeName: string, input: unknown): string | undefined {
  const violations: string[] = [];
  checkShape(shapeName, input, '', violations);
  if (violations.length === 0) return undefined;
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`;
}

function checkShape(shapeName: string, value: unknown, path: string, out: string[]): void {
  const shape = SHAPES[shapeName];
  switch (shape.type) {
    case 'structure': {
      if (!isPlainObject(value)) throw new WrongTypeError(`Expected an object at '${path || '/'}'`);
      for (const [member, memberShape] of Object.entries(shape.members)) {
        const memberPath = joinPath(path, lowerFirst(member));
        const memberValue = value[member];
        if (memberValue === undefined || memberValue === null) {
          if (shape.required?.includes(member)) out.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
          continue;
        }
        checkShape(memberShape, memberValue, memberPath, out);
      }
      return;
    }
    case 'string':
    case 'integer':
      for (const c of scalarViolations(shapeName, value, path)) out.push(violation(value, path, c));
      return;
    case 'map': {
      if (!isPlainObject(value)) throw new WrongTypeError(`Expected a map at '${path}'`);
      const entries = Object.entries(value);
      for (const c of sizeViolations(entries.length, shape)) out.push(violation(value, path, c));
      // Coral reports key and value violations once per map, with the member constraints in brackets.
      const keyViolations = unique(entries.flatMap(([k]) => scalarViolations(shape.key, k, path)));
      if (keyViolations.length > 0) out.push(violation(value, path, `Map keys must satisfy constraint: [${keyViolations.join(', ')}]`));
      if (!isScalar(shape.value)) {
        for (const [k, v] of entries) checkShape(shape.value, v, `${path}.${k}`, out);
        return;
      }
      const valueViolations = unique(entries.flatMap(([, v]) => scalarViolations(shape.value, v, path)));
      if (valueViolations.length > 0) out.push(violation(value, path, `Map value must satisfy constraint: [${valueViolations.join(', ')}]`));
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) throw new WrongTypeError(`Expected a list at '${path}'`);
      for (const c of sizeViolations(value.length, shape)) out.push(violation(value, path, c));
      value.forEach((item, i) => checkShape(shape.member, item, `${path}.member.${i + 1}`, out));
      return;
    }
  }
}

/** Constraint phrases ("Member must ...") broken by a string or integer value. */
function scalarViolations(shapeName: string, value: unknown, path: string): string[] {
  const shape = SHAPES[shapeName];
  if (shape.type === 'integer') {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new WrongTypeError(`Expected an integer at '${path}'`);
    const out: string[] = [];
    if (shape.min !== undefined && value < shape.min) out.push(`Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value > shape.max) out.push(`Member must have value less than or equal to ${shape.max}`);
    return out;
  }
  if (shape.type !== 'string') throw new Error(`shape ${shapeName} is not a scalar`);
  if (typeof value !== 'string') throw new WrongTypeError(`Expected a string at '${path}'`);
  const out = sizeViolations(value.length, shape);
  if (shape.pattern !== undefined && !wholeMatch(shape.pattern, value)) {
    out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  }
  if (shape.enum !== undefined && !shape.enum.includes(value)) {
    out.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  }
  return out;
}

function isScalar(shapeName: string): boolean {
  const type = SHAPES[shapeName].type;
  return type === 'string' || type === 'integer';
}

function sizeViolations(size: number, shape: { min?: number; max?: number }): string[] {
  const out: string[] = [];
  if (shape.min !== undefined && size < shape.min) out.push(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && size > shape.max) out.push(`Member must have length less than or equal to ${shape.max}`);
  return out;
}

/** Model patterns are Java regexes applied to the whole value (String.matches), not a search. */
function wholeMatch(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`, 'u').test(value);
}

function violation(value: unknown, path: string, constraint: string): string {
  return `Value ${renderValue(value)} at '${path}' failed to satisfy constraint: ${constraint}`;
}

/** Renders a value the way Java's toString does in Coral messages: 'text', {K=V}, [a, b]. */
function renderValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(String).join(', ')}]`;
  if (isPlainObject(value)) return `'{${Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(', ')}}'`;
  return String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinPath(parent: string, member: string): string {
  return parent === '' ? member : `${parent}.${member}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
