/**
 * A drift run at scale: bounded parallelism, one shared wait for all started records, and an end
 * before the function's deadline with every product reported (pending where unfinished).
 */
import {
  DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { DRIFT_CONCURRENCY, DRIFT_START_RESERVE_MS, correctDrift } from '../../../lambda/drift/run';
import { FUNCTION_SAFETY_MARGIN_MS } from '../../../lambda/runtime';
import { DRIFT_EVENT_KIND, DriftCorrectionEvent } from '../../../lib/shared/drift-payload';
import { START, driftDeps } from '../fixtures';

const sc = mockClient(ServiceCatalogClient);
const OWNER = 'arn:aws:iam::123456789012:role/PlatformTeam';
const ALICE = 'arn:aws:iam::123456789012:user/alice';
const FUNCTION_TIMEOUT_MS = 15 * 60_000;

const ids = (n: number) => Array.from({ length: n }, (_, i) => `pp-${String(i).padStart(5, '0')}`);
const event = (products: string[]): DriftCorrectionEvent & { id: string } => ({
  kind: DRIFT_EVENT_KIND, stackName: 'S', owners: [OWNER], launchRoles: [], products: products.map((id) => [id, 0, 0, -1, '']), id: 'e-1',
});

beforeEach(() => sc.reset());

test(`at most ${DRIFT_CONCURRENCY} products are read at once, and more than one is`, async () => {
  let inFlight = 0;
  let most = 0;
  sc.on(SearchProvisionedProductsCommand).callsFake(async (input) => {
    most = Math.max(most, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    inFlight--;
    return { ProvisionedProducts: [{ Id: input.Filters.SearchQuery[0].slice(3), UserArn: OWNER }] };
  });
  const d = driftDeps(FUNCTION_TIMEOUT_MS);
  const summary = await correctDrift(event(ids(60)), d);
  expect(summary).toMatchObject({ checked: 60, drifted: 0, pending: 0 });
  expect(most).toBe(DRIFT_CONCURRENCY);
});

test('100 corrections whose records take 20 s each end in about 20 s, their records polled together', async () => {
  const startedAt = new Map<string, number>();
  const d = driftDeps(FUNCTION_TIMEOUT_MS);
  sc.on(SearchProvisionedProductsCommand).callsFake(async (input) => ({ ProvisionedProducts: [{ Id: input.Filters.SearchQuery[0].slice(3), UserArn: ALICE }] }));
  sc.on(UpdateProvisionedProductPropertiesCommand).callsFake(async (input) => {
    startedAt.set(`rec-${input.ProvisionedProductId}`, d.now());
    return { RecordId: `rec-${input.ProvisionedProductId}`, Status: 'CREATED' };
  });
  sc.on(DescribeRecordCommand).callsFake(async (input) => ({
    RecordDetail: { Status: d.now() - startedAt.get(input.Id)! >= 20_000 ? 'SUCCEEDED' : 'IN_PROGRESS' },
  }));
  const summary = await correctDrift(event(ids(100)), d);
  expect(summary).toMatchObject({ checked: 100, drifted: 100, corrected: 100, pending: 0, failed: 0 });
  // One after another, the waits alone would take 100 x 20 s.
  expect(d.now() - START).toBeGreaterThanOrEqual(20_000);
  expect(d.now() - START).toBeLessThan(30_000);
  // Each sweep (at most one a second) polls the running records once: about 100 x 20 polls, one more
  // sweep for the records started last; 100 waits of their own would poll each on its own schedule.
  expect(sc.commandCalls(DescribeRecordCommand).length).toBeLessThanOrEqual(100 * 21);
});

test('near the deadline no product is started; unfinished ones are reported pending, none dropped, and the run ends in time', async () => {
  const d = driftDeps(FUNCTION_TIMEOUT_MS);
  const callTimes: number[] = [];
  // The service answers one read a second, however many are asked at once: 2,000 do not fit in 15 minutes.
  sc.on(SearchProvisionedProductsCommand).callsFake(async (input) => {
    callTimes.push(d.now());
    d.advance(1_000);
    const id = input.Filters.SearchQuery[0].slice(3);
    return { ProvisionedProducts: [{ Id: id, UserArn: id.endsWith('0') ? ALICE : OWNER }] };
  });
  sc.on(UpdateProvisionedProductPropertiesCommand).callsFake(async (input) => ({ RecordId: `rec-${input.ProvisionedProductId}`, Status: 'CREATED' }));
  sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'IN_PROGRESS' } });
  const all = ids(2_000);
  const summary = await correctDrift(event(all), d);

  const reports = d.lines.map((l) => JSON.parse(l));
  expect(reports.map((r) => r.provisionedProductId).sort()).toEqual(all);
  const actions = new Set(reports.map((r) => r.action));
  expect([...actions].sort()).toEqual(['check-pending', 'correction-pending', 'none']);
  expect(summary.pending).toBe(reports.filter((r) => r.action.endsWith('-pending')).length);
  expect(summary.checked + reports.filter((r) => r.action === 'check-pending').length).toBe(all.length);
  const deadline = START + FUNCTION_TIMEOUT_MS - FUNCTION_SAFETY_MARGIN_MS;
  expect(Math.max(...callTimes)).toBeLessThan(deadline - DRIFT_START_RESERVE_MS + 2_000);
  expect(d.now()).toBeLessThanOrEqual(deadline);
});
