/** The handler's governance behaviours: read before write, find by name, restore on delete. */
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient,
  UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { decodePhysicalId, encodePhysicalId } from '../../../lambda/deploy/physical-id';
import { isComplete, onEvent } from '../../../lambda/deploy/handlers';
import { IsCompleteRequest } from '../../../lambda/types';
import { ACCOUNT, LAUNCH, OWNER, cfnEvent, fakeDeps, serviceError } from '../fixtures';

const sc = mockClient(ServiceCatalogClient);
const cfn = mockClient(CloudFormationClient);
/** What ListStackResources shows of the stack's resources of our type, besides the one in the request. */
function stackResources(...resources: Array<{ logicalId: string; physicalId: string; status?: string }>) {
  cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: resources.map((r) => ({
    LogicalResourceId: r.logicalId, PhysicalResourceId: r.physicalId, ResourceType: 'Custom::ProvisionedProductProperties',
    ResourceStatus: (r.status ?? 'UPDATE_COMPLETE') as never, LastUpdatedTimestamp: new Date(0),
  })) });
}
const ORIGINAL_OWNER = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ORIGINAL_LAUNCH = `arn:aws:iam::${ACCOUNT}:role/OldLaunch`;
const deps = fakeDeps;
const event = cfnEvent;

function live(owner: string | undefined, launchRoleArn: string | undefined) {
  sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: owner ? [{ Id: 'pp-1', UserArn: owner }] : [] });
  sc.on(DescribeProvisionedProductCommand).resolves({ ProvisionedProductDetail: { Id: 'pp-1', LaunchRoleArn: launchRoleArn } });
}


beforeEach(() => {
  sc.reset();
  cfn.reset();
  stackResources();
  sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-1', Status: 'CREATED' });
});

describe('read before write', () => {
  test('reads the owner at the account access level and the launch role, by id', async () => {
    live(ORIGINAL_OWNER, ORIGINAL_LAUNCH);
    await onEvent(event(), deps());
    expect(sc.commandCalls(SearchProvisionedProductsCommand)[0].args[0].input).toEqual({
      AccessLevelFilter: { Key: 'Account', Value: 'self' }, Filters: { SearchQuery: ['id:pp-1'] }, AcceptLanguage: undefined,
      PageSize: 100, PageToken: undefined,
    });
    expect(sc.commandCalls(DescribeProvisionedProductCommand)[0].args[0].input).toEqual({ Id: 'pp-1', AcceptLanguage: undefined });
  });

  test('skips the update when the product already has the declared owner and launch role', async () => {
    live(OWNER, LAUNCH);
    const result = await onEvent(event(), deps());
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
    expect(result.Data).toMatchObject({ Changed: 'false', RecordId: '', RecordStatus: 'UNCHANGED', ProvisionedProductId: 'pp-1' });
  });

  test('updates, with every declared key, when only one of them differs', async () => {
    live(OWNER, ORIGINAL_LAUNCH);
    const result = await onEvent(event(), deps());
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)[0].args[0].input.ProvisionedProductProperties)
      .toEqual({ OWNER, LAUNCH_ROLE: LAUNCH });
    expect(result.Data).toMatchObject({ Changed: 'true', RecordId: 'rec-1' });
  });

  test('reads only the declared keys, after one read of what runs on the product', async () => {
    live(ORIGINAL_OWNER, ORIGINAL_LAUNCH);
    await onEvent(event({}, { LaunchRoleArn: undefined }), deps());
    expect(sc.commandCalls(SearchProvisionedProductsCommand)).toHaveLength(1);
    // The product's status and last record (activity.ts); its launch role is not asked again.
    expect(sc.commandCalls(DescribeProvisionedProductCommand)).toHaveLength(1);
  });

  test('a failed read does not block the update', async () => {
    sc.on(SearchProvisionedProductsCommand).rejects(serviceError('AccessDeniedException'));
    sc.on(DescribeProvisionedProductCommand).resolves({ ProvisionedProductDetail: { LaunchRoleArn: LAUNCH } });
    const result = await onEvent(event(), deps());
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(1);
    expect(result.Data).toMatchObject({ Changed: 'true' });
  });
});

