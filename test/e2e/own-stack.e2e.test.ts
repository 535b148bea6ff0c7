/**
 * Issue 17 #12 (deploy side): the custom resource's functions act only on requests of their own
 * stack. Each function's environment names it (OWN_STACK_ID, the template's AWS::StackId); Lambda
 * would give it to the process, as the test does from the synthesized template.
 */
import { OWN_STACK_ID_ENV } from '../../lib/shared/wire-contract';
import { STACK_ID, TemplateJson, createRequest, deleteRequest, handEdited, resolveIntrinsic } from './cloudformation-request';
import { arn, synthesizedResource, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();
const OTHER_STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Intruder/0a1b2c3d-1a2b-11f0-9c3d-0a1b2c3d4e5f';

beforeAll(() => {
  const template = synthesizedResource({ id: 'pp-any', owner: arn('role/PlatformTeam') }).template as TemplateJson;
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Handler === 'index.onEvent')!;
  const own = (fn.Properties!.Environment as { Variables: Record<string, Record<string, unknown>> }).Variables[OWN_STACK_ID_ENV];
  process.env[OWN_STACK_ID_ENV] = resolveIntrinsic(own, template);
});
afterAll(() => { delete process.env[OWN_STACK_ID_ENV]; });

test('a Create from another stack naming this provider\'s ServiceToken is refused, before any call; its Delete does nothing and succeeds', async () => {
  const id = 'pp-foreign0001';
  e2e.fake.addProduct({ id, ownerArn: arn('user/alice') });
  // The other stack's template names this provider's framework function as its ServiceToken.
  const resource = handEdited(synthesizedResource({ id, owner: arn('role/Intruder') }), { ServiceToken: e2e.harness.serviceToken });
  const before = e2e.fake.calls.length;
  const create = await e2e.harness.send(createRequest(resource, { stackId: OTHER_STACK }));
  expect(create.Status).toBe('FAILED');
  expect(create.Reason).toContain(`of stack ${OTHER_STACK} uses the provisioned product properties provider of stack ${STACK_ID}, which acts only for its own stack`);
  const del = await e2e.harness.send(deleteRequest(resource, create.PhysicalResourceId, { stackId: OTHER_STACK }));
  expect(del.Status).toBe('SUCCESS');
  expect(e2e.fake.calls.length).toBe(before);
  expect(e2e.fake.product(id)!.ownerArn).toBe(arn('user/alice'));
});

test('a request of the own stack is served', async () => {
  const id = 'pp-ownstack001';
  e2e.fake.addProduct({ id, ownerArn: arn('user/alice') });
  await expect(e2e.harness.send(createRequest(synthesizedResource({ id, owner: arn('role/PlatformTeam') }))))
    .resolves.toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true' } });
});
