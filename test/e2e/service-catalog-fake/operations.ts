/**
 * The four operations the project calls, on input that already satisfies the model. Each returns the JSON output
 * or throws a ServiceError carrying one of the operation's modeled exceptions.
 */
import { parsePrincipalArn, sameRole } from './arns';
import { OperationName, PropertyKey, ProvisionedProductStatus } from './model-constraints';
import {
  ProductState, ServiceCatalogState, StoredRecord, statusAt, updatedAt, visibleErrors,
} from './state';

export class ServiceError extends Error {
  constructor(readonly errorType: string, message: string, readonly httpStatus = 400) {
    super(message);
  }
}

export interface OperationResult {
  readonly output: Record<string, unknown>;
  /** The record an Update created or replayed. */
  readonly recordId?: string;
  /** True when an Update was answered from its idempotency token, without a change. */
  readonly replayed?: boolean;
}

type Input = Record<string, any>;
type Handler = (state: ServiceCatalogState, input: Input, now: number) => OperationResult;

/** Statuses in which the service refuses to start another change. */
const BUSY_STATUSES: readonly ProvisionedProductStatus[] = ['UNDER_CHANGE', 'PLAN_IN_PROGRESS'];
/** SearchProvisionedProducts SortBy values the service documents. */
const SORT_FIELDS: Readonly<Record<string, (p: ProductState) => string | number>> = {
  arn: (p) => p.arn, id: (p) => p.id, name: (p) => p.name, lastRecordId: (p) => p.lastRecordId,
};
const DEFAULT_PAGE_SIZE = 20;

export const HANDLERS: Readonly<Record<OperationName, Handler>> = {
  UpdateProvisionedProductProperties: updateProvisionedProductProperties,
  DescribeRecord: describeRecord,
  DescribeProvisionedProduct: describeProvisionedProduct,
  SearchProvisionedProducts: searchProvisionedProducts,
};

function updateProvisionedProductProperties(state: ServiceCatalogState, input: Input, now: number): OperationResult {
  const id: string = input.ProvisionedProductId;
  const token: string = input.IdempotencyToken;
  const properties: Record<PropertyKey, string> = input.ProvisionedProductProperties;
  const fingerprint = JSON.stringify([id, Object.entries(properties).sort(([a], [b]) => a.localeCompare(b))]);

  // A retried request must get the original answer even if the product is busy with that very change.
  const prior = state.tokens.get(token);
  if (prior) {
    if (prior.fingerprint !== fingerprint) {
      throw new ServiceError('InvalidParametersException',
        `IdempotencyToken ${token} has already been used with different parameters.`);
    }
    const record = state.records.get(prior.recordId)!;
    return { output: updateOutput(record, statusAt(record, now)), recordId: record.id, replayed: true };
  }

  const product = findProduct(state, id);
  checkPropertyValues(properties, state.config.accountId);
  if (BUSY_STATUSES.includes(product.status)) {
    throw new ServiceError('InvalidStateException',
      `Provisioned product ${id} is in status ${product.status}; wait until the current operation completes.`);
  }
  const record = state.startPropertyUpdate(product, properties, token, fingerprint, now);
  return { output: updateOutput(record, 'CREATED'), recordId: record.id };
}

function updateOutput(record: StoredRecord, status: string): Record<string, unknown> {
  return {
    ProvisionedProductId: record.provisionedProductId,
    ProvisionedProductProperties: record.properties,
    RecordId: record.id,
    Status: status,
  };
}

