/**
 * SearchProvisionedProducts: access level, SearchQuery, sorting and pages, over the lagging
 * index of ./search-index. Page sizes and the order of filtering and paging are switches.
 */
import { parsePrincipalArn, roleArn, sameRole } from './arns';
import { Input, OperationResult, ServiceError, epochSeconds } from './common';
import { ProductState, ServiceCatalogState } from './state';

/** SearchProvisionedProducts SortBy values the service documents. */
const SORT_FIELDS: Readonly<Record<string, (p: ProductState) => string | number>> = {
  arn: (p) => p.arn, id: (p) => p.id, name: (p) => p.name, lastRecordId: (p) => p.lastRecordId,
};

/** A product as Search shows it: live attributes, with the owner the index holds. */
interface Listed {
  readonly product: ProductState;
  readonly ownerArn: string;
}

export function searchProvisionedProducts(state: ServiceCatalogState, input: Input, now: number): OperationResult {
  const queries: string[] = input.Filters?.SearchQuery ?? [];
  const matches = (l: Listed) => queries.every((q) => matchesQuery(state, l, q));
  let listed = listedProducts(state, now).filter(accessFilter(state, input.AccessLevelFilter));
  if (input.SortBy !== undefined) {
    const field = SORT_FIELDS[input.SortBy];
    if (!field) throw new ServiceError('InvalidParametersException', `SortBy ${input.SortBy} is not one of ${Object.keys(SORT_FIELDS).join(', ')}.`);
    const direction = input.SortOrder === 'DESCENDING' ? -1 : 1;
    const key = (l: Listed) => field(l.product);
    listed = [...listed].sort((a, b) => (key(a) < key(b) ? -direction : key(a) > key(b) ? direction : 0));
  }
  const { searchDefaultPageSize, searchMaxPageSize, searchPaging } = state.switches;
  const size = Math.min(input.PageSize || searchDefaultPageSize, searchMaxPageSize);
  const total = listed.filter(matches).length;
  // 'page-then-filter': the page is cut from everything listed, then filtered, so it can be short or empty.
  const page = searchPaging === 'page-then-filter'
    ? filterPage(paginate(listed, size, input.PageToken), matches)
    : paginate(listed.filter(matches), size, input.PageToken);
  return {
    output: {
      ProvisionedProducts: page.items.map((l) => productAttribute(state, l)),
      TotalResultsCount: total,
      NextPageToken: page.nextToken,
    },
  };
}

/** Products the index lists now, each with the owner it holds (see ./search-index). */
function listedProducts(state: ServiceCatalogState, now: number): Listed[] {
  const listed: Listed[] = [];
  for (const product of state.products.values()) {
    if (product.neverListed) continue;
    const ownerArn = state.searchIndex.ownerShown(product.id, now, state.switches.searchLagReading);
    if (ownerArn !== undefined) listed.push({ product, ownerArn });
  }
  return listed;
}

/** AccessLevelFilter; the service's default is User (the caller's own products). */
function accessFilter(state: ServiceCatalogState, filter: Input | undefined): (l: Listed) => boolean {
  if (filter?.Value !== undefined && filter.Value.toLowerCase() !== 'self') {
    throw new ServiceError('InvalidParametersException', `AccessLevelFilter Value ${filter.Value} is not supported; use Self.`);
  }
  const caller = state.config.callerArn;
  switch (filter?.Key ?? 'User') {
    case 'Account': return () => true;
    case 'Role': return (l) => l.ownerArn === caller || sameRole(l.ownerArn, caller);
    default: return (l) => l.ownerArn === caller;
  }
}

/**
 * One SearchQuery value: `field:value` for a documented field matches that field exactly
 * (so `id:pp-x` finds pp-x and not pp-xy); anything else is free text, matched case-insensitively
 * as a substring of any field. How the service matches is undocumented; this is the fake's reading.
 */
function matchesQuery(state: ServiceCatalogState, listed: Listed, query: string): boolean {
  const fields = searchableFields(state, listed);
  const colon = query.indexOf(':');
  const field = colon > 0 ? query.slice(0, colon) : '';
  if (field in fields) return fields[field] === query.slice(colon + 1);
  const text = query.toLowerCase();
  return Object.values(fields).some((v) => v !== undefined && v.toLowerCase().includes(text));
}

function searchableFields(state: ServiceCatalogState, l: Listed): Record<string, string | undefined> {
  const p = l.product;
  const { userArn, userArnSession } = ownerArns(state, l.ownerArn);
  return {
    arn: p.arn, id: p.id, name: p.name, lastRecordId: p.lastRecordId, idempotencyToken: p.idempotencyToken,
    physicalId: p.physicalId, productId: p.productId, provisioningArtifactId: p.provisioningArtifactId, type: p.type,
    status: p.status, userArn, userArnSession, lastProvisioningRecordId: p.lastProvisioningRecordId,
    lastSuccessfulProvisioningRecordId: p.lastSuccessfulProvisioningRecordId, productName: p.productName,
  };
}

interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** Opaque page tokens: the base64 of the next offset. */
export function paginate<T>(items: T[], size: number, pageToken: string | undefined): Page<T> {
  let offset = 0;
  if (pageToken !== undefined) {
    offset = Number(Buffer.from(pageToken, 'base64').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new ServiceError('InvalidParametersException', 'The page token is not valid.');
  }
  const end = offset + size;
  return { items: items.slice(offset, end), nextToken: end < items.length ? Buffer.from(String(end)).toString('base64') : undefined };
}

function filterPage<T>(page: Page<T>, keep: (item: T) => boolean): Page<T> {
  return { items: page.items.filter(keep), nextToken: page.nextToken };
}

/**
 * UserArn and UserArnSession of an OWNER, by the switches ownerArnForm and ownerRolePath
 * (both undocumented; see ./switches). UserArnSession is always the OWNER as set.
 */
export function ownerArns(state: ServiceCatalogState, ownerArn: string): { userArn: string; userArnSession: string } {
  const { ownerArnForm, ownerRolePath } = state.switches;
  let userArn = ownerArn;
  const owner = parsePrincipalArn(ownerArn);
  if (owner?.kind === 'assumed-role' && ownerArnForm === 'role-and-session') {
    userArn = roleArn(owner.partition, owner.account, owner.roleName!, state.rolePaths.get(owner.roleName!));
  }
  const role = parsePrincipalArn(userArn);
  if (role?.kind === 'role' && ownerRolePath === 'dropped') userArn = roleArn(role.partition, role.account, role.roleName!);
  return { userArn, userArnSession: ownerArn };
}

/** ProvisionedProductAttribute: has UserArn/UserArnSession (the OWNER) but, per the model, no LaunchRoleArn. */
function productAttribute(state: ServiceCatalogState, l: Listed): Record<string, unknown> {
  const p = l.product;
  const { userArn, userArnSession } = ownerArns(state, l.ownerArn);
  return {
    Name: p.name, Arn: p.arn, Type: p.type, Id: p.id, Status: p.status, StatusMessage: p.statusMessage,
    CreatedTime: epochSeconds(p.createdAt), IdempotencyToken: p.idempotencyToken, LastRecordId: p.lastRecordId,
    LastProvisioningRecordId: p.lastProvisioningRecordId, LastSuccessfulProvisioningRecordId: p.lastSuccessfulProvisioningRecordId,
    Tags: [], PhysicalId: p.physicalId, ProductId: p.productId, ProductName: p.productName,
    ProvisioningArtifactId: p.provisioningArtifactId, ProvisioningArtifactName: 'v1',
    UserArn: userArn, UserArnSession: userArnSession,
  };
}
