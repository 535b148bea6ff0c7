/**
 * A product's own declaration beats an enforcing Aspect, but never unnoticed (issue 18 §5): a
 * warning names both where the owner or launch role differs; `overrides: DeclarationOverride.ERROR`
 * makes it an error, so a platform team can lock them across an app.
 */
import { Annotations as Annotations_, App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import {
  DeclarationOverride, EnforceProvisionedProductProperties, EnforceProvisionedProductPropertiesProps, EnforcementMode,
  ProvisionedProductProperties,
} from '../../lib';

const ACCOUNT = '123456789012';
const PLATFORM = `arn:aws:iam::${ACCOUNT}:role/Platform`;
const OWN = `arn:aws:iam::${ACCOUNT}:role/Own`;

function appWith(aspect: EnforceProvisionedProductPropertiesProps, own: (stack: Stack) => { owner?: string; launchRole?: iam.IRole }) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const product = new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Product', { productName: 'p', provisioningArtifactName: 'v1' });
  new ProvisionedProductProperties(stack, 'Own', { provisionedProductId: product.attrProvisionedProductId, ...own(stack) });
  Aspects.of(app).add(new EnforceProvisionedProductProperties(aspect), { priority: AspectPriority.MUTATING });
  app.synth();
  return Annotations.fromStack(stack);
}

const launchRole = (stack: Stack, name: string) => iam.Role.fromRoleName(stack, name, name);

test('a different owner: a warning on the product names both declarations and both values', () => {
  const annotations = appWith({ owner: PLATFORM }, () => ({ owner: OWN }));
  const warnings = annotations.findWarning('/Stack/Product', Match.anyValue());
  expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(new RegExp(
    "^Provisioned product 'Stack/Product' is declared by its own ProvisionedProductProperties 'Stack/Own', which differs from the "
    + `EnforceProvisionedProductProperties Aspect applied to the app: owner "${OWN}", where the Aspect declares "${PLATFORM}"\\. `
    + "The product's own declaration is what deploys\\. To refuse such declarations, set overrides: DeclarationOverride\\.ERROR"))]);
  annotations.hasNoError('*', Match.anyValue());
});

test('the warning can be acknowledged by its id, on a scope above the product (its stack)', () => {
  const annotations = appWith({ owner: PLATFORM }, (stack) => {
    Annotations_.of(stack).acknowledgeWarning('cdk-provisioned-product-properties:ownDeclarationDiffersFromAspect', 'the team owns it');
    return { owner: OWN };
  });
  annotations.hasNoWarning('*', Match.anyValue());
});

test('a launch role the own declaration leaves out is a difference; one the Aspect does not declare is not compared', () => {
  const annotations = appWith({ owner: PLATFORM, launchRole: iam.Role.fromRoleArn(new Stack(), 'R', `arn:aws:iam::${ACCOUNT}:role/L`) },
    () => ({ owner: PLATFORM }));
  expect(annotations.findWarning('/Stack/Product', Match.anyValue()).map((w) => w.entry.data))
    .toEqual([expect.stringContaining(`launch role none, where the Aspect declares "arn:aws:iam::${ACCOUNT}:role/L"`)]);
  const quiet = appWith({ owner: PLATFORM }, (stack) => ({ owner: PLATFORM, launchRole: launchRole(stack, 'OwnLaunchRole') }));
  quiet.hasNoWarning('*', Match.anyValue());
});

test('the same values, one given as a token of the same role, are no difference', () => {
  const annotations = appWith({ owner: PLATFORM }, (stack) => ({ owner: iam.Role.fromRoleArn(stack, 'P', PLATFORM).roleArn }));
  annotations.hasNoWarning('*', Match.anyValue());
});

test('overrides: DeclarationOverride.ERROR makes a differing declaration an error that fails synth', () => {
  const annotations = appWith({ owner: PLATFORM, overrides: DeclarationOverride.ERROR }, () => ({ owner: OWN }));
  annotations.hasError('/Stack/Product', Match.stringLikeRegexp(
    "own ProvisionedProductProperties 'Stack/Own'.*The Aspect refuses this \\(overrides: DeclarationOverride.ERROR\\)"));
  annotations.hasNoWarning('*', Match.anyValue());
});

test('the Aspect\'s own declarations are never reported; an Aspect nearer the product decides', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const product = new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Product', { productName: 'p', provisioningArtifactName: 'v1' });
  new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Undeclared', { productName: 'p', provisioningArtifactName: 'v1' });
  new ProvisionedProductProperties(stack, 'Own', { provisionedProductId: product.attrProvisionedProductId, owner: OWN });
  Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: PLATFORM, overrides: DeclarationOverride.ERROR }),
    { priority: AspectPriority.MUTATING });
  Aspects.of(stack).add(new EnforceProvisionedProductProperties({ owner: OWN, overrides: DeclarationOverride.ERROR }),
    { priority: AspectPriority.MUTATING });
  app.synth();
  Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
});

test('overrides is refused where it would be ignored (AUDIT) and checked where it is read', () => {
  expect(() => new EnforceProvisionedProductProperties({ mode: EnforcementMode.AUDIT, overrides: DeclarationOverride.ERROR }))
    .toThrow('EnforceProvisionedProductProperties: Invalid overrides "ERROR": EnforcementMode.AUDIT declares nothing');
  expect(() => new EnforceProvisionedProductProperties({ owner: PLATFORM, overrides: 'LOCK' as never }))
    .toThrow('EnforceProvisionedProductProperties: Invalid overrides "LOCK": expected DeclarationOverride.WARN or DeclarationOverride.ERROR.');
});
