/**
 * Issue 17 #1: a declaration linked to a product of the app by attrProvisionedProductId. The
 * product has a NoEcho provisioning parameter; its value must appear in no log line (the
 * handler's or the provider framework's), in no request property, and not in the waiter's
 * execution input (what isComplete receives).
 */
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { ProvisionedProductProperties } from '../../lib';
import { HANDLER_ASSET_DIR } from '../../lib/provider/handler-functions';
import { RESPONSE_URL_SECRET, createRequest, deleteRequest, resourceOf, updateRequest } from './cloudformation-request';
import { ACCOUNT, arn, useEndToEnd } from './e2e-setup';
import type { LambdaHandler } from './framework-harness';

const SECRET = 'hunter2-NoEcho-value';
const PRODUCT_ID = 'pp-secretparam1';

/** The handlers of the asset, each event they receive kept for the test. */
const received: { handler: string; event: unknown }[] = [];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const asset: Record<string, LambdaHandler> = require(`${HANDLER_ASSET_DIR}/index.js`);
const handlers = Object.fromEntries(['onEvent', 'isComplete'].map((name) => [name, (event: unknown, context: any) => {
  received.push({ handler: name, event });
  return asset[name](event, context);
}]));

const e2e = useEndToEnd({ handlers });

function linkedTemplate() {
  const stack = new Stack(new App(), 'Example', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const password = new CfnParameter(stack, 'DbPassword', { noEcho: true });
  const product = new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Product', {
    productName: 'database', provisioningArtifactName: 'v1',
    provisioningParameters: [{ key: 'DbPassword', value: password.valueAsString }],
  });
  new ProvisionedProductProperties(stack, 'Ownership', { provisionedProductId: product.attrProvisionedProductId, owner: arn('role/PlatformTeam') });
  return resourceOf(Template.fromStack(stack));
}

test('a NoEcho provisioning parameter of the linked product is in no log line, no request and no waiter input', async () => {
  e2e.fake.addProduct({ id: PRODUCT_ID, ownerArn: arn('user/alice') });
  const resource = linkedTemplate();
  const resolve = (recordId: string) => ({ DbPassword: SECRET, 'Product.ProvisionedProductId': PRODUCT_ID, 'Product.RecordId': recordId });
  const create = await e2e.harness.send(createRequest(resource, { resolve: resolve('rec-first') }));
  expect(create).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true' } });
  // The product was updated (a new record): the declaration gets an Update and checks again.
  const created = createRequest(resource, { resolve: resolve('rec-first') });
  const update = { ...updateRequest(resource, { resource, physicalResourceId: create.PhysicalResourceId }, { resolve: resolve('rec-second') }),
    OldResourceProperties: created.ResourceProperties };
  expect(update.ResourceProperties.ProductRevision).not.toBe(update.OldResourceProperties.ProductRevision);
  await expect(e2e.harness.send(update)).resolves.toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'false' } });
  await expect(e2e.harness.send(deleteRequest(resource, create.PhysicalResourceId, { resolve: resolve('rec-second') })))
    .resolves.toMatchObject({ Status: 'SUCCESS' });

  expect(received.filter((r) => r.handler === 'isComplete').length).toBeGreaterThan(0);
  expect(JSON.stringify(received)).not.toContain(SECRET);
  expect(e2e.logs.join('\n')).toContain('onEvent request');
  expect(e2e.logs.join('\n')).not.toContain(SECRET);
  expect(e2e.logs.join('\n')).not.toContain(RESPONSE_URL_SECRET);
});

test('the handler logs only the properties it owns, never another one a hand-edited template adds', async () => {
  const id = 'pp-secretparam2';
  e2e.fake.addProduct({ id, ownerArn: arn('user/alice') });
  const base = linkedTemplate();
  const edited = { ...base, properties: { ...base.properties, Extra: { Ref: 'DbPassword' } },
    template: { ...base.template, Resources: { ...base.template.Resources, [base.logicalId]: { Type: base.type, Properties: { ...base.properties, Extra: { Ref: 'DbPassword' } } } } } };
  const before = e2e.logs.length;
  const create = await e2e.harness.send(createRequest(edited, { resolve: { DbPassword: SECRET, 'Product.ProvisionedProductId': id, 'Product.RecordId': 'rec-x' } }));
  expect(create.Status).toBe('SUCCESS');
  const handlerLines = e2e.logs.slice(before).filter((line) => line.startsWith('{"message":'));
  expect(handlerLines.some((line) => line.includes('onEvent request'))).toBe(true);
  expect(handlerLines.join('\n')).not.toContain(SECRET);
});
