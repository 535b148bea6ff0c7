/**
 * Reads the live owner and launch role of many provisioned products with few calls: the account's
 * products in pages (SearchProvisionedProducts with no filter for the owner, ScanProvisionedProducts
 * for the launch role), matched locally, and the handler's own per-product reads
 * (lambda/product/live-state.ts) only where a page did not list a product. When the account holds
 * far more products than the plan reads, the per-product reads are fewer calls: Search's first page
 * gives the account's count, and the cheaper way is taken. An owner the product's ledger proves
 * (./ledger-owners.ts) is taken over Search's, which can show a change late.
 */
import {
  ProvisionedProductDetail, ScanProvisionedProductsCommand, SearchProvisionedProductsCommand, SearchProvisionedProductsCommandOutput,
} from '@aws-sdk/client-service-catalog';
import { ProductRef, PropertyKey } from '../lib/shared/declaration';
import { runPool } from '../lambda/drift/worker-pool';
import { DeployFailure } from '../lambda/failures';
import { holdsOurOwner, proveOwner } from '../lambda/drift/ledger-owner';
import { LiveOwner, describeProduct, readLiveProperties, resolveProduct } from '../lambda/product/live-state';
import { HandlerDeps } from '../lambda/runtime';
import { describeError } from '../lambda/service-catalog';
import { LedgerReading } from '../lib/shared/ledger';
import { PlanLedgers } from './ledger-owners';

/** A live value, or why it could not be read. */
export type LiveRead<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

export interface LiveProduct {
  /** The product's id; undefined when a name did not lead to one (then both reads say why). */
  readonly id?: string;
  readonly name?: string;
  readonly owner?: LiveRead<LiveOwner>;
  readonly launchRole?: LiveRead<string | undefined>;
  /** The product's ledger, as a removed declaration's Delete will read it (who else declares the product). */
  readonly ledger?: LedgerReading;
}

export interface ProductToRead {
  readonly product: ProductRef;
  readonly keys: ReadonlySet<PropertyKey>;
}

/** The model's largest pages: Search 0–100, Scan 0–20. */
const SEARCH_PAGE_SIZE = 100;
const SCAN_PAGE_SIZE = 20;
/** Per-product reads in flight at once; the SDK's adaptive retries share the client's rate. */
const CONCURRENCY = 4;
const ACCOUNT = { Key: 'Account', Value: 'self' } as const;

export const refKey = (product: ProductRef): string => (product.id !== undefined ? `id:${product.id}` : `name:${product.name}`);

interface Pages {
  readonly owners?: LiveRead<Map<string, LiveOwner>>;
  readonly details?: LiveRead<Map<string, ProvisionedProductDetail>>;
  readonly idByName: Map<string, string>;
  readonly nameById: Map<string, string>;
}

export interface ReadOptions {
  readonly onProgress?: (done: number, total: number) => void;
  /** A read that failed for many products at once (a ledger access denied, say), named once. */
  readonly warn?: (line: string) => void;
  /** For the warning lines. */
  readonly region?: string;
}

export async function readLiveProducts(deps: HandlerDeps, products: readonly ProductToRead[], options: ReadOptions = {}): Promise<Map<string, LiveProduct>> {
  const wanted = merge(products);
  const result = new Map<string, LiveProduct>();
  if (wanted.length === 0) return result;
  const needOwner = wanted.some((p) => p.keys.has('OWNER'));
  const needRole = wanted.some((p) => p.keys.has('LAUNCH_ROLE'));
  const pages = await readPages(deps, wanted.length, needOwner, needRole);
  // Every product's ledger: it proves owners, and says who else declares a product a removal would restore.
  const ids = wanted.flatMap(({ product }) => product.id ?? pages.idByName.get(product.name!) ?? []);
  const ledgers = await PlanLedgers.read(deps, ids);
  let done = 0;
  await runPool(wanted, CONCURRENCY, async ({ product, keys }) => {
    result.set(refKey(product), await readOne(deps, product, keys, pages, ledgers));
    options.onProgress?.(++done, wanted.length);
  });
  for (const line of ledgers.warnings(options.region ?? 'the region')) options.warn?.(line);
  return result;
}

