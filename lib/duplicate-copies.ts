/**
 * Refuses an app that loads a second copy of aws-cdk-lib or constructs next to this library's.
 * `npm install ../cdk-provisioned-product-properties` links the folder, so the library loads the
 * folder's own aws-cdk-lib: the app's products are then not `instanceof` the class this library
 * loaded, and `EnforceProvisionedProductProperties` would declare nothing, silently. A governance
 * tool must fail instead, and say what to do.
 */
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { loadedAwsCdkLibVersion } from './cdk-compat';
import { constructName, validationError } from './construct-errors';

/** The jsii name of the products' class, the same in every copy of aws-cdk-lib. */
const PROVISIONED_PRODUCT_FQN = 'aws-cdk-lib.aws_servicecatalog.CfnCloudFormationProvisionedProduct';
const JSII_RTTI = Symbol.for('jsii.rtti');

/**
 * Throws when `node` was made by a copy of aws-cdk-lib or constructs other than the one this
 * library loaded: a construct that is not `instanceof` our `Construct`, a Stack that is not
 * `instanceof` our `Stack`, or a `CfnCloudFormationProvisionedProduct` (by its class's jsii name)
 * that is not `instanceof` the class `expectedProduct`.
 */
export function assertOneCopy(node: IConstruct, expectedProduct?: abstract new (...args: never[]) => unknown): void {
  if (!(node instanceof Construct)) {
    throw duplicateError(node, 'constructs', `the construct ${constructName(node)} is not an instance of the Construct class it loaded`);
  }
  if (Stack.isStack(node) && !(node instanceof Stack)) {
    throw duplicateError(node, 'aws-cdk-lib', `the stack ${constructName(node)} is not an instance of the Stack class it loaded`);
  }
  if (expectedProduct && !(node instanceof expectedProduct) && jsiiName(node) === PROVISIONED_PRODUCT_FQN) {
    throw duplicateError(node, 'aws-cdk-lib', `the provisioned product ${constructName(node)} is not an instance of the `
      + 'CfnCloudFormationProvisionedProduct class it loaded');
  }
}

function duplicateError(node: IConstruct, library: 'aws-cdk-lib' | 'constructs', evidence: string): Error {
  const version = library === 'aws-cdk-lib' ? loadedAwsCdkLibVersion() : undefined;
  const ours = `${library}${version ? ` ${version}` : ''} at ${packageDir(library)}`;
  return validationError(`cdk-provisioned-product-properties loads ${ours}, and the app uses another copy of ${library}: `
    + `${evidence}. With two copies, this library cannot see the app's constructs, and EnforceProvisionedProductProperties `
    + 'would declare nothing. A library installed from a folder is linked, and loads the folder\'s own node_modules: '
    + 'install it with "npm install --install-links <folder>" (or from the registry), then check that the app has one '
    + `copy ("npm ls ${library}"; "npm dedupe").`, node);
}

function packageDir(library: string): string {
  try {
    return path.dirname(require.resolve(`${library}/package.json`));
  } catch {
    return '(unknown path)';
  }
}

function jsiiName(node: IConstruct): unknown {
  return (node.constructor as unknown as Record<symbol, { fqn?: unknown } | undefined>)[JSII_RTTI]?.fqn;
}
