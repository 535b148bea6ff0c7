/**
 * The governance features end to end: the built asset in the provider framework, the real SDK,
 * and the fake. Drift correction has its own file (drift-correction.e2e.test.ts).
 */
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { EnforceProvisionedProductProperties } from '../../lib';
import { ACCOUNT, arn, synthesizedProperties, useEndToEnd } from './e2e-setup';

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
    const response = await e2e.harness.send({ RequestType: 'Create', ResourceProperties: synthesizedProperties({ id, owner: OWNER, launchRole: LAUNCH }) });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id, Data: { Changed: 'false', RecordId: '', RecordStatus: 'UNCHANGED' } });
    expect(writesTo(id)).toHaveLength(0);
    const reads = e2e.fake.calls.filter((c) => c.input.Id === id || JSON.stringify(c.input).includes(`id:${id}`)).map((c) => c.operation);
    expect(reads.sort()).toEqual(['DescribeProvisionedProduct', 'SearchProvisionedProducts']);
  });

  test('one key differing is enough for a change, and Changed is true', async () => {
    const id = 'pp-halfway0001';
    e2e.fake.addProduct({ id, ownerArn: OWNER, launchRoleArn: OLD_LAUNCH });
    const response = await e2e.harness.send({ RequestType: 'Create', ResourceProperties: synthesizedProperties({ id, owner: OWNER, launchRole: LAUNCH }) });
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true', RecordStatus: 'SUCCEEDED' } });
    expect(e2e.fake.product(id)!.launchRoleArn).toBe(LAUNCH);
  });
});

describe('find the product by name', () => {
  test('resolves the name, applies the properties, and uses the id as physical id', async () => {
    e2e.fake.addProduct({ id: 'pp-byname00001', name: 'team-app', ownerArn: ALICE });
    const response = await e2e.harness.send({ RequestType: 'Create', ResourceProperties: synthesizedProperties({ name: 'team-app', owner: OWNER }) });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'pp-byname00001', Data: { ProvisionedProductId: 'pp-byname00001' } });
    expect(e2e.fake.product('pp-byname00001')!.ownerArn).toBe(OWNER);
  });

  test('an unknown name fails with the name and what to check', async () => {
    const response = await e2e.harness.send({ RequestType: 'Create', ResourceProperties: synthesizedProperties({ name: 'no-such-product', owner: OWNER }) });
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^No provisioned product is named no-such-product \(ResourceNotFoundException: .*\)\. Check provisionedProductName/);
  });
});

describe('restore on removal', () => {
  const id = 'pp-restore0001';
  const declared = synthesizedProperties({ id, owner: OWNER, launchRole: LAUNCH, restoreOnDelete: true });
  let physicalId: string;

  beforeAll(() => e2e.fake.addProduct({ id, ownerArn: ALICE, launchRoleArn: OLD_LAUNCH }));

  test('Create applies the declaration and keeps the original values in the physical id', async () => {
    const response = await e2e.harness.send({ RequestType: 'Create', ResourceProperties: declared });
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { ProvisionedProductId: id, Changed: 'true' } });
    physicalId = response.PhysicalResourceId;
    expect(physicalId.startsWith(`${id}/restore:`)).toBe(true);
    expect(e2e.fake.product(id)).toMatchObject({ ownerArn: OWNER, launchRoleArn: LAUNCH });
  });

  test('a later Update keeps the originals (not the values it replaces)', async () => {
    const changed = synthesizedProperties({ id, owner: arn('role/NewTeam'), launchRole: LAUNCH, restoreOnDelete: true });
    const response = await e2e.harness.send({ RequestType: 'Update', PhysicalResourceId: physicalId, ResourceProperties: changed, OldResourceProperties: declared });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
    expect(e2e.fake.product(id)!.ownerArn).toBe(arn('role/NewTeam'));
  });

  test('Delete puts the original owner and launch role back, and waits for the record', async () => {
    const response = await e2e.harness.send({ RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: declared });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId, Data: { RecordStatus: 'SUCCEEDED' } });
    expect(e2e.fake.product(id)).toMatchObject({ ownerArn: ALICE, launchRoleArn: OLD_LAUNCH });
    expect(writesTo(id).at(-1)!.input.ProvisionedProductProperties).toEqual({ OWNER: ALICE, LAUNCH_ROLE: OLD_LAUNCH });
  });

  test('Delete still succeeds when the product no longer exists', async () => {
    e2e.fake.removeProduct(id);
    const response = await e2e.harness.send({ RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: declared });
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
  });
});

describe('enforcement across an app', () => {
  test('the declaration the Aspect adds works like one written by hand', async () => {
    const app = new App();
    const stack = new Stack(app, 'Governed', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Undeclared', { productName: 'p', provisioningArtifactName: 'v1' });
    Aspects.of(app).add(new EnforceProvisionedProductProperties({ owner: OWNER }));
    const [resource] = Object.values(Template.fromStack(stack).findResources('Custom::ProvisionedProductProperties')) as any[];
    const { ServiceToken: _t, ServiceTimeout: _s, ...properties } = resource.Properties;
    expect(properties.ProvisionedProductId).toEqual({ 'Fn::GetAtt': ['Undeclared', 'ProvisionedProductId'] });

    const id = 'pp-enforced001';
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    const response = await e2e.harness.send({ RequestType: 'Create', ResourceProperties: { ...properties, ProvisionedProductId: id } });
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true' } });
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  });
});