/** OWNER: IAM user, IAM role or STS assumed-role ARN; LAUNCH_ROLE: IAM role ARN; both in the caller's account. */
function checkPropertyValues(properties: Record<PropertyKey, string>, accountId: string): void {
  for (const [key, value] of Object.entries(properties)) {
    const principal = parsePrincipalArn(value);
    if (key === 'OWNER' && !principal) {
      throw new ServiceError('InvalidParametersException',
        `OWNER must be an IAM user ARN, IAM role ARN or STS assumed-role ARN; got '${value}'.`);
    }
    if (key === 'LAUNCH_ROLE' && principal?.kind !== 'role') {
      throw new ServiceError('InvalidParametersException', `LAUNCH_ROLE must be an IAM role ARN; got '${value}'.`);
    }
    if (principal!.account !== accountId) {
      throw new ServiceError('InvalidParametersException',
        `${key} '${value}' is not in account ${accountId}; only principals of the same account are allowed.`);
    }
  }
}

function describeRecord(state: ServiceCatalogState, input: Input, now: number): OperationResult {
  const record = state.records.get(input.Id);
  if (!record) throw new ServiceError('ResourceNotFoundException', `Record ${input.Id} not found.`);
  return { output: { RecordDetail: recordDetail(record, now), RecordOutputs: [] } };
}

function describeProvisionedProduct(state: ServiceCatalogState, input: Input): OperationResult {
  const { Id: id, Name: name } = input;
  if ((id === undefined) === (name === undefined)) {
    throw new ServiceError('InvalidParametersException', 'Provide exactly one of Id or Name.');
  }
  const product = id !== undefined
    ? findProduct(state, id)
    : [...state.products.values()].find((p) => p.name === name);
  if (!product) throw new ServiceError('ResourceNotFoundException', `Provisioned product ${name} not found.`);
  return { output: { ProvisionedProductDetail: productDetail(product), CloudWatchDashboards: [] } };
}

function searchProvisionedProducts(state: ServiceCatalogState, input: Input): OperationResult {
  const queries: string[] = input.Filters?.SearchQuery ?? [];
  let matches = visibleProducts(state, input.AccessLevelFilter).filter((p) => queries.every((q) => matchesQuery(p, q)));
  if (input.SortBy !== undefined) {
    const field = SORT_FIELDS[input.SortBy];
    if (!field) throw new ServiceError('InvalidParametersException', `SortBy ${input.SortBy} is not one of ${Object.keys(SORT_FIELDS).join(', ')}.`);
    const direction = input.SortOrder === 'DESCENDING' ? -1 : 1;
    matches = [...matches].sort((a, b) => (field(a) < field(b) ? -direction : field(a) > field(b) ? direction : 0));
  }
  const page = paginate(matches, input.PageSize, input.PageToken);
  return {
    output: {
      ProvisionedProducts: page.items.map((p) => productAttribute(p)),
      TotalResultsCount: matches.length,
      NextPageToken: page.nextToken,
    },
  };
}

function findProduct(state: ServiceCatalogState, id: string): ProductState {
  const product = state.products.get(id);
  if (!product) throw new ServiceError('ResourceNotFoundException', `Provisioned product ${id} not found.`);
  return product;
}

/** AccessLevelFilter; the service's default is User (the caller's own products). */
function accessFilter(state: ServiceCatalogState, filter: Input | undefined): (ownerArn: string) => boolean {
  if (filter?.Value !== undefined && filter.Value.toLowerCase() !== 'self') {
    throw new ServiceError('InvalidParametersException', `AccessLevelFilter Value ${filter.Value} is not supported; use Self.`);
  }
  const caller = state.config.callerArn;
  switch (filter?.Key ?? 'User') {
    case 'Account': return () => true;
    case 'Role': return (owner) => owner === caller || sameRole(owner, caller);
    default: return (owner) => owner === caller;
  }
}

function visibleProducts(state: ServiceCatalogState, filter: Input | undefined): ProductState[] {
  const visible = accessFilter(state, filter);
  return [...state.products.values()].filter((p) => visible(p.ownerArn));
}

