/**
 * A drift run's changes are idempotent by the EventBridge event's id, which the rule's input
 * transformer passes: a redelivery repeats the tokens, a new run does not, and an event without
 * an id corrects nothing and says so in an ERROR line.
 */
import { memorySsm } from '../ssm-memory';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { IN_FORCE } from '../fixtures';
import { NO_EVENT_ID_REASON, correctDrift } from '../../../lambda/drift/run';
import { DRIFT_EVENT_KIND, DriftCorrectionEvent } from '../../../lib/shared/drift-payload';

const sc = mockClient(ServiceCatalogClient);
const OWNER = 'arn:aws:iam::123456789012:role/PlatformTeam';
const ALICE = 'arn:aws:iam::123456789012:user/alice';

function deps(at = 1_800_000_000_000) {
  const lines: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  return {
    lines, logs,
    client: new ServiceCatalogClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    cloudFormation: new CloudFormationClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    ssm: memorySsm(),
    now: () => at,
    sleep: async () => undefined,
    log: (message: string, details?: Record<string, unknown>) => logs.push({ message, ...details }),
    random: () => 0,
    remainingMs: () => Infinity,
    emit: (line: string) => lines.push(line),
    guard: IN_FORCE,
  };
}

const event = (delivery: { id?: string; time?: string }): DriftCorrectionEvent => ({
  kind: DRIFT_EVENT_KIND, stackName: 'S', owners: [OWNER], launchRoles: [], products: [['pp-drifted', 0, 0, -1, '']], ...delivery,
});
const tokens = () => sc.commandCalls(UpdateProvisionedProductPropertiesCommand).map((c) => c.args[0].input.IdempotencyToken);

beforeEach(() => {
  sc.reset();
  sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-drifted', UserArn: ALICE }] });
  sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-1', Status: 'CREATED' });
  sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
});

test('a redelivery, later, repeats the token; the next scheduled event does not', async () => {
  await correctDrift(event({ id: 'e-1', time: '2026-05-01T12:00:00Z' }), deps(1_800_000_000_000));
  await correctDrift(event({ id: 'e-1', time: '2026-05-01T12:00:00Z' }), deps(1_800_000_090_000));
  await correctDrift(event({ id: 'e-2', time: '2026-05-01T13:00:00Z' }), deps(1_800_000_090_000));
  const [first, redelivered, next] = tokens();
  expect(redelivered).toBe(first);
  expect(next).not.toBe(first);
});

test('without an id, drift is reported and nothing is written, with an ERROR line', async () => {
  const d = deps();
  const summary = await correctDrift(event({ time: '2026-05-01T12:00:00Z' }), d);
  expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
  expect(summary).toMatchObject({ checked: 1, drifted: 1, corrected: 0, failed: 1 });
  expect(JSON.parse(d.lines[0])).toMatchObject({ action: 'correction-failed', reason: NO_EVENT_ID_REASON, DriftCorrectionFailed: 1 });
  expect(d.logs).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('the event has no id') }));
});
