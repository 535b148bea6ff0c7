/**
 * Reads what a provisioned product has now: its id (from its name), its owner (`UserArn` and
 * `UserArnSession` of SearchProvisionedProducts at the account access level) and its launch role
 * (`LaunchRoleArn` of DescribeProvisionedProduct). Only the declared keys are read.
 */
import {
  DescribeProvisionedProductCommand, ProvisionedProductDetail, SearchProvisionedProductsCommand,
} from '@aws-sdk/client-service-catalog';
import { ProductRef, PropertyValues } from '../../lib/shared/declaration';
import { DeployFailure } from '../failures';
import { HandlerDeps } from '../runtime';
import { callBefore, describeError, isRetryableLater } from '../service-catalog';

/**
 * The owner as Search reports it, or `listed: false` when Search did not list the product.
 * Search is index-backed and can miss a product that exists (undocumented; reported by users and
 * the reason aws-service-catalog-puppet moved to Scan): "not listed" means unknown, never "no owner".
 */
export type LiveOwner =
  | { readonly listed: true; readonly userArn?: string; readonly userArnSession?: string }
  | { readonly listed: false };

/** The owner and launch role a provisioned product has now; a key that is not declared is not read. */
export interface LiveProperties {
  readonly owner?: LiveOwner;
  readonly launchRoleArn?: string;
}

/** Waits between Searches that did not list the product: about 3.5 s in all, for an index that lags. */
export const SEARCH_LAG_RETRY_DELAYS_MS: readonly number[] = [500, 1_000, 2_000];
/** The model's largest page for SearchProvisionedProducts; the default is undocumented. */
const SEARCH_PAGE_SIZE = 100;

/** The product's id and, when it was found by name, its detail: the launch role is then read from it, not again. */
export interface ResolvedProduct {
  readonly id: string;
  readonly detail?: ProvisionedProductDetail;
}

export async function resolveProduct(deps: HandlerDeps, product: ProductRef, acceptLanguage: string | undefined,
  deadline: number): Promise<ResolvedProduct> {
  if (product.id !== undefined) {
    return { id: product.id };
  }
  const name = product.name;
  try {
    const output = await callBefore(deps, deadline, (o) => deps.client.send(new DescribeProvisionedProductCommand({ Name: name, AcceptLanguage: acceptLanguage }), o));
    const id = output.ProvisionedProductDetail?.Id;
    if (!id) throw new Error('the response named no product id');
    return { id, detail: output.ProvisionedProductDetail };
  } catch (error) {
    const { name: errorName, message } = describeError(error);
    const cause = `${errorName}: ${message}`;
    // Throttling, a 5xx or the end of the invocation says nothing about the permission: no answer, not a refusal.
    const kind = errorName === 'ResourceNotFoundException' ? 'product-name-not-found'
      : isRetryableLater(error) ? 'product-name-unanswered' : 'product-name-unreadable';
    throw new DeployFailure({ kind, name, cause });
  }
}

/**
 * The live values of the keys in `values`; `known` is a detail read moments ago, used instead
 * of a second read, and `knownOwner` the owner the ledger proves (ownerKnownFromLedger). The two reads are made one after the other, not at once: under the account's
 * throttling each operation has its own queue, and an instance waiting in both at once is only as
 * early as the later of its two turns, so hundreds of instances would reach the write in a bunch
 * (bench "many at once"). In turn, the second read arrives at the pace the first one is served.
 */
export async function readLiveProperties(deps: HandlerDeps, provisionedProductId: string,
  values: PropertyValues, acceptLanguage: string | undefined, deadline: number, known?: ProvisionedProductDetail,
  knownOwner?: string): Promise<LiveProperties> {
  const detail = values.LAUNCH_ROLE === undefined ? undefined : known ?? await describeProduct(deps, provisionedProductId, acceptLanguage, deadline);
  // An owner the ledger proves (our own last record, SUCCEEDED) is not searched: Search may lag behind it.
  const owner = values.OWNER === undefined ? undefined
    : knownOwner !== undefined ? { listed: true as const, userArn: knownOwner }
      : await readOwner(deps, provisionedProductId, acceptLanguage, deadline);
  return { owner, launchRoleArn: detail?.LaunchRoleArn };
}

export async function describeProduct(deps: HandlerDeps, provisionedProductId: string, acceptLanguage: string | undefined,
  deadline: number): Promise<ProvisionedProductDetail | undefined> {
  const output = await callBefore(deps, deadline, (o) => deps.client.send(new DescribeProvisionedProductCommand({
    Id: provisionedProductId, AcceptLanguage: acceptLanguage,
  }), o));
  return output.ProvisionedProductDetail;
}

/** Every page of the search, then again after a short wait while the product is not listed. */
async function readOwner(deps: HandlerDeps, provisionedProductId: string, acceptLanguage: string | undefined,
  deadline: number): Promise<LiveOwner> {
  for (let attempt = 0; ; attempt++) {
    const found = await searchAllPages(deps, provisionedProductId, acceptLanguage, deadline);
    if (found) {
      return found;
    }
    const delay = SEARCH_LAG_RETRY_DELAYS_MS[attempt];
    if (delay === undefined || deps.now() + delay >= deadline) {
      deps.log('SearchProvisionedProducts did not list the product; its owner is unknown', { provisionedProductId, searches: attempt + 1 });
      return { listed: false };
    }
    await deps.sleep(delay);
  }
}

async function searchAllPages(deps: HandlerDeps, provisionedProductId: string, acceptLanguage: string | undefined,
  deadline: number): Promise<LiveOwner | undefined> {
  let pageToken: string | undefined;
  do {
    const output = await callBefore(deps, deadline, (o) => deps.client.send(new SearchProvisionedProductsCommand({
      AccessLevelFilter: { Key: 'Account', Value: 'self' },
      Filters: { SearchQuery: [`id:${provisionedProductId}`] },
      PageSize: SEARCH_PAGE_SIZE,
      PageToken: pageToken,
      AcceptLanguage: acceptLanguage,
    }), o));
    const product = output.ProvisionedProducts?.find((p) => p.Id === provisionedProductId);
    if (product) {
      return { listed: true, userArn: product.UserArn, userArnSession: product.UserArnSession };
    }
    pageToken = output.NextPageToken || undefined;
  } while (pageToken);
  return undefined;
}
