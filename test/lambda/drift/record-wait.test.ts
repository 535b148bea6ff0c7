/**
 * How long a drift run follows a correction's record: DRIFT_RECORD_TIMEOUT_SECONDS from the
 * record's start, in virtual time. A record that ends within it is reported corrected; one that
 * does not is reported pending at that bound, neither earlier nor at the run's end.
 */
import {
  DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { DRIFT_RECORD_TIMEOUT_SECONDS, correctDrift } from '../../../lambda/drift/run';
import { DRIFT_EVENT_KIND } from '../../../lib/shared/drift-payload';
import { driftDeps } from '../fixtures';

const sc = mockClient(ServiceCatalogClient);
const OWNER = 'arn:aws:iam::123456789012:role/PlatformTeam';
const ALICE = 'arn:aws:iam::123456789012:user/alice';

/** One drifted product whose correction's record succeeds `recordTakesMs` after it started (never, for Infinity). */
async function runWithRecordTaking(recordTakesMs: number) {
  const deps = driftDeps();
  let startedAt = 0;
  sc.reset();
  sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: ALICE }] });
  sc.on(UpdateProvisionedProductPropertiesCommand).callsFake(() => {
    startedAt = deps.now();
    return { RecordId: 'rec-1', Status: 'CREATED' };
  });
  sc.on(DescribeRecordCommand).callsFake(() => ({
    RecordDetail: { Status: deps.now() - startedAt >= recordTakesMs ? 'SUCCEEDED' : 'IN_PROGRESS' },
  }));
  await correctDrift({ kind: DRIFT_EVENT_KIND, stackName: 'S', owners: [OWNER], launchRoles: [], products: [['pp-1', 0, 0, -1, '']], id: 'e-1' }, deps);
  expect(deps.lines).toHaveLength(1);
  // The run emits the report when it is decided: its time is the clock's then, which the line's _aws.Timestamp records.
  const report = JSON.parse(deps.lines[0]);
  return { report: { ...report, at: report._aws.Timestamp }, startedAt };
}

test('a record that succeeds well within the bound is reported corrected', async () => {
  const takes = (DRIFT_RECORD_TIMEOUT_SECONDS / 2) * 1000;
  const { report, startedAt } = await runWithRecordTaking(takes);
  expect(report.action).toBe('corrected');
  expect(report.at - startedAt).toBeGreaterThanOrEqual(takes);
});

test('a record that never ends is reported pending once the bound has passed, not before and not at the run\'s end', async () => {
  const { report, startedAt } = await runWithRecordTaking(Infinity);
  expect(report).toMatchObject({ action: 'correction-pending', reason: expect.stringContaining(`Timed out after ${DRIFT_RECORD_TIMEOUT_SECONDS} s`) });
  const waitedMs = report.at - startedAt;
  expect(waitedMs).toBeGreaterThanOrEqual(DRIFT_RECORD_TIMEOUT_SECONDS * 1000);
  expect(waitedMs).toBeLessThan(DRIFT_RECORD_TIMEOUT_SECONDS * 1000 + 10_000);
});
