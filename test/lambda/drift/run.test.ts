import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { memorySsm } from '../ssm-memory';
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient,
  ServiceCatalogServiceException, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { IN_FORCE } from '../fixtures';
import { DRIFT_RECORD_TIMEOUT_SECONDS, correctDrift } from '../../../lambda/drift/run';
import { driftLogLine } from '../../../lambda/drift/metrics';
import { DRIFT_EVENT_KIND, DriftCorrectionEvent, decodeDriftEvent } from '../../../lib/shared/drift-payload';

const sc = mockClient(ServiceCatalogClient);
const OWNER = 'arn:aws:iam::123456789012:role/PlatformTeam';
const ALICE = 'arn:aws:iam::123456789012:user/alice';

function deps() {
  const lines: string[] = [];
  return {
    lines,
    client: new ServiceCatalogClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    cloudFormation: new CloudFormationClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    ssm: memorySsm(),
    now: () => 1_800_000_000_000,
    sleep: async () => undefined,
    log: () => undefined,
    remainingMs: () => Infinity,
    random: () => 0,
    emit: (line: string) => lines.push(line),
    guard: IN_FORCE,
  };
}

const event = (products: DriftCorrectionEvent['products']): DriftCorrectionEvent & { id: string } => ({
  kind: DRIFT_EVENT_KIND, stackName: 'S', owners: [OWNER], launchRoles: [], products, id: 'delivery-1',
});

beforeEach(() => {
  sc.reset();
  sc.on(SearchProvisionedProductsCommand).callsFake((input) => {
    const id = input.Filters.SearchQuery[0].slice(3);
    return { ProvisionedProducts: [{ Id: id, UserArn: id === 'pp-steady' ? OWNER : ALICE }] };
  });
  sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-1', Status: 'CREATED' });
  sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
});

test('corrects the drifted product, leaves the steady one, and reports each', async () => {
  const d = deps();
  const summary = await correctDrift(event([['pp-drifted', 0, 0, -1, ''], ['pp-steady', 0, 0, -1, '']]), d);
  expect(summary).toEqual({ checked: 2, drifted: 1, corrected: 1, failed: 0, invalid: 0, pending: 0 });
  expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand).map((c) => c.args[0].input.ProvisionedProductId)).toEqual(['pp-drifted']);
  expect(Object.fromEntries(d.lines.map((l) => JSON.parse(l)).map((l) => [l.provisionedProductId, l.action]))).toEqual({ 'pp-drifted': 'corrected', 'pp-steady': 'none' });
});

test('one product failing does not stop the others; the failure is a metric', async () => {
  sc.on(UpdateProvisionedProductPropertiesCommand, { ProvisionedProductId: 'pp-refused' })
    .rejects(new ServiceCatalogServiceException({ name: 'InvalidParametersException', $fault: 'client', $metadata: {}, message: 'no such principal' }));
  const d = deps();
  const summary = await correctDrift(event([['pp-refused', 0, 0, -1, ''], ['pp-drifted', 0, 0, -1, '']]), d);
  expect(summary).toMatchObject({ checked: 2, corrected: 1, failed: 1 });
  const refused = d.lines.map((l) => JSON.parse(l)).find((l) => l.provisionedProductId === 'pp-refused');
  expect(refused).toMatchObject({ action: 'correction-failed', DriftCorrectionFailed: 1, reason: expect.stringContaining('no such principal') });
});

test('a busy product is pending, not a failure: the failure metric is for what a person must fix', async () => {
  sc.on(UpdateProvisionedProductPropertiesCommand, { ProvisionedProductId: 'pp-busy' })
    .rejects(new ServiceCatalogServiceException({ name: 'InvalidStateException', $fault: 'client', $metadata: {}, message: 'under change' }));
  const d = deps();
  const summary = await correctDrift(event([['pp-busy', 0, 0, -1, '']]), d);
  expect(summary).toMatchObject({ failed: 0, pending: 1 });
  expect(JSON.parse(d.lines[0])).toMatchObject({ action: 'correction-pending', DriftCorrectionFailed: 0, DriftPending: 1, reason: expect.stringContaining('is busy with another operation') });
});

test('a FAILED record is a failed correction with the record\'s errors', async () => {
  sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'FAILED', RecordErrors: [{ Code: 'E', Description: 'no' }] } });
  const d = deps();
  await correctDrift(event([['pp-drifted', 0, 0, -1, '']]), d);
  expect(JSON.parse(d.lines[0])).toMatchObject({ action: 'correction-failed', recordId: 'rec-1', reason: expect.stringContaining('FAILED: E: no.') });
});

