/**
 * The baseline for `plan` at scale: what a plan that reads product by product costs. For each
 * declaration, the handler's own read (readLiveProperties: one DescribeProvisionedProduct for the
 * launch role, one SearchProvisionedProducts by id for the owner), compared with the handler's rules.
 */
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { runPool } from '../../lambda/drift/worker-pool';
import { compareWithLive, inDeclaredState } from '../../lambda/product/live-comparison';
import { readLiveProperties } from '../../lambda/product/live-state';
import { HandlerDeps } from '../../lambda/runtime';
import { RETRY, ServiceCatalogRetryStrategy } from '../../lambda/service-catalog';
import { PropertyValues } from '../../lib/shared/declaration';

/** Reads in flight at once: more only queue behind the account's rate. */
const CONCURRENCY = 8;

export async function planProductByProduct(declarations: ReadonlyArray<{ id: string; values: PropertyValues }>): Promise<{ changed: number; unknown: number }> {
  const client = new ServiceCatalogClient({ retryStrategy: new ServiceCatalogRetryStrategy(), maxAttempts: RETRY.throttledMaxAttempts });
  const deps: HandlerDeps = {
    client, cloudFormation: undefined as never, ssm: undefined as never, now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    random: Math.random, log: () => undefined, remainingMs: () => Infinity,
  };
  let changed = 0;
  let unknown = 0;
  try {
    await runPool(declarations, CONCURRENCY, async ({ id, values }) => {
      const comparison = compareWithLive(values, await readLiveProperties(deps, id, values, undefined, Infinity));
      if (comparison.unknown.length > 0) unknown++;
      else if (!inDeclaredState(comparison)) changed++;
    });
  } finally {
    client.destroy();
  }
  return { changed, unknown };
}
