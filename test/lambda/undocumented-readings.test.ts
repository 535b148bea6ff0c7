/**
 * The handler under each plausible reading of what Service Catalog does not document (Search
 * lag and paging, late records), and within the Lambda function's own time limit.
 */
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient,
  UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { RECORD_VISIBILITY_GRACE_MS } from '../../lambda/product/judgements';
import { correctDrift } from '../../lambda/drift/run';
import { isComplete, onEvent } from '../../lambda/deploy/handlers';
import { SEARCH_LAG_RETRY_DELAYS_MS } from '../../lambda/product/live-state';
import { FUNCTION_SAFETY_MARGIN_MS } from '../../lambda/runtime';
import { IsCompleteRequest } from '../../lambda/types';
import { DRIFT_EVENT_KIND } from '../../lib/shared/drift-payload';
import { ACCOUNT, LAUNCH, OWNER, START, cfnEvent, fakeDeps, serviceError, IN_FORCE } from './fixtures';

const sc = mockClient(ServiceCatalogClient);
const cfn = mockClient(CloudFormationClient);
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const updates = () => sc.commandCalls(UpdateProvisionedProductPropertiesCommand);

beforeEach(() => {
  sc.reset();
  cfn.reset();
  cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
  sc.on(DescribeProvisionedProductCommand).resolves({ ProvisionedProductDetail: { Id: 'pp-1', Status: 'AVAILABLE', LaunchRoleArn: LAUNCH } });
  sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-1', Status: 'CREATED' });
});

describe('SearchProvisionedProducts: paged, and it may lag', () => {
  test('pages through the results until the product is found', async () => {
    sc.on(SearchProvisionedProductsCommand)
      .resolvesOnce({ ProvisionedProducts: [{ Id: 'pp-other', UserArn: ALICE }], NextPageToken: 'page-2' })
      .resolvesOnce({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: OWNER }] });
    const result = await onEvent(cfnEvent(), fakeDeps());
    expect(result.Data).toMatchObject({ Changed: 'false' });
    expect(sc.commandCalls(SearchProvisionedProductsCommand).map((c) => c.args[0].input.PageToken)).toEqual([undefined, 'page-2']);
    expect(updates()).toHaveLength(0);
  });

  test('a product listed only after the index caught up is found by a later search, after a short wait', async () => {
    sc.on(SearchProvisionedProductsCommand)
      .resolvesOnce({ ProvisionedProducts: [] })
      .resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: OWNER }] });
    const deps = fakeDeps();
    await expect(onEvent(cfnEvent(), deps)).resolves.toMatchObject({ Data: { Changed: 'false' } });
    expect(deps.sleeps).toEqual([SEARCH_LAG_RETRY_DELAYS_MS[0]]);
  });

  test('a product never listed has an unknown owner: the change is made, never skipped on a guess', async () => {
    sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [] });
    const deps = fakeDeps();
    await expect(onEvent(cfnEvent(), deps)).resolves.toMatchObject({ Data: { Changed: 'true', RecordId: 'rec-1' } });
    expect(sc.commandCalls(SearchProvisionedProductsCommand)).toHaveLength(SEARCH_LAG_RETRY_DELAYS_MS.length + 1);
    expect(deps.sleeps).toEqual([...SEARCH_LAG_RETRY_DELAYS_MS]);
  });

  test('with restoreOnDelete, an owner never listed fails the deploy clearly instead of keeping nothing', async () => {
    sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [] });
    await expect(onEvent(cfnEvent({}, { RestoreOnDelete: 'true' }), fakeDeps())).rejects.toThrow(
      /^SearchProvisionedProducts did not list provisioned product pp-1 after 4 searches, so its current owner is unknown and cannot be kept for restoreOnDelete\..*turn restoreOnDelete off/);
    expect(updates()).toHaveLength(0);
  });

  test('drift correction makes no write for an owner it could not read, and reports the check as incomplete', async () => {
    sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [] });
    const lines: string[] = [];
    const summary = await correctDrift({ kind: DRIFT_EVENT_KIND, stackName: 'S', owners: [OWNER], launchRoles: [], products: [['pp-1', 0, 0, -1, '']], id: 'e-1' },
      { ...fakeDeps(), emit: (line) => lines.push(line), guard: IN_FORCE });
    expect(summary).toMatchObject({ checked: 1, drifted: 0, corrected: 0 });
    expect(JSON.parse(lines[0])).toMatchObject({ action: 'check-incomplete', DriftDetected: 0, reason: expect.stringContaining('OWNER could not be read') });
    expect(updates()).toHaveLength(0);
  });
});