test('a product that cannot be read is a failed check, not a crash', async () => {
  sc.on(DescribeProvisionedProductCommand).rejects(new ServiceCatalogServiceException({ name: 'ResourceNotFoundException', $fault: 'client', $metadata: {}, message: 'gone' }));
  const d = deps();
  const summary = await correctDrift(event([['team-app', 1, 0, -1, '']]), d);
  expect(summary).toMatchObject({ checked: 1, failed: 1 });
  expect(JSON.parse(d.lines[0])).toMatchObject({ action: 'check-failed', provisionedProductName: 'team-app', reason: expect.stringContaining('No provisioned product is named team-app') });
});

test('records that never finish are followed together, and reported pending after their own timeout, not one after another', async () => {
  sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'IN_PROGRESS' } });
  let now = 1_800_000_000_000;
  const d = { ...deps(), now: () => now, sleep: async (ms: number) => { now += ms; } };
  const ids = Array.from({ length: 8 }, (_, i) => `pp-${i}`);
  const summary = await correctDrift(event(ids.map((id) => [id, 0, 0, -1, ''])), d);
  expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(8);
  expect(d.lines.map((l) => JSON.parse(l).action)).toEqual(Array(8).fill('correction-pending'));
  expect(summary).toMatchObject({ checked: 8, drifted: 8, corrected: 0, failed: 0, pending: 8 });
  // Eight waits in turn would take 8 x 120 s; together they take one record timeout.
  expect(now - 1_800_000_000_000).toBeGreaterThanOrEqual(DRIFT_RECORD_TIMEOUT_SECONDS * 1000);
  expect(now - 1_800_000_000_000).toBeLessThanOrEqual(DRIFT_RECORD_TIMEOUT_SECONDS * 1000 + 2_000);
});

test('invalid entries are skipped and counted, the rest is checked', async () => {
  const summary = await correctDrift(event([['bad id!', 0, 0, -1, ''], ['pp-steady', 0, 0, -1, '']]), deps());
  expect(summary).toMatchObject({ checked: 1, invalid: 1 });
});

describe('decodeDriftEvent', () => {
  test('decodes ids, names, principal indexes and languages with the shared rules', () => {
    const decoded = decodeDriftEvent({
      kind: DRIFT_EVENT_KIND, stackName: 'S', owners: [OWNER], launchRoles: ['arn:aws:iam::123456789012:role/L'],
      products: [['pp-1', 0, 0, 0, 'jp'], ['team-app', 1, -1, 0, ''], ['pp-2', 0, -1, -1, ''], ['pp-3', 0, 0, -1, 'fr']],
    }, { account: '123456789012', partition: 'aws' });
    expect(decoded.declarations).toEqual([
      { product: { id: 'pp-1' }, values: { OWNER, LAUNCH_ROLE: 'arn:aws:iam::123456789012:role/L' }, acceptLanguage: 'jp' },
      { product: { name: 'team-app' }, values: { LAUNCH_ROLE: 'arn:aws:iam::123456789012:role/L' }, acceptLanguage: undefined },
    ]);
    expect(decoded.invalid.map((i) => i.reason)).toEqual([
      expect.stringContaining('Invalid owner and launchRole (not set)'),
      'Invalid acceptLanguage "fr": expected one of "en", "jp", "zh".',
    ]);
  });
});

test('the drift log line is valid embedded metric format', () => {
  const line = JSON.parse(driftLogLine({ stackName: 'S', provisionedProductId: 'pp-1', drift: {}, action: 'none' }, 1700000000000));
  expect(line._aws).toEqual({
    Timestamp: 1700000000000,
    CloudWatchMetrics: [{ Namespace: 'ProvisionedProductProperties', Dimensions: [['StackName']], Metrics: [
      { Name: 'DriftDetected', Unit: 'Count' }, { Name: 'DriftCorrected', Unit: 'Count' }, { Name: 'DriftCorrectionFailed', Unit: 'Count' },
      { Name: 'DriftPending', Unit: 'Count' },
    ] }],
  });
  for (const metric of line._aws.CloudWatchMetrics[0].Metrics) {
    expect(typeof line[metric.Name]).toBe('number');
  }
  expect(line.StackName).toBe('S');
});
