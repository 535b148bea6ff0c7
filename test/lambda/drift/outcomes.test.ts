/**
 * Pending or failed, for each way a drift check or correction can end without a verdict: a call
 * throttled past the SDK's retries, a 5xx, the run out of time, a record not found past its grace.
 * Pending leaves the product to the next run; failed (DriftCorrectionFailed) is for a person.
 */
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient,
  UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { correctDrift } from '../../../lambda/drift/run';
import { DRIFT_EVENT_KIND, DriftCorrectionEvent } from '../../../lib/shared/drift-payload';
import { OWNER, driftDeps, serviceError } from '../fixtures';

const sc = mockClient(ServiceCatalogClient);
const ALICE = 'arn:aws:iam::123456789012:user/alice';
const event = (products: DriftCorrectionEvent['products']): DriftCorrectionEvent & { id: string } => ({
  kind: DRIFT_EVENT_KIND, stackName: 'S', owners: [OWNER], launchRoles: [], products, id: 'delivery-1',
});
const lineOf = (d: ReturnType<typeof driftDeps>) => JSON.parse(d.lines[0]);

beforeEach(() => {
  sc.reset();
  sc.on(DescribeProvisionedProductCommand).resolves({ ProvisionedProductDetail: { Id: 'pp-named', Status: 'AVAILABLE' } });
  sc.on(SearchProvisionedProductsCommand).callsFake((input) => ({ ProvisionedProducts: [{ Id: input.Filters.SearchQuery[0].slice(3), UserArn: ALICE }] }));
  sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-1', Status: 'CREATED' });
  sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
});

test.each([
  ['throttled past the retries', serviceError('ThrottlingException')],
  ['an HTTP 500', serviceError('InternalFailure', 'server', 500)],
])('a read %s is a pending check', async (_, error) => {
  sc.on(SearchProvisionedProductsCommand).rejects(error);
  const d = driftDeps();
  await expect(correctDrift(event([['pp-1', 0, 0, -1, '']]), d)).resolves.toMatchObject({ failed: 0, pending: 1 });
  expect(lineOf(d)).toMatchObject({ action: 'check-pending', DriftCorrectionFailed: 0, DriftPending: 1 });
});

test.each([
  ['throttled past the retries', serviceError('ThrottlingException')],
  ['an HTTP 503', serviceError('ServiceUnavailable', 'server', 503)],
])('a product given by name whose look-up is %s is pending, and the reason does not blame the permission', async (_, error) => {
  sc.on(DescribeProvisionedProductCommand).rejects(error);
  const d = driftDeps();
  await expect(correctDrift(event([['team-app', 1, 0, -1, '']]), d)).resolves.toMatchObject({ failed: 0, pending: 1 });
  expect(lineOf(d)).toMatchObject({ action: 'check-pending', DriftCorrectionFailed: 0 });
  expect(lineOf(d).reason).not.toMatch(/permission/);
});

test('access denied on the look-up by name is a failure: a person must fix the permission', async () => {
  sc.on(DescribeProvisionedProductCommand).rejects(serviceError('AccessDeniedException'));
  const d = driftDeps();
  await expect(correctDrift(event([['team-app', 1, 0, -1, '']]), d)).resolves.toMatchObject({ failed: 1, pending: 0 });
  expect(lineOf(d)).toMatchObject({ action: 'check-failed', DriftCorrectionFailed: 1, reason: expect.stringContaining('permission') });
});

test('the run out of time during a product\'s reads leaves it pending', async () => {
  // The function ends 75 s after the start: the first read takes 70 s, so the second has no time left.
  const d = driftDeps(75_000);
  sc.on(DescribeProvisionedProductCommand).callsFake(() => {
    d.advance(70_000);
    return { ProvisionedProductDetail: { Id: 'pp-named', Status: 'AVAILABLE' } };
  });
  await expect(correctDrift(event([['team-app', 1, 0, -1, '']]), d)).resolves.toMatchObject({ failed: 0, pending: 1 });
  expect(lineOf(d)).toMatchObject({ action: 'check-pending', reason: expect.stringContaining('the run ended') });
  expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
});

test('no answer to the change (HTTP 500 past the retries) is a pending correction: it may have started', async () => {
  sc.on(UpdateProvisionedProductPropertiesCommand).rejects(serviceError('InternalFailure', 'server', 500));
  const d = driftDeps();
  await expect(correctDrift(event([['pp-1', 0, 0, -1, '']]), d)).resolves.toMatchObject({ failed: 0, pending: 1 });
  expect(lineOf(d)).toMatchObject({ action: 'correction-pending', reason: expect.stringContaining('no answer to the change') });
});

test('the run out of time during the change is a pending correction', async () => {
  const d = driftDeps(75_000);
  sc.on(SearchProvisionedProductsCommand).callsFake((input) => {
    d.advance(70_000);
    return { ProvisionedProducts: [{ Id: input.Filters.SearchQuery[0].slice(3), UserArn: ALICE }] };
  });
  await expect(correctDrift(event([['pp-1', 0, 0, -1, '']]), d)).resolves.toMatchObject({ failed: 0, pending: 1 });
  expect(lineOf(d)).toMatchObject({ action: 'correction-pending' });
});

test('a record not found past its grace is a pending correction; a FAILED record is a failure', async () => {
  sc.on(DescribeRecordCommand).rejects(serviceError('ResourceNotFoundException'));
  const d = driftDeps();
  await expect(correctDrift(event([['pp-1', 0, 0, -1, '']]), d)).resolves.toMatchObject({ failed: 0, pending: 1 });
  expect(lineOf(d)).toMatchObject({ action: 'correction-pending', recordId: 'rec-1' });
});