/** One SearchQuery value: `field:value` for a documented field, otherwise free text. */
function matchesQuery(product: ProductState, query: string): boolean {
  const fields = searchableFields(product);
  const colon = query.indexOf(':');
  const field = colon > 0 ? query.slice(0, colon) : '';
  if (field in fields) return fields[field] === query.slice(colon + 1);
  const text = query.toLowerCase();
  return Object.values(fields).some((v) => v !== undefined && v.toLowerCase().includes(text));
}

function searchableFields(p: ProductState): Record<string, string | undefined> {
  return {
    arn: p.arn, id: p.id, name: p.name, lastRecordId: p.lastRecordId, idempotencyToken: p.idempotencyToken,
    physicalId: p.physicalId, productId: p.productId, provisioningArtifactId: p.provisioningArtifactId, type: p.type,
    status: p.status, userArn: p.ownerArn, userArnSession: p.ownerArn, lastProvisioningRecordId: p.lastProvisioningRecordId,
    lastSuccessfulProvisioningRecordId: p.lastSuccessfulProvisioningRecordId, productName: p.productName,
  };
}

/** Opaque page tokens: the base64 of the next offset. */
function paginate<T>(items: T[], pageSize: number | undefined, pageToken: string | undefined): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (pageToken !== undefined) {
    offset = Number(Buffer.from(pageToken, 'base64').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new ServiceError('InvalidParametersException', 'The page token is not valid.');
  }
  const size = pageSize || DEFAULT_PAGE_SIZE;
  const end = offset + size;
  return { items: items.slice(offset, end), nextToken: end < items.length ? Buffer.from(String(end)).toString('base64') : undefined };
}

/** The service's JSON timestamps: epoch seconds, fractional. */
function epochSeconds(ms: number): number {
  return ms / 1000;
}

function productDetail(p: ProductState): Record<string, unknown> {
  return {
    Name: p.name, Arn: p.arn, Type: p.type, Id: p.id, Status: p.status, StatusMessage: p.statusMessage,
    CreatedTime: epochSeconds(p.createdAt), IdempotencyToken: p.idempotencyToken, LastRecordId: p.lastRecordId,
    LastProvisioningRecordId: p.lastProvisioningRecordId, LastSuccessfulProvisioningRecordId: p.lastSuccessfulProvisioningRecordId,
    ProductId: p.productId, ProvisioningArtifactId: p.provisioningArtifactId, LaunchRoleArn: p.launchRoleArn,
  };
}

/** ProvisionedProductAttribute: has UserArn/UserArnSession (the OWNER) but, per the model, no LaunchRoleArn. */
function productAttribute(p: ProductState): Record<string, unknown> {
  return {
    Name: p.name, Arn: p.arn, Type: p.type, Id: p.id, Status: p.status, StatusMessage: p.statusMessage,
    CreatedTime: epochSeconds(p.createdAt), IdempotencyToken: p.idempotencyToken, LastRecordId: p.lastRecordId,
    LastProvisioningRecordId: p.lastProvisioningRecordId, LastSuccessfulProvisioningRecordId: p.lastSuccessfulProvisioningRecordId,
    Tags: [], PhysicalId: p.physicalId, ProductId: p.productId, ProductName: p.productName,
    ProvisioningArtifactId: p.provisioningArtifactId, ProvisioningArtifactName: 'v1',
    UserArn: p.ownerArn, UserArnSession: p.ownerArn,
  };
}

function recordDetail(r: StoredRecord, now: number): Record<string, unknown> {
  return {
    RecordId: r.id, ProvisionedProductName: r.provisionedProductName, Status: statusAt(r, now),
    CreatedTime: epochSeconds(r.createdAt), UpdatedTime: epochSeconds(updatedAt(r, now)),
    ProvisionedProductType: r.provisionedProductType, RecordType: r.type, ProvisionedProductId: r.provisionedProductId,
    ProductId: r.productId, ProvisioningArtifactId: r.provisioningArtifactId, PathId: r.pathId,
    RecordErrors: visibleErrors(r, now), RecordTags: [], LaunchRoleArn: r.launchRoleArn,
  };
}