function merge(products: readonly ProductToRead[]): ProductToRead[] {
  const byKey = new Map<string, { product: ProductRef; keys: Set<PropertyKey> }>();
  for (const { product, keys } of products) {
    const entry = byKey.get(refKey(product)) ?? { product, keys: new Set<PropertyKey>() };
    keys.forEach((k) => entry.keys.add(k));
    byKey.set(refKey(product), entry);
  }
  return [...byKey.values()];
}

/** The account's pages, or none (per-product reads) when they would cost more calls. */
async function readPages(deps: HandlerDeps, productCount: number, needOwner: boolean, needRole: boolean): Promise<Pages> {
  const idByName = new Map<string, string>();
  const nameById = new Map<string, string>();
  const note = (id?: string, name?: string) => {
    if (id && name) { idByName.set(name, id); nameById.set(id, name); }
  };
  let first: SearchProvisionedProductsCommandOutput;
  try {
    first = await search(deps, undefined);
  } catch (error) {
    const why = readFailure('SearchProvisionedProducts', error);
    // The owner cannot be read at all; the launch role can, product by product.
    return { owners: { ok: false, why }, idByName, nameById };
  }
  const total = first.TotalResultsCount;
  const pagedCalls = (n: number) => Math.ceil(n / SEARCH_PAGE_SIZE) + (needRole ? Math.ceil(n / SCAN_PAGE_SIZE) : 0);
  const perProductCalls = productCount * ((needOwner ? 1 : 0) + (needRole ? 1 : 0));
  if (total !== undefined && pagedCalls(total) > perProductCalls + 1) {
    return { idByName, nameById };
  }
  const owners = new Map<string, LiveOwner>();
  let owned: LiveRead<Map<string, LiveOwner>> = { ok: true, value: owners };
  try {
    let page: SearchProvisionedProductsCommandOutput | undefined = first;
    while (page) {
      for (const p of page.ProvisionedProducts ?? []) {
        if (!p.Id) continue;
        owners.set(p.Id, { listed: true, userArn: p.UserArn, userArnSession: p.UserArnSession });
        note(p.Id, p.Name);
      }
      page = page.NextPageToken ? await search(deps, page.NextPageToken) : undefined;
    }
  } catch (error) {
    owned = { ok: false, why: readFailure('SearchProvisionedProducts', error) };
  }
  let details: LiveRead<Map<string, ProvisionedProductDetail>> | undefined;
  if (needRole) {
    try {
      details = { ok: true, value: await scanAll(deps, note) };
    } catch (error) {
      // Left to DescribeProvisionedProduct, product by product: another action, perhaps allowed.
      deps.log(readFailure('ScanProvisionedProducts', error));
    }
  }
  return { owners: needOwner ? owned : undefined, details, idByName, nameById };
}

function search(deps: HandlerDeps, pageToken: string | undefined): Promise<SearchProvisionedProductsCommandOutput> {
  return deps.client.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: ACCOUNT, PageSize: SEARCH_PAGE_SIZE, PageToken: pageToken }));
}

async function scanAll(deps: HandlerDeps, note: (id?: string, name?: string) => void): Promise<Map<string, ProvisionedProductDetail>> {
  const details = new Map<string, ProvisionedProductDetail>();
  let pageToken: string | undefined;
  do {
    const page = await deps.client.send(new ScanProvisionedProductsCommand({ AccessLevelFilter: ACCOUNT, PageSize: SCAN_PAGE_SIZE, PageToken: pageToken }));
    for (const p of page.ProvisionedProducts ?? []) {
      if (!p.Id) continue;
      details.set(p.Id, p);
      note(p.Id, p.Name);
    }
    pageToken = page.NextPageToken || undefined;
  } while (pageToken);
  return details;
}

