/**
 * REPORT mode end to end: the built asset's correctDrift, invoked with what EventBridge delivers
 * to the synthesized target, the real SDK and the Service Catalog fake. Drift is reported with
 * the same log line and metrics as in CORRECT mode, and nothing is written.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { DriftMode, ProvisionedProductProperties } from '../../lib';
import { DRIFT_METRIC_NAMES, METRIC_NAMESPACE } from '../../lib/shared/drift-metrics';
import { scheduledEvent } from '../eventbridge-delivery';
import { deployDrift, driftLinesOf } from './drift-setup';
import { ACCOUNT, arn, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();

const ALICE = arn('user/alice');
const OWNER = arn('role/PlatformTeam');

function reportStack(stackName: string, ids: string[], driftMode?: DriftMode) {
  const stack = new Stack(new App(), stackName, { env: { account: ACCOUNT, region: 'us-east-1' } });
  for (const id of ids) {
    new ProvisionedProductProperties(stack, id, { provisionedProductId: id, owner: OWNER, driftCorrection: events.Schedule.rate(Duration.hours(1)), driftMode });
  }
  return deployDrift(e2e, stack);
}

test('drift is reported with action drift-reported and DriftDetected, and the product is left as it is', async () => {
  e2e.fake.addProduct({ id: 'pp-reported001', ownerArn: ALICE });
  e2e.fake.addProduct({ id: 'pp-steady00001', ownerArn: OWNER });
  const drift = reportStack('Reported', ['pp-reported001', 'pp-steady00001'], DriftMode.REPORT);
  const event = scheduledEvent();
  const from = e2e.logs.length;
  const summary = await drift.run(drift.input(0, event));
  expect(summary).toEqual({ checked: 2, drifted: 1, corrected: 0, failed: 0, invalid: 0, pending: 0 });
  expect(e2e.fake.product('pp-reported001')!.ownerArn).toBe(ALICE);
  expect(e2e.fake.callsOf('UpdateProvisionedProductProperties')).toHaveLength(0);
  const lines = driftLinesOf(e2e.logs, from);
  expect(lines.find((l) => l.provisionedProductId === 'pp-reported001')).toMatchObject({
    action: 'drift-reported', eventId: event.id, drift: { OWNER: { declared: OWNER, live: ALICE } },
    [DRIFT_METRIC_NAMES.detected]: 1, [DRIFT_METRIC_NAMES.corrected]: 0, [DRIFT_METRIC_NAMES.failed]: 0, [DRIFT_METRIC_NAMES.pending]: 0,
    _aws: { CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [['StackName']] }] },
  });
  expect(lines.find((l) => l.provisionedProductId === 'pp-steady00001')).toMatchObject({ action: 'none', [DRIFT_METRIC_NAMES.detected]: 0 });
});

test('the target input says REPORT; the same declarations with the mode taken out are refused, nothing read or written', async () => {
  e2e.fake.addProduct({ id: 'pp-tampered001', ownerArn: ALICE });
  const drift = reportStack('Tampered', ['pp-tampered001'], DriftMode.REPORT);
  const input = drift.input();
  expect(input.mode).toBe('REPORT');
  const { mode: _dropped, ...asCorrect } = input;
  const from = e2e.logs.length;
  await expect(drift.run(asCorrect)).resolves.toMatchObject({ checked: 0, corrected: 0 });
  expect(e2e.logs.slice(from).some((l) => l.includes(`"${DRIFT_METRIC_NAMES.payloadRefused}":1`))).toBe(true);
  expect(e2e.fake.callsOf('UpdateProvisionedProductProperties')).toHaveLength(0);
  expect(e2e.fake.product('pp-tampered001')!.ownerArn).toBe(ALICE);
});

test('the default stays CORRECT: no mode in the input, and the drift is corrected', async () => {
  e2e.fake.addProduct({ id: 'pp-corrected01', ownerArn: ALICE });
  const drift = reportStack('Default', ['pp-corrected01']);
  const input = drift.input();
  expect(input).not.toHaveProperty('mode');
  await expect(drift.run(input)).resolves.toMatchObject({ drifted: 1, corrected: 1 });
  expect(e2e.fake.product('pp-corrected01')!.ownerArn).toBe(OWNER);
});
