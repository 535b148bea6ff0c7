/**
 * ScanProvisionedProducts: the provisioned products the access level shows, as
 * ProvisionedProductDetail (LaunchRoleArn included, no owner: API model), in pages of at most 20.
 * Scan reads the products themselves, not Search's lagging index: aws-service-catalog-puppet moved
 * from Search to Scan because Search missed products that exist. The default page size when
 * PageSize is absent or 0 is undocumented: the fake uses the model's maximum, 20.
 */
import { sameRole } from './arns';
import { Input, OperationResult, ServiceError } from './common';
import { productDetail } from './operations';
import { paginate } from './search';
import { ProductState, ServiceCatalogState } from './state';

const MAX_PAGE_SIZE = 20;

export function scanProvisionedProducts(state: ServiceCatalogState, input: Input): OperationResult {
  const filter = input.AccessLevelFilter;
  if (filter?.Value !== undefined && filter.Value.toLowerCase() !== 'self') {
    throw new ServiceError('InvalidParametersException', `AccessLevelFilter Value ${filter.Value} is not supported; use Self.`);
  }
  const caller = state.config.callerArn;
  const visible: Record<string, (p: ProductState) => boolean> = {
    Account: () => true,
    Role: (p) => p.ownerArn === caller || sameRole(p.ownerArn, caller),
    User: (p) => p.ownerArn === caller,
  };
  const products = [...state.products.values()].filter(visible[filter?.Key ?? 'User']);
  const page = paginate(products, input.PageSize || MAX_PAGE_SIZE, input.PageToken);
  return { output: { ProvisionedProducts: page.items.map((p) => productDetail(p, state)), NextPageToken: page.nextToken } };
}
