import { Token } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { IConstruct } from 'constructs';

/** The template Metadata key that says which construct declares a product's properties. */
export const DECLARATION_METADATA_KEY = 'cdk-provisioned-product-properties';

/** Where a product's declaration comes from, as written to the product's template Metadata. */
export type DeclarationSource = 'own declaration' | 'EnforceProvisionedProductProperties';

const declarationsByProduct = new WeakMap<servicecatalog.CfnCloudFormationProvisionedProduct, IConstruct>();
const declarationsByName = new WeakMap<IConstruct, Map<string, IConstruct>>();

/**
 * Records that `declaration` manages a product, known by its construct (when its id was the
 * product's `attrProvisionedProductId`) or by its name, so that the Aspect can tell which
 * products of the app are declared. The product's template Metadata names the declaration.
 */
export function recordDeclaration(declaration: IConstruct,
  target: { product?: servicecatalog.CfnCloudFormationProvisionedProduct; name?: string },
  source: DeclarationSource = 'own declaration'): void {
  if (target.product) {
    declarationsByProduct.set(target.product, declaration);
    target.product.addMetadata(DECLARATION_METADATA_KEY, { declaredBy: declaration.node.path, source });
  }
  if (target.name !== undefined && !Token.isUnresolved(target.name)) {
    const root = declaration.node.root;
    const names = declarationsByName.get(root) ?? new Map<string, IConstruct>();
    names.set(target.name, declaration);
    declarationsByName.set(root, names);
  }
}

/** The construct that declares this product's properties, if any. */
export function declarationOf(product: servicecatalog.CfnCloudFormationProvisionedProduct): IConstruct | undefined {
  const name = product.provisionedProductName;
  return declarationsByProduct.get(product)
    ?? (name !== undefined && !Token.isUnresolved(name) ? declarationsByName.get(product.node.root)?.get(name) : undefined);
}
