/**
 * Issue 17 #11: what a deploy says when the product goes away or cannot be read while a change
 * waits for it, and when Service Catalog keeps refusing the owner past a short timeout. Each
 * reason is the operator's: the cause, the product, what to do; never "Unexpected handler error".
 */
import { Duration } from 'aws-cdk-lib';
import { createRequest } from './cloudformation-request';
import { arn, synthesizedResource, useEndToEnd } from './e2e-setup';
import { hookedHandlers } from './hooked-handlers';

const hooks = hookedHandlers();
// onEvent may wait 2 s for a busy product, then leaves the change to isComplete.
const e2e = useEndToEnd({ handlers: hooks.handlers, functionTimeoutMs: { onEvent: 12_000 } });
const OWNER = arn('role/PlatformTeam');

test('the product terminated while the change waits for it: FAILED, saying it was not found and what to check', async () => {
  const id = 'pp-msggone0001';
  e2e.fake.addProduct({ id, status: 'UNDER_CHANGE' });
  const request = createRequest(synthesizedResource({ id, owner: OWNER }));
  hooks.beforeIsComplete(request.RequestId, () => e2e.fake.removeProduct(id));
  const response = await e2e.harness.send(request);
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(new RegExp(`^Provisioned product ${id} was not found \\(ResourceNotFoundException: .*\\)\\. Check provisionedProductId`));
  expect(response.Reason).not.toContain('Unexpected handler error');
});

test('AccessDenied on the product\'s status while the change waits: FAILED, naming the permission', async () => {
  const id = 'pp-msgdenied01';
  e2e.fake.addProduct({ id, status: 'UNDER_CHANGE' });
  const request = createRequest(synthesizedResource({ id, owner: OWNER }));
  hooks.beforeIsComplete(request.RequestId, () => e2e.fake.injectFaults('DescribeProvisionedProduct', { kind: 'access-denied' }));
  const response = await e2e.harness.send(request);
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(new RegExp(`^Could not read the status of provisioned product ${id} \\(AccessDeniedException: .*\\)\\. `
    + 'Check the handler role\'s servicecatalog:DescribeProvisionedProduct'));
});

test('an owner Service Catalog keeps refusing, with a timeout shorter than the propagation window: FAILED, saying the owner was refused', async () => {
  const id = 'pp-msgowner001';
  e2e.fake.addProduct({ id });
  const refused = arn('role/NotYetPropagated');
  e2e.fake.addPrincipal(refused, { propagatesAfterMs: Infinity });
  const response = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: refused, timeout: Duration.seconds(3) })));
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(new RegExp(`^Service Catalog kept rejecting the owner or launch role for provisioned product ${id} for \\d+ s \\(InvalidParametersException`));
  expect(response.Reason).not.toContain('still busy');
});