/** One product: from the pages where they list it, otherwise with the handler's own reads. */
async function readOne(deps: HandlerDeps, product: ProductRef, keys: ReadonlySet<PropertyKey>, pages: Pages, ledgers: PlanLedgers): Promise<LiveProduct> {
  let id = product.id ?? pages.idByName.get(product.name!);
  let detail = id ? pages.details?.ok ? pages.details.value.get(id) : undefined : undefined;
  if (!id) {
    try {
      const resolved = await resolveProduct(deps, product, undefined, Infinity);
      id = resolved.id;
      detail = resolved.detail;
    } catch (error) {
      const why = error instanceof DeployFailure && 'cause' in error.failure ? nameFailure(error.failure) : readFailure('DescribeProvisionedProduct', error);
      const failed = { ok: false, why } as const;
      return { name: product.name, owner: keys.has('OWNER') ? failed : undefined, launchRole: keys.has('LAUNCH_ROLE') ? failed : undefined };
    }
  }
  const name = product.name ?? pages.nameById.get(id) ?? detail?.Name;
  const ledger = await ledgers.of(id);
  // A ledger with a record of ours needs the product's LastRecordId: the detail is read once, for the launch role too.
  if (!detail && holdsOurOwner(ledger)) {
    const read = await readDetail(deps, id);
    if (!read.ok) return { id, name, owner: read, launchRole: keys.has('LAUNCH_ROLE') ? read : undefined };
    detail = read.value;
  }
  const launchRole = keys.has('LAUNCH_ROLE') ? await readLaunchRole(deps, id, detail) : undefined;
  const owner = keys.has('OWNER') ? await readOwner(deps, id, pages, holdsOurOwner(ledger) ? ledgers : undefined, detail) : undefined;
  return { id, name, owner, launchRole, ledger };
}

function nameFailure(failure: DeployFailure['failure']): string {
  return failure.kind === 'product-name-not-found' ? `no provisioned product has this name (${failure.cause})` : `servicecatalog:DescribeProvisionedProduct failed: ${'cause' in failure ? failure.cause : failure.kind}`;
}

async function readLaunchRole(deps: HandlerDeps, id: string, detail: ProvisionedProductDetail | undefined): Promise<LiveRead<string | undefined>> {
  if (detail) return { ok: true, value: detail.LaunchRoleArn };
  const read = await readDetail(deps, id);
  return read.ok ? { ok: true, value: read.value?.LaunchRoleArn } : read;
}

async function readDetail(deps: HandlerDeps, id: string): Promise<LiveRead<ProvisionedProductDetail | undefined>> {
  try {
    return { ok: true, value: await describeProduct(deps, id, undefined, Infinity) };
  } catch (error) {
    return { ok: false, why: describeError(error).name === 'ResourceNotFoundException' ? 'no provisioned product has this id' : readFailure('DescribeProvisionedProduct', error) };
  }
}

/** The owner the ledger proves, else as the pages list it, else the handler's Search by id. */
async function readOwner(deps: HandlerDeps, id: string, pages: Pages, ledgers: PlanLedgers | undefined,
  detail: ProvisionedProductDetail | undefined): Promise<LiveRead<LiveOwner>> {
  if (ledgers && detail) {
    try {
      const proof = await proveOwner(deps, id, ledgers, undefined, Infinity, detail);
      if (proof.owner !== undefined) return { ok: true, value: { listed: true, userArn: proof.owner } };
    } catch (error) {
      return { ok: false, why: readFailure('DescribeRecord', error) };
    }
  }
  if (pages.owners && !pages.owners.ok) return pages.owners;
  const listed = pages.owners?.value.get(id);
  if (listed) return { ok: true, value: listed };
  try {
    // The handler's read: Search by id, again after short waits while its index lags.
    const live = await readLiveProperties(deps, id, { OWNER: 'read' }, undefined, Infinity);
    return { ok: true, value: live.owner ?? { listed: false } };
  } catch (error) {
    return { ok: false, why: readFailure('SearchProvisionedProducts', error) };
  }
}

/** `servicecatalog:<Action> failed: Name: message`, naming the IAM action to grant on access denied. */
export function readFailure(action: string, error: unknown): string {
  const { name, message } = describeError(error);
  return `servicecatalog:${action} failed: ${name}: ${message.split('\n')[0]}`;
}
