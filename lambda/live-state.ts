/**
 * Reads what a provisioned product has now: its id (from its name), its owner (the `UserArn` of
 * SearchProvisionedProducts at the account access level) and its launch role (`LaunchRoleArn` of
 * DescribeProvisionedProduct). Only the declared keys are read.
 */
import {
  DescribeProvisionedProductCommand, SearchProvisionedProductsCommand, ServiceCatalogClient,
} from '@aws-sdk/client-service-catalog';
import { LiveProperties, PropertyMap } from './decisions';
import { DeployFailure } from './runtime';
import { describeError } from './service-catalog';

export async function resolveProductId(client: ServiceCatalogClient,
  target: { provisionedProductId?: string; provisionedProductName?: string }, acceptLanguage?: string): Promise<string> {
  if (target.provisionedProductId !== undefined) {
    return target.provisionedProductId;
  }
  const name = target.provisionedProductName!;
  try {
    const output = await client.send(new DescribeProvisionedProductCommand({ Name: name, AcceptLanguage: acceptLanguage }));
    const id = output.ProvisionedProductDetail?.Id;
    if (!id) throw new Error('the response named no product id');
    return id;
  } catch (error) {
    const { name: errorName, message } = describeError(error);
    throw new DeployFailure(errorName === 'ResourceNotFoundException'
      ? `No provisioned product is named ${name} (ResourceNotFoundException: ${message}). Check provisionedProductName, `
        + 'and that the stack deploys to the account and region of the product; it may have been terminated or renamed.'
      : `Could not find the provisioned product named ${name} (${errorName}: ${message}). Check the handler role's `
        + 'servicecatalog:DescribeProvisionedProduct permission, then redeploy.');
  }
}

/** The live values of the keys in `properties`; a key that is not declared is not read. */
export async function readLiveProperties(client: ServiceCatalogClient, provisionedProductId: string,
  properties: PropertyMap, acceptLanguage?: string): Promise<LiveProperties> {
  const [owner, launchRoleArn] = await Promise.all([
    properties.OWNER === undefined ? undefined : readOwner(client, provisionedProductId, acceptLanguage),
    properties.LAUNCH_ROLE === undefined ? undefined : readLaunchRole(client, provisionedProductId, acceptLanguage),
  ]);
  return { owner, launchRoleArn };
}

async function readOwner(client: ServiceCatalogClient, provisionedProductId: string, acceptLanguage?: string) {
  const output = await client.send(new SearchProvisionedProductsCommand({
    AccessLevelFilter: { Key: 'Account', Value: 'self' },
    Filters: { SearchQuery: [`id:${provisionedProductId}`] },
    AcceptLanguage: acceptLanguage,
  }));
  return output.ProvisionedProducts?.find((p) => p.Id === provisionedProductId)?.UserArn;
}

async function readLaunchRole(client: ServiceCatalogClient, provisionedProductId: string, acceptLanguage?: string) {
  const output = await client.send(new DescribeProvisionedProductCommand({ Id: provisionedProductId, AcceptLanguage: acceptLanguage }));
  return output.ProvisionedProductDetail?.LaunchRoleArn;
}