describe('find the product by name', () => {
  test('resolves the name with DescribeProvisionedProduct and uses the id from there on', async () => {
    sc.on(DescribeProvisionedProductCommand, { Name: 'team-app' }).resolves({ ProvisionedProductDetail: { Id: 'pp-1', LaunchRoleArn: ORIGINAL_LAUNCH } });
    sc.on(DescribeProvisionedProductCommand, { Id: 'pp-1' }).resolves({ ProvisionedProductDetail: { Id: 'pp-1', LaunchRoleArn: ORIGINAL_LAUNCH } });
    sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: ORIGINAL_OWNER }] });
    const result = await onEvent(event({}, { ProvisionedProductId: undefined, ProvisionedProductName: 'team-app' }), deps());
    expect(result.PhysicalResourceId).toBe('pp-1');
    expect(result.Data!.ProvisionedProductId).toBe('pp-1');
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)[0].args[0].input.ProvisionedProductId).toBe('pp-1');
  });

  test('an unknown name fails with the name and what to check', async () => {
    sc.on(DescribeProvisionedProductCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(onEvent(event({}, { ProvisionedProductId: undefined, ProvisionedProductName: 'nope' }), deps()))
      .rejects.toThrow(/^No provisioned product is named nope \(ResourceNotFoundException: .*\)\. Check provisionedProductName/);
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
  });
});

