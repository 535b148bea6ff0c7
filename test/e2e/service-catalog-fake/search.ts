/** SearchProvisionedProducts: access level, SearchQuery, sorting and pages. */
import { sameRole } from './arns';
import { Input, OperationResult, ServiceError, epochSeconds } from './common';
import { ProductState, ServiceCatalogState } from './state';

/** SearchProvisionedProducts SortBy values the service documents. */
const SORT_FIELDS: Readonly<Record<string, (p: ProductState) => string | number>> = {
  arn: (p) => p.arn, id: (p) => p.id, name: (p) => p.name, lastRecordId: (p) => p.lastRecordId,
};
const DEFAULT_PAGE_SIZE = 20;

export function searchProvisionedProducts(state: ServiceCatalogState, input: Input): OperationResult {
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
