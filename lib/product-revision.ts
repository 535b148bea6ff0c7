import { Lazy, Stack } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';

/**
 * The linked product's definition, as CloudFormation will resolve it (intrinsics included): it
 * changes exactly when CloudFormation updates the product, which then always sends the
 * declaration an Update, after the product's (the declaration depends on it through its id).
 */
export function productRevision(product: servicecatalog.CfnCloudFormationProvisionedProduct | undefined): string | undefined {
  if (!product) {
    return undefined;
  }
  return Lazy.string({
    // Read at synthesis, so properties set on the product after the declaration count too.
    produce: () => Stack.of(product).toJsonString({
      productId: product.productId, productName: product.productName,
      provisioningArtifactId: product.provisioningArtifactId, provisioningArtifactName: product.provisioningArtifactName,
      pathId: product.pathId, pathName: product.pathName,
      provisioningParameters: product.provisioningParameters, provisioningPreferences: product.provisioningPreferences,
      notificationArns: product.notificationArns, tags: product.tags.renderTags(),
    }),
  });
}
