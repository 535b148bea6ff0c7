/**
 * Drift correction end to end: the built asset's correctDrift, invoked with what EventBridge
 * would deliver to the synthesized rule target (its input transformer filled from a scheduled
 * event), the real SDK, and the Service Catalog fake.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../../lib';
import { scheduledEvent } from '../eventbridge-delivery';
import { deployDrift } from './drift-setup';
import { ACCOUNT, arn, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();

const ALICE = arn('user/alice');
const OWNER = arn('role/PlatformTeam');
const LAUNCH = arn('role/SCLaunchRole');
const updatesOf = (id: string) => e2e.fake.records(id).filter((r) => r.type === 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES');

/** A stack whose declarations of `ids` opt in to an hourly check, deployed to the fakes. */
function driftStack(stackName: string, ids: string[]) {
  const stack = new Stack(new App(), stackName, { env: { account: ACCOUNT, region: 'us-east-1' } });
  const launchRole = iam.Role.fromRoleArn(stack, 'Launch', LAUNCH);
  for (const id of ids) {
    new ProvisionedProductProperties(stack, id, { provisionedProductId: id, owner: OWNER, launchRole, driftCorrection: events.Schedule.rate(Duration.hours(1)) });
  }
  return deployDrift(e2e, stack);
}

/** The drift lines the asset logged since `from`, as objects. */
const driftLines = (from: number) => e2e.logs.slice(from).filter((l) => l.includes('"message":"drift check"')).map((l) => JSON.parse(l));

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !condition(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

test('re-applies the declaration where it drifted, leaves the rest, and logs one metric line per product', async () => {
  e2e.fake.addProduct({ id: 'pp-drifted0001', ownerArn: ALICE, launchRoleArn: LAUNCH });
  e2e.fake.addProduct({ id: 'pp-steady00001', ownerArn: OWNER, launchRoleArn: LAUNCH });
  const drift = driftStack('Drift', ['pp-drifted0001', 'pp-steady00001']);
  const event = scheduledEvent();
  const logsBefore = e2e.logs.length;
  const summary = await drift.run(drift.input(0, event));
  expect(summary).toEqual({ checked: 2, drifted: 1, corrected: 1, failed: 0, invalid: 0, pending: 0 });
  expect(e2e.fake.product('pp-drifted0001')!.ownerArn).toBe(OWNER);
  expect(updatesOf('pp-steady00001')).toHaveLength(0);

  const lines = driftLines(logsBefore);
  expect(lines).toHaveLength(2);
  expect(lines.find((l) => l.provisionedProductId === 'pp-drifted0001')).toMatchObject({
    StackName: 'Drift', DriftDetected: 1, DriftCorrected: 1, DriftCorrectionFailed: 0, action: 'corrected', eventId: event.id,
    drift: { OWNER: { declared: OWNER, live: ALICE } },
    _aws: { CloudWatchMetrics: [{ Namespace: 'ProvisionedProductProperties', Dimensions: [['StackName']] }] },
  });
  expect(lines.find((l) => l.provisionedProductId === 'pp-steady00001')).toMatchObject({ DriftDetected: 0, action: 'none', drift: {} });

  // A retried delivery of the same event finds nothing left to correct, whatever Search shows yet: the
  // ledger holds the first run's record, the product's last, SUCCEEDED.
  await expect(drift.run(drift.input(0, event))).resolves.toMatchObject({ drifted: 0, corrected: 0 });
  expect(updatesOf('pp-drifted0001')).toHaveLength(1);
});

describe('a redelivery of the same event makes no second change', () => {
  test('while the first run still waits for its record: one record, which both runs follow to its end', async () => {
    const id = 'pp-redeliver01';
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    e2e.fake.configureProduct(id, { outcome: { stuck: true } });
    const drift = driftStack('Redelivered', [id]);
    const input = drift.input(0, scheduledEvent());
    const logsBefore = e2e.logs.length;

    const first = drift.run(input);
    await until(() => updatesOf(id).length === 1, 'the first run\'s change');
    const redelivery = drift.run(input);
    await until(() => e2e.fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id).length === 2,
      'the redelivery\'s call');
    const [record] = updatesOf(id);
    expect(record.status).not.toMatch(/SUCCEEDED|FAILED/);
    e2e.fake.resolveRecord(record.recordId, { status: 'SUCCEEDED' });

    // Whether the service answers a replayed token with its record while the product is busy with
    // that very change is undocumented (switch tokenCheck): if it does, the redelivery follows the
    // record too; if it refuses (InvalidStateException), the redelivery is pending, never a failure.
    const replayedWhileBusy = e2e.fake.switches.tokenCheck === 'token-first';
    await expect(Promise.all([first, redelivery])).resolves.toEqual([
      expect.objectContaining({ corrected: 1, failed: 0 }),
      expect.objectContaining(replayedWhileBusy ? { corrected: 1, failed: 0 } : { corrected: 0, failed: 0, pending: 1 }),
    ]);
    expect(updatesOf(id)).toHaveLength(1);
    expect(driftLines(logsBefore).map((l) => [l.action, l.recordId]).sort()).toEqual(replayedWhileBusy
      ? [['corrected', record.recordId], ['corrected', record.recordId]]
      : [['corrected', record.recordId], ['correction-pending', undefined]]);
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  });

  test.each([
    ['recorded in the ledger: the owner it proves is read, and nothing is sent again', false, ['created']],
    ['that the ledger could not record: Search decides, and the replayed token returns the first record', true, ['created', 'replayed']],
  ])('after a first run %s', async (_, unrecorded, effects) => {
    const id = unrecorded ? 'pp-redeliver03' : 'pp-redeliver02';
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    // From now on, Search shows an owner change a minute late, with the old owner (the default searchLagReading).
    e2e.fake.configureProduct(id, { searchLagMs: 60_000 });
    const drift = driftStack(unrecorded ? 'Unrecorded' : 'Redelivered', [id]);
    const input = drift.input(0, scheduledEvent());
    if (unrecorded) e2e.ssm.refuseNext('PutParameter', 'AccessDeniedException');
    await expect(drift.run(input)).resolves.toMatchObject({ corrected: 1 });
    // The redelivery reads Alice from Search only without the record in the ledger.
    await expect(drift.run(input)).resolves.toMatchObject(unrecorded ? { drifted: 1, corrected: 1 } : { drifted: 0, corrected: 0 });
    expect(updatesOf(id)).toHaveLength(1);
    const calls = e2e.fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id);
    expect(calls.map((c) => c.effect)).toEqual(effects);
  });
});

