/**
 * The governance promises across the request sequences CloudFormation sends (User Guide, "Custom
 * resource request types"), end to end; the harness keeps the CloudFormation fake's
 * ListStackResources in step with each request. Only the last declaration of a product restores
 * (a replacement or a rename hands it over), and the deploys that promise a check make one.
 */
import { ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand } from '@aws-sdk/client-service-catalog';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { ProvisionedProductProperties } from '../../lib';
import { createRequest, deleteRequest, resourceOf, updateRequest } from './cloudformation-request';
import { ACCOUNT, arn, synthesizedResource, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();
const ALICE = arn('user/alice');
const OWNER = arn('role/PlatformTeam');
const NEW_OWNER = arn('role/NewTeam');
const created = (id: string) => e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id && c.effect === 'created');
const originalsIn = (physicalId: string) => JSON.parse(Buffer.from(physicalId.split('/restore:')[1], 'base64url').toString('utf8'));

test('turning restoreOnDelete off while changing the owner replaces the resource, and its cleanup Delete restores nothing', async () => {
  const id = 'pp-handover001';
  e2e.fake.addProduct({ id, ownerArn: ALICE });
  const before = synthesizedResource({ id, owner: OWNER, restoreOnDelete: true });
  const create = await e2e.harness.send(createRequest(before));
  expect(create.PhysicalResourceId).toMatch(/\/restore:/);

  const after = synthesizedResource({ id, owner: NEW_OWNER });
  const update = await e2e.harness.send(updateRequest(after, { resource: before, physicalResourceId: create.PhysicalResourceId }));
  expect(update).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
  // Cleanup: CloudFormation deletes the old physical id, with the old properties.
  const cleanup = await e2e.harness.send(deleteRequest(before, create.PhysicalResourceId));
  expect(cleanup.Status).toBe('SUCCESS');
  expect(created(id)).toHaveLength(2);
  expect(e2e.fake.product(id)!.ownerArn).toBe(NEW_OWNER);
});

test('a rename hands the originals over: the old resource\'s Delete restores nothing, and the last declaration\'s Delete restores them', async () => {
  const id = 'pp-handover002';
  e2e.fake.addProduct({ id, ownerArn: ALICE });
  const old = synthesizedResource({ id, owner: OWNER, restoreOnDelete: true });
  const first = await e2e.harness.send(createRequest(old));
  expect(originalsIn(first.PhysicalResourceId)).toEqual({ OWNER: ALICE });

  const renamed = synthesizedResource({ id, owner: OWNER, restoreOnDelete: true, constructId: 'RenamedOwnership' });
  expect(renamed.logicalId).not.toBe(old.logicalId);
  const second = await e2e.harness.send(createRequest(renamed));
  expect(second.Status).toBe('SUCCESS');
  // The values in place are the declared ones now; the originals come from the old resource.
  expect(originalsIn(second.PhysicalResourceId)).toEqual({ OWNER: ALICE });

  await expect(e2e.harness.send(deleteRequest(old, first.PhysicalResourceId))).resolves.toMatchObject({ Status: 'SUCCESS' });
  expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  expect(created(id)).toHaveLength(1);

  const last = await e2e.harness.send(deleteRequest(renamed, second.PhysicalResourceId));
  expect(last).toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
  expect(e2e.fake.product(id)!.ownerArn).toBe(ALICE);
});

describe('checked again on the deploys that promise it', () => {
  /** An owner change made outside the stack, as the console makes it: the same API, another caller. */
  async function changeInConsole(id: string, owner: string) {
    const console = new ServiceCatalogClient({ endpoint: e2e.fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const { RecordId } = await console.send(new UpdateProvisionedProductPropertiesCommand({
      ProvisionedProductId: id, ProvisionedProductProperties: { OWNER: owner }, IdempotencyToken: `console-${id}`,
    }));
    console.destroy();
    await waitFor(() => e2e.fake.record(RecordId!)?.status === 'SUCCEEDED');
  }

  test('checkOnEveryDeploy: the next deploy reads the product, corrects an owner changed in the console, and writes nothing when it is in place', async () => {
    const id = 'pp-recheck0001';
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    const [first, second, third] = [1, 2, 3].map(() => synthesizedResource({ id, owner: OWNER, checkOnEveryDeploy: true }));
    expect(new Set([first, second, third].map((t) => t.properties.DeployCheck)).size).toBe(3);
    const create = await e2e.harness.send(createRequest(first));
    await changeInConsole(id, ALICE);

    const corrected = await e2e.harness.send(updateRequest(second, { resource: first, physicalResourceId: create.PhysicalResourceId }));
    expect(corrected).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true', RecordStatus: 'SUCCEEDED' } });
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);

    const writesBefore = e2e.fake.writeCalls().length;
    const inPlace = await e2e.harness.send(updateRequest(third, { resource: second, physicalResourceId: create.PhysicalResourceId }));
    expect(inPlace).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'false' } });
    expect(e2e.fake.writeCalls().length).toBe(writesBefore);
  });
});

test('a new version of the linked product: CloudFormation updates it, then this resource, which corrects what drifted', async () => {
  const id = 'pp-recheck0002';
  e2e.fake.addProduct({ id, ownerArn: ALICE });
  const resolve = { resolve: { 'Provisioned.ProvisionedProductId': id } };
  const [v1, v2] = ['v1', 'v2'].map((version) => {
    const stack = new Stack(new App(), 'Example', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const provisioned = new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Provisioned', { productName: 'p', provisioningArtifactName: version });
    new ProvisionedProductProperties(stack, 'Ownership', { provisionedProductId: provisioned.attrProvisionedProductId, owner: OWNER });
    return resourceOf(Template.fromStack(stack));
  });
  const create = await e2e.harness.send(createRequest(v1, resolve));
  expect(create.Status).toBe('SUCCESS');
  const unchanged = await e2e.harness.send(updateRequest(v1, { resource: v1, physicalResourceId: id }, resolve));
  expect(unchanged).toMatchObject({ Data: { RecordStatus: 'UNCHANGED' } });

  // UpdateProvisionedProduct to v2 left another owner behind (as a console change would).
  const other = new ServiceCatalogClient({ endpoint: e2e.fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  await other.send(new UpdateProvisionedProductPropertiesCommand({ ProvisionedProductId: id, ProvisionedProductProperties: { OWNER: ALICE }, IdempotencyToken: 'v2-side-effect' }));
  other.destroy();
  await waitFor(() => e2e.fake.product(id)!.ownerArn === ALICE && e2e.fake.product(id)!.status === 'AVAILABLE');
  const update = await e2e.harness.send(updateRequest(v2, { resource: v1, physicalResourceId: id }, resolve));
  expect(update).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true', RecordStatus: 'SUCCEEDED' } });
  expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
});

async function waitFor(condition: () => boolean, ms = 5_000): Promise<void> {
  for (const end = Date.now() + ms; !condition(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > end) throw new Error('condition not met in time');
  }
}
