/**
 * When CloudFormation invokes the custom resource again: when the linked product's definition
 * changes (ProductRevision), and on every deploy with checkOnEveryDeploy (DeployCheck).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { ProvisionedProductProperties, ProvisionedProductPropertiesProps } from '../../lib';

const OWNER = 'arn:aws:iam::123456789012:role/PlatformTeam';

/** The custom resource's properties for a product set up by `configure`, with the given props. */
function synthesize(configure: (p: servicecatalog.CfnCloudFormationProvisionedProduct) => void = () => undefined,
  props: Partial<ProvisionedProductPropertiesProps> = {}, linked = true) {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const product = new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Product', { productName: 'p', provisioningArtifactName: 'v1' });
  configure(product);
  new ProvisionedProductProperties(stack, 'Ownership', { provisionedProductId: linked ? product.attrProvisionedProductId : 'pp-1', owner: OWNER, ...props });
  const template = Template.fromStack(stack);
  return Object.values(template.findResources('Custom::ProvisionedProductProperties'))[0].Properties;
}

describe('ProductRevision', () => {
  test('carries the linked product\'s definition, so the resource changes exactly when the product does', () => {
    const base = synthesize().ProductRevision;
    expect(JSON.parse(base)).toEqual({ productName: 'p', provisioningArtifactName: 'v1' });
    expect(synthesize().ProductRevision).toBe(base);
    expect(synthesize((p) => { p.provisioningArtifactName = 'v2'; }).ProductRevision).not.toBe(base);
    expect(synthesize((p) => { p.provisioningParameters = [{ key: 'Size', value: 'L' }]; }).ProductRevision).not.toBe(base);
    expect(synthesize((p) => { p.tags.setTag('team', 'a'); }).ProductRevision).not.toBe(base);
  });

  test('resolves intrinsics at deploy time, so a new artifact id behind a reference counts too', () => {
    const revision = synthesize((p) => { p.provisioningArtifactId = new servicecatalog.CfnCloudFormationProduct(p.stack, 'Def', {
      name: 'p', owner: 'o', provisioningArtifactParameters: [{ info: { LoadTemplateFromURL: 'https://example.com/t.json' } }],
    }).attrProvisioningArtifactIds; }).ProductRevision;
    expect(JSON.stringify(revision)).toContain('"Fn::GetAtt":["Def","ProvisioningArtifactIds"]');
  });

  test('is absent when the declaration is not linked to a product of the app', () => {
    expect(synthesize(undefined, {}, false)).not.toHaveProperty('ProductRevision');
  });
});

describe('checkOnEveryDeploy', () => {
  test('writes a new DeployCheck on every synth, and nothing without it', () => {
    const first = synthesize(undefined, { checkOnEveryDeploy: true }).DeployCheck;
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(synthesize(undefined, { checkOnEveryDeploy: true }).DeployCheck).not.toBe(first);
    expect(synthesize()).not.toHaveProperty('DeployCheck');
  });
});
