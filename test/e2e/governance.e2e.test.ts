/**
 * The governance features end to end: the built asset in the provider framework, the real SDK,
 * and the fake. Drift correction has its own file (drift-correction.e2e.test.ts).
 */
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { EnforceProvisionedProductProperties } from '../../lib';
import { createRequest, deleteRequest, resourceOf, updateRequest } from './cloudformation-request';
import { ACCOUNT, arn, synthesizedResource, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();

const ALICE = arn('user/alice');
const OWNER = arn('role/PlatformTeam');
const LAUNCH = arn('role/SCLaunchRole');
const OLD_LAUNCH = arn('role/OldLaunchRole');
const writesTo = (id: string) => e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id);

describe('no record when nothing would change', () => {
  test('a product that already has the declared owner and launch role gets no update, and Changed is false', async () => {
    const id = 'pp-inplace0001';
    e2e.fake.addProduct({ id, ownerArn: OWNER, launchRoleArn: LAUNCH });
    const response = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: OWNER, launchRole: LAUNCH })));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id, Data: { Changed: 'false', RecordId: '', RecordStatus: 'UNCHANGED' } });
    expect(writesTo(id)).toHaveLength(0);
    const reads = e2e.fake.calls.filter((c) => c.input.Id === id || JSON.stringify(c.input).includes(`id:${id}`)).map((c) => c.operation);
    expect(reads.sort()).toEqual(['DescribeProvisionedProduct', 'SearchProvisionedProducts']);
  });

  test('one key differing is enough for a change, and Changed is true', async () => {
    const id = 'pp-halfway0001';
    e2e.fake.addProduct({ id, ownerArn: OWNER, launchRoleArn: OLD_LAUNCH });
    const response = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: OWNER, launchRole: LAUNCH })));
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true', RecordStatus: 'SUCCEEDED' } });
    expect(e2e.fake.product(id)!.launchRoleArn).toBe(LAUNCH);
  });
});

describe('find the product by name', () => {
  test('resolves the name, applies the properties, and uses the id as physical id', async () => {
    e2e.fake.addProduct({ id: 'pp-byname00001', name: 'team-app', ownerArn: ALICE });
    const response = await e2e.harness.send(createRequest(synthesizedResource({ name: 'team-app', owner: OWNER })));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'pp-byname00001', Data: { ProvisionedProductId: 'pp-byname00001' } });
    expect(e2e.fake.product('pp-byname00001')!.ownerArn).toBe(OWNER);
  });

  test('an unknown name fails with the name and what to check', async () => {
    const response = await e2e.harness.send(createRequest(synthesizedResource({ name: 'no-such-product', owner: OWNER })));
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^No provisioned product is named no-such-product \(ResourceNotFoundException: .*\)\. Check provisionedProductName/);
  });
});

describe('restore on removal', () => {
  const declare = (id: string, owner = OWNER) => synthesizedResource({ id, owner, launchRole: LAUNCH, restoreOnDelete: true });

  /** Adds the product with its original owner and launch role, and deploys the Create. */
  async function created(id: string) {
    e2e.fake.addProduct({ id, ownerArn: ALICE, launchRoleArn: OLD_LAUNCH });
    const resource = declare(id);
    const response = await e2e.harness.send(createRequest(resource));
    return { resource, response, physicalId: response.PhysicalResourceId };
  }

  test('Create applies the declaration and keeps the original values in the physical id', async () => {
    const id = 'pp-restore0001';
    const { response, physicalId } = await created(id);
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { ProvisionedProductId: id, Changed: 'true' } });
    expect(physicalId.startsWith(`${id}/restore:`)).toBe(true);
    expect(e2e.fake.product(id)).toMatchObject({ ownerArn: OWNER, launchRoleArn: LAUNCH });
  });

  test('a later Update keeps the originals (not the values it replaces), and Delete restores them', async () => {
    const id = 'pp-restore0002';
    const { resource, physicalId } = await created(id);
    const changed = declare(id, arn('role/NewTeam'));
    const response = await e2e.harness.send(updateRequest(changed, { resource, physicalResourceId: physicalId }));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
    expect(e2e.fake.product(id)!.ownerArn).toBe(arn('role/NewTeam'));

    const del = await e2e.harness.send(deleteRequest(changed, physicalId));
    expect(del).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId, Data: { RecordStatus: 'SUCCEEDED' } });
    expect(writesTo(id).at(-1)!.input.ProvisionedProductProperties).toEqual({ OWNER: ALICE, LAUNCH_ROLE: OLD_LAUNCH });
  });

  test('Delete puts the original owner and launch role back, and waits for the record', async () => {
    const id = 'pp-restore0003';
    const { resource, physicalId } = await created(id);
    const response = await e2e.harness.send(deleteRequest(resource, physicalId));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId, Data: { RecordStatus: 'SUCCEEDED' } });
    const restore = writesTo(id).at(-1)!;
    expect(restore.input.ProvisionedProductProperties).toEqual({ OWNER: ALICE, LAUNCH_ROLE: OLD_LAUNCH });
    expect(response.Data!.RecordId).toBe(restore.recordId);
    expect(e2e.fake.product(id)).toMatchObject({ ownerArn: ALICE, launchRoleArn: OLD_LAUNCH });
  });

  test('Delete still succeeds when the product no longer exists', async () => {
    const id = 'pp-restore0004';
    const { resource, physicalId } = await created(id);
    e2e.fake.removeProduct(id);
    const response = await e2e.harness.send(deleteRequest(resource, physicalId));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
  });
});

describe('enforcement across an app', () => {
  test('the declaration the Aspect adds works like one written by hand', async () => {
    const app = new App();
    const stack = new Stack(app, 'Governed', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Undeclared', { productName: 'p', provisioningArtifactName: 'v1' });
    Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: OWNER }));
    const resource = resourceOf(Template.fromStack(stack));
    expect(resource.properties.ProvisionedProductId).toEqual({ 'Fn::GetAtt': ['Undeclared', 'ProvisionedProductId'] });
    // CloudFormation resolves the GetAtt before sending; without a value the builder refuses.
    expect(() => createRequest(resource)).toThrow(/cannot resolve .*Undeclared.*ProvisionedProductId/);

    const id = 'pp-enforced001';
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    const request = createRequest(resource, { resolve: { 'Undeclared.ProvisionedProductId': id } });
    const response = await e2e.harness.send(request);
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true' } });
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  });
});
