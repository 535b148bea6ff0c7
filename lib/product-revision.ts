import { Lazy, Stack } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';

/**
 * What changes when CloudFormation updates the linked product, without carrying a value a user
 * may keep secret: CloudFormation resolves this property in the template, and it then travels in
 * every request, log line of the provider framework and waiter execution input. So no
 * provisioning parameter (NoEcho ones included), preference, notification or tag is written here;
 * the product's `RecordId` attribute stands for them: every update of the product makes a new
 * record (the resource reference documents RecordId as "the ID of the record"; that it names the
 * latest update's record is our reading, undocumented). The product's identity and artifact are
 * kept too, so a new version counts even if that reading were wrong.
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
      recordId: product.attrRecordId,
    }),
  });
}