test('under throttling, 60 declarations with 6 drifted: every product reported, each drifted one corrected once', async () => {
  const products = Array.from({ length: 60 }, (_, i) => `pp-throttled${String(i).padStart(3, '0')}`);
  products.forEach((id, i) => e2e.fake.addProduct({ id, ownerArn: i % 10 === 0 ? ALICE : OWNER, launchRoleArn: LAUNCH }));
  const drift = driftStack('Throttled', products);
  const input = drift.input(0, scheduledEvent());
  const callsBefore = e2e.fake.calls.length;
  const logsBefore = e2e.logs.length;
  e2e.fake.configure({ throttle: { ratePerSecond: 20, burst: 5 } });
  try {
    const summary = await drift.run(input);
    expect(summary).toEqual({ checked: 60, drifted: 6, corrected: 6, failed: 0, invalid: 0, pending: 0 });
  } finally {
    e2e.fake.configure({ throttle: undefined });
  }
  // The throttling was real, and the SDK's retries absorbed it.
  expect(e2e.fake.calls.slice(callsBefore).filter((c) => c.outcome === 'throttled').length).toBeGreaterThan(0);
  expect(driftLines(logsBefore).map((l) => l.provisionedProductId).sort()).toEqual(products);
  for (const id of products.filter((_, i) => i % 10 === 0)) {
    expect(updatesOf(id)).toHaveLength(1);
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  }
});
