/**
 * When CloudFormation invokes the custom resource again: when the linked product's definition
 * changes (ProductRevision), and on every deploy with checkOnEveryDeploy (DeployCheck).
 */
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
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
  test('changes when the linked product is updated (its RecordId, its identity and artifact), and carries no parameter value', () => {
    const base = synthesize().ProductRevision;
    expect(base['Fn::Join'][1].join('')).toContain('"recordId":"');
    expect(JSON.stringify(base)).toContain('"Fn::GetAtt":["Product","RecordId"]');
    expect(synthesize().ProductRevision).toEqual(base);
    expect(synthesize((p) => { p.provisioningArtifactName = 'v2'; }).ProductRevision).not.toEqual(base);
    // A NoEcho parameter resolved by CloudFormation would be logged by the provider framework and sit in the waiter's input.
    const withSecret = synthesize((p) => {
      p.provisioningParameters = [{ key: 'DbPassword', value: new CfnParameter(p.stack, 'Secret', { noEcho: true }).valueAsString }, { key: 'Size', value: 'L' }];
      p.tags.setTag('team', 'a');
    }).ProductRevision;
    expect(JSON.stringify(withSecret)).not.toContain('Secret');
    expect(JSON.stringify(withSecret)).not.toContain('Size');
    expect(JSON.stringify(withSecret)).not.toContain('team');
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