describe('a record that appears late', () => {
  const started = (advancedMs = 0) => ({
    ...cfnEvent({ PhysicalResourceId: 'pp-1' }),
    Data: { ProvisionedProductId: 'pp-1', RecordId: 'rec-1', RecordStatus: 'CREATED', HandlerState: JSON.stringify({ waitStartedAt: START - advancedMs, startPending: false }) },
  }) as IsCompleteRequest;

  test('ResourceNotFoundException right after the change is pending, and the record is followed once it appears', async () => {
    sc.on(DescribeRecordCommand).rejectsOnce(serviceError('ResourceNotFoundException')).rejectsOnce(serviceError('ResourceNotFoundException'))
      .resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    await expect(isComplete(started(), fakeDeps())).resolves.toEqual({ IsComplete: true, Data: { RecordId: 'rec-1', RecordStatus: 'SUCCEEDED' } });
  });

  test('still not found after the grace period, it fails naming the record', async () => {
    sc.on(DescribeRecordCommand).rejects(serviceError('ResourceNotFoundException'));
    await expect(isComplete(started(RECORD_VISIBILITY_GRACE_MS), fakeDeps())).rejects.toThrow(/^Service Catalog record rec-1 of provisioned product pp-1 could not be read for 30 s/);
  });
});

describe('within the function\'s own timeout', () => {
  test('isComplete hands back before its function would time out, however long the fast-poll window', async () => {
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'IN_PROGRESS' } });
    const deps = fakeDeps();
    const endsAt = START + FUNCTION_SAFETY_MARGIN_MS + 3_000;
    const timed = { ...deps, remainingMs: () => endsAt - deps.now() };
    await expect(isComplete({ ...cfnEvent({ PhysicalResourceId: 'pp-1' }), Data: {
      ProvisionedProductId: 'pp-1', RecordId: 'rec-1', RecordStatus: 'CREATED', HandlerState: JSON.stringify({ waitStartedAt: START, startPending: false }),
    } } as IsCompleteRequest, timed)).resolves.toEqual({ IsComplete: false });
    expect(deps.now() - START).toBeLessThanOrEqual(3_000);
  });

  test('onEvent with no time left makes no call it could not finish, and leaves the change to isComplete', async () => {
    sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: ALICE }] });
    const deps = fakeDeps();
    const result = await onEvent(cfnEvent(), { ...deps, remainingMs: () => FUNCTION_SAFETY_MARGIN_MS });
    expect(result.Data).toMatchObject({ RecordId: '', HandlerState: JSON.stringify({ waitStartedAt: START, startPending: true }) });
    expect(sc.calls()).toHaveLength(0);
  });
});

test('an unknown property key is ignored with a warning that names it', async () => {
  sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: ALICE }] });
  const lines: Array<[string, Record<string, unknown> | undefined]> = [];
  await expect(onEvent(cfnEvent({}, { Owners: 'x' }), { ...fakeDeps(), log: (m, d) => lines.push([m, d]) })).resolves.toMatchObject({ Data: { RecordId: 'rec-1' } });
  expect(lines).toContainEqual(['warning: the request has properties the handler does not use; they are ignored', { unusedKeys: ['Owners'] }]);
});
