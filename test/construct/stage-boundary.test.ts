/**
 * A Stage is a boundary for EnforceProvisionedProductProperties, as it is for every Aspect:
 * aws-cdk-lib synthesizes each Stage with only the Aspects applied inside it, so an Aspect of the
 * app does not declare the products of a Stage, and the Aspect that governs a product (the nearest)
 * is looked for up to the product's Stage only.
 */
import { App, Aspects, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { EnforceProvisionedProductProperties, EnforcementMode } from '../../lib';
import { governorOf } from '../../lib/governance/enforcement-rules';

const ACCOUNT = '123456789012';
const APP_OWNER = `arn:aws:iam::${ACCOUNT}:role/AppDefault`;
const STAGE_OWNER = `arn:aws:iam::${ACCOUNT}:role/StageDefault`;
const env = { account: ACCOUNT, region: 'us-east-1' };

const product = (scope: Construct, id: string) => new servicecatalog.CfnCloudFormationProvisionedProduct(scope, id, { productName: 'p', provisioningArtifactName: 'v1' });

/** An app with an ENFORCE Aspect, a product in a stack of its own, and one in a stack of a Stage. */
function appWithStage() {
  const app = new App();
  const appAspect = new EnforceProvisionedProductProperties({ owner: APP_OWNER });
  Aspects.of(app).add(appAspect);
  const appStack = new Stack(app, 'AppStack', { env });
  const appProduct = product(appStack, 'Product');
  const stage = new Stage(app, 'Prod', { env });
  const stageStack = new Stack(stage, 'StageStack');
  const stageProduct = product(stageStack, 'Product');
  return { app, appAspect, appStack, appProduct, stage, stageStack, stageProduct };
}

const ownersOf = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('Custom::ProvisionedProductProperties'))
  .map((r: any) => r.Properties.Owner);

test('the app\'s Aspect governs the app\'s own products and none inside a Stage', () => {
  const { appAspect, appProduct, stageProduct } = appWithStage();
  expect(governorOf(appProduct)).toMatchObject({ kind: 'one', aspect: appAspect });
  expect(governorOf(stageProduct)).toEqual({ kind: 'none' });
});

test('synthesized: the app\'s Aspect declares its stack\'s product only; the Stage\'s products follow the Stage\'s own Aspect', () => {
  const { app, appStack, stage, stageStack } = appWithStage();
  const stageAspect = new EnforceProvisionedProductProperties({ owner: STAGE_OWNER });
  Aspects.of(stage).add(stageAspect);
  app.synth();
  expect(ownersOf(appStack)).toEqual([APP_OWNER]);
  expect(ownersOf(stageStack)).toEqual([STAGE_OWNER]);
  expect(governorOf(stageStack.node.findChild('Product'))).toMatchObject({ kind: 'one', aspect: stageAspect });
});

test('two Aspects on the app are ambiguous for the app\'s products, not for a Stage\'s, which they do not reach', () => {
  const { app, appProduct, stageStack, stageProduct } = appWithStage();
  Aspects.of(app).add(new EnforceProvisionedProductProperties({ mode: EnforcementMode.AUDIT }));
  expect(governorOf(appProduct)).toMatchObject({ kind: 'ambiguous' });
  expect(governorOf(stageProduct)).toEqual({ kind: 'none' });
  app.synth();
  expect(stageProduct.node.metadata.filter((m) => m.type === 'aws:cdk:error')).toEqual([]);
  expect(ownersOf(stageStack)).toEqual([]);
});