describe('restoreOnDelete', () => {
  const restoring = (overrides: Record<string, unknown> = {}) => event(overrides, { RestoreOnDelete: 'true' }) as IsCompleteRequest;

  test('Create keeps the values in place before the first change in the physical id', async () => {
    live(ORIGINAL_OWNER, ORIGINAL_LAUNCH);
    const result = await onEvent(restoring(), deps());
    expect(decodePhysicalId(result.PhysicalResourceId)).toEqual({
      provisionedProductId: 'pp-1', originals: { OWNER: ORIGINAL_OWNER, LAUNCH_ROLE: ORIGINAL_LAUNCH },
    });
    expect(result.Data!.ProvisionedProductId).toBe('pp-1');
  });

  test('an Update keeps the originals captured before, not the values in place now', async () => {
    live(OWNER, LAUNCH);
    const physicalId = encodePhysicalId('pp-1', { OWNER: ORIGINAL_OWNER, LAUNCH_ROLE: ORIGINAL_LAUNCH });
    const result = await onEvent(restoring({
      RequestType: 'Update', PhysicalResourceId: physicalId,
      OldResourceProperties: { ProvisionedProductId: 'pp-1', Owner: ORIGINAL_OWNER, LaunchRoleArn: LAUNCH, TimeoutSeconds: '60', RestoreOnDelete: 'true' },
    }), deps());
    expect(result.PhysicalResourceId).toBe(physicalId);
  });

  test('a failed read fails the Create: the promise to restore cannot be kept', async () => {
    live(ORIGINAL_OWNER, ORIGINAL_LAUNCH);
    sc.on(SearchProvisionedProductsCommand).rejects(serviceError('AccessDeniedException'));
    await expect(onEvent(restoring(), deps())).rejects.toThrow(/Could not read the current owner and launch role of provisioned product pp-1 to keep for restoreOnDelete/);
  });

  test('Delete puts back the originals that differ, and isComplete follows the record', async () => {
    live(OWNER, ORIGINAL_LAUNCH);
    const physicalId = encodePhysicalId('pp-1', { OWNER: ORIGINAL_OWNER, LAUNCH_ROLE: ORIGINAL_LAUNCH });
    const result = await onEvent(restoring({ RequestType: 'Delete', PhysicalResourceId: physicalId }), deps());
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)[0].args[0].input.ProvisionedProductProperties).toEqual({ OWNER: ORIGINAL_OWNER });
    expect(result).toMatchObject({ PhysicalResourceId: physicalId, Data: { RecordId: 'rec-1', ProvisionedProductId: 'pp-1' } });

    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    await expect(isComplete(restoring({ RequestType: 'Delete', PhysicalResourceId: physicalId, Data: result.Data }), deps()))
      .resolves.toEqual({ IsComplete: true, Data: { RecordId: 'rec-1', RecordStatus: 'SUCCEEDED' } });
  });

  test('a failed restore never fails the Delete', async () => {
    live(OWNER, LAUNCH);
    sc.on(UpdateProvisionedProductPropertiesCommand).rejects(serviceError('ResourceNotFoundException'));
    const physicalId = encodePhysicalId('pp-1', { OWNER: ORIGINAL_OWNER });
    await expect(onEvent(restoring({ RequestType: 'Delete', PhysicalResourceId: physicalId }), deps())).resolves.toEqual({ PhysicalResourceId: physicalId });

    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'FAILED', RecordErrors: [{ Code: 'X', Description: 'y' }] } });
    await expect(isComplete(restoring({ RequestType: 'Delete', PhysicalResourceId: physicalId, Data: { RecordId: 'rec-9' } }), deps()))
      .resolves.toEqual({ IsComplete: true });
  });

  test('a key declared for the first time in a later Update gets its original captured then; the kept ones stay', async () => {
    live(OWNER, ORIGINAL_LAUNCH);
    const physicalId = encodePhysicalId('pp-1', { OWNER: ORIGINAL_OWNER });
    const result = await onEvent(restoring({
      RequestType: 'Update', PhysicalResourceId: physicalId,
      OldResourceProperties: { ProvisionedProductId: 'pp-1', Owner: OWNER, TimeoutSeconds: '60', RestoreOnDelete: 'true' },
    }), deps());
    expect(decodePhysicalId(result.PhysicalResourceId).originals).toEqual({ OWNER: ORIGINAL_OWNER, LAUNCH_ROLE: ORIGINAL_LAUNCH });
  });

  test('a key the product had no value for is kept as known-empty, and nothing is put back for it', async () => {
    live(ORIGINAL_OWNER, undefined);
    const created = await onEvent(restoring(), deps());
    expect(decodePhysicalId(created.PhysicalResourceId).originals).toEqual({ OWNER: ORIGINAL_OWNER, LAUNCH_ROLE: '' });
    live(OWNER, LAUNCH);
    await onEvent(restoring({ RequestType: 'Delete', PhysicalResourceId: created.PhysicalResourceId }), deps());
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand).at(-1)!.args[0].input.ProvisionedProductProperties).toEqual({ OWNER: ORIGINAL_OWNER });
  });

  test('a new declaration of the product (a rename) inherits the originals another declaration of the stack keeps', async () => {
    live(OWNER, LAUNCH);
    stackResources({ logicalId: 'OldName', physicalId: encodePhysicalId('pp-1', { OWNER: ORIGINAL_OWNER, LAUNCH_ROLE: ORIGINAL_LAUNCH }) });
    const result = await onEvent(restoring({ LogicalResourceId: 'NewName' }), deps());
    expect(decodePhysicalId(result.PhysicalResourceId).originals).toEqual({ OWNER: ORIGINAL_OWNER, LAUNCH_ROLE: ORIGINAL_LAUNCH });
    expect(cfn.commandCalls(ListStackResourcesCommand)[0].args[0].input).toEqual({ StackName: event().StackId, NextToken: undefined });
  });

  test('a Create whose stack cannot be read fails instead of keeping the declared values as originals', async () => {
    live(OWNER, LAUNCH);
    cfn.on(ListStackResourcesCommand).rejects(serviceError('AccessDenied'));
    await expect(onEvent(restoring(), deps())).rejects.toThrow(/^Could not read this stack's resources \(AccessDenied: .*cloudformation:ListStackResources/);
  });

  test.each([
    ['a replacement (the same logical id now has another physical id on the product)', { logicalId: 'Ownership', physicalId: 'pp-1' }],
    ['a rename (another logical id declares the product)', { logicalId: 'Renamed', physicalId: encodePhysicalId('pp-1', { OWNER: ORIGINAL_OWNER }) }],
  ])('Delete restores nothing after %s', async (_title, other) => {
    live(OWNER, LAUNCH);
    stackResources(other);
    const physicalId = encodePhysicalId('pp-1', { OWNER: ORIGINAL_OWNER });
    await expect(onEvent(restoring({ RequestType: 'Delete', PhysicalResourceId: physicalId }), deps())).resolves.toEqual({ PhysicalResourceId: physicalId });
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
  });

  test('Delete restores when the other declarations are of other products, or are being deleted themselves', async () => {
    live(OWNER, LAUNCH);
    const physicalId = encodePhysicalId('pp-1', { OWNER: ORIGINAL_OWNER });
    stackResources({ logicalId: 'Ownership', physicalId, status: 'DELETE_IN_PROGRESS' }, { logicalId: 'Other', physicalId: 'pp-2' },
      { logicalId: 'Gone', physicalId: 'pp-1', status: 'DELETE_COMPLETE' });
    await onEvent(restoring({ RequestType: 'Delete', PhysicalResourceId: physicalId }), deps());
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(1);
  });

  test('Delete restores nothing when the stack cannot be read: undoing a live declaration on a guess is worse', async () => {
    live(OWNER, LAUNCH);
    cfn.on(ListStackResourcesCommand).rejects(serviceError('Throttling', 'client', 400));
    const physicalId = encodePhysicalId('pp-1', { OWNER: ORIGINAL_OWNER });
    await expect(onEvent(restoring({ RequestType: 'Delete', PhysicalResourceId: physicalId }), deps())).resolves.toEqual({ PhysicalResourceId: physicalId });
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
  });

  test('Delete without restoreOnDelete makes no call, even when originals were kept', async () => {
    const physicalId = encodePhysicalId('pp-1', { OWNER: ORIGINAL_OWNER });
    await onEvent(event({ RequestType: 'Delete', PhysicalResourceId: physicalId }, { RestoreOnDelete: 'false' }), deps());
    expect(sc.calls()).toHaveLength(0);
  });
});
