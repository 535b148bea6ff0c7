/**
 * The drift function acts only on declarations its stack made, and orders itself against deploys
 * and the stack's deletion (issue 17, defects 12 and 7). End to end: the built asset with the
 * environment its template gives it, the real SDKs, the Service Catalog fake, the EventBridge fake
 * holding the schedule rule's targets as deployed, and the CloudFormation fake's stack status.
 * Interleavings are played in explicit order: a Service Catalog call is held at the fake while the
 * test deploys or deletes, then released.
 */
import { ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand } from '@aws-sdk/client-service-catalog';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { ProvisionedProductProperties } from '../../lib';
import { DeployedDrift, deployDrift, driftLinesOf } from './drift-setup';
import { ACCOUNT, arn, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();
const ALICE = arn('user/alice');
const OWNER = arn('role/PlatformTeam');
const NEW_OWNER = arn('role/NewPlatformTeam');
const MALLORY = arn('user/mallory');

const scCalls = (id: string) => e2e.fake.calls.filter((c) => JSON.stringify(c.input).includes(id));
const writesTo = (id: string) => e2e.fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id);

/** The stack `stackName` declaring `owner` on each of `ids`, with an hourly drift check, deployed to the fakes. */
function deploy(stackName: string, ids: string[], owner = OWNER): DeployedDrift {
  const stack = new Stack(new App(), stackName, { env: { account: ACCOUNT, region: 'us-east-1' } });
  ids.forEach((id, i) => new ProvisionedProductProperties(stack, `Declaration${i}`, {
    provisionedProductId: id, owner, driftCorrection: events.Schedule.rate(Duration.hours(1)),
  }));
  return deployDrift(e2e, stack);
}

let deployChanges = 0;

/** What a deploy's own change does to the product: one record that the test ends. */
async function deployedChange(id: string, owner: string): Promise<void> {
  deployChanges += 1;
  e2e.fake.configureProduct(id, { outcome: { stuck: true } });
  const client = new ServiceCatalogClient({ endpoint: e2e.fake.endpoint });
  const { RecordId } = await client.send(new UpdateProvisionedProductPropertiesCommand({
    ProvisionedProductId: id, ProvisionedProductProperties: { OWNER: owner }, IdempotencyToken: `deploy-${deployChanges}`,
  }));
  e2e.fake.resolveRecord(RecordId!, { status: 'SUCCEEDED' });
  e2e.fake.configureProduct(id, { outcome: { status: 'SUCCEEDED' } });
}

describe('only the declarations the stack made are acted on (defect 12)', () => {
  test.each([
    ['another OWNER for a declared product', (input: any) => ({ ...input, owners: [MALLORY] })],
    ['a product the stack does not declare', (input: any) => ({ ...input, products: [...input.products, ['pp-notdeclared', 0, 0, -1, '']] })],
    ['another stack name', (input: any) => ({ ...input, stackName: 'SomeoneElse' })],
  ])('an invocation carrying %s is refused with an ERROR line and DriftPayloadRefused; nothing is read or written', async (_, forge) => {
    const id = 'pp-forged00001';
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    e2e.fake.addProduct({ id: 'pp-notdeclared', ownerArn: ALICE });
    const drift = deploy('Guarded', [id]);
    const from = e2e.logs.length;
    const callsBefore = e2e.fake.calls.length;
    await expect(drift.run(forge(drift.input()))).resolves.toEqual({ checked: 0, drifted: 0, corrected: 0, failed: 0, invalid: 0, pending: 0 });
    expect(e2e.fake.calls.slice(callsBefore)).toEqual([]);
    expect(e2e.fake.product(id)!.ownerArn).toBe(ALICE);
    const refusal = e2e.logs.slice(from).map((l) => JSON.parse(l)).find((l) => l.DriftPayloadRefused === 1);
    expect(refusal).toMatchObject({
      level: 'ERROR', StackName: 'Guarded', message: expect.stringContaining('not the input of any target'),
      _aws: { CloudWatchMetrics: [{ Namespace: 'ProvisionedProductProperties', Metrics: [{ Name: 'DriftPayloadRefused', Unit: 'Count' }] }] },
    });
    expect(driftLinesOf(e2e.logs, from)).toEqual([]);
    e2e.fake.removeProduct(id);
    e2e.fake.removeProduct('pp-notdeclared');
  });

  test('the input the schedule delivers is acted on', async () => {
    const id = 'pp-genuine0001';
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    const drift = deploy('Genuine', [id]);
    await expect(drift.run(drift.input())).resolves.toMatchObject({ corrected: 1 });
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  });
});

describe('a run is ordered against deploys and the stack\'s deletion (defect 7)', () => {
  test('a deploy that changes the declaration while a run reads the product: the run does not re-apply the old owner', async () => {
    const id = 'pp-racedeploy1';
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    const v1 = deploy('Raced', [id], OWNER);
    const search = e2e.fake.hold('SearchProvisionedProducts');
    const from = e2e.logs.length;
    const run = v1.run(v1.input());
    await search.arrived;
    // The deploy: the stack updating, the rule's targets and the product changed, the stack complete.
    e2e.cloudFormation.statuses.set(v1.stackId, 'UPDATE_IN_PROGRESS');
    deploy('Raced', [id], NEW_OWNER);
    await deployedChange(id, NEW_OWNER);
    search.release();
    // The run read NEW_OWNER, which is drift from the OWNER it holds, and must not write it back.
    await expect(run).resolves.toMatchObject({ corrected: 0, failed: 0 });
    expect(writesTo(id).map((c) => c.input.ProvisionedProductProperties)).toEqual([{ OWNER: NEW_OWNER }]);
    expect(e2e.fake.product(id)!.ownerArn).toBe(NEW_OWNER);
    expect(driftLinesOf(e2e.logs, from)).toEqual([expect.objectContaining({
      action: 'correction-withheld', reason: expect.stringContaining('a deploy replaced these declarations'), DriftCorrectionFailed: 0,
    })]);
  });

  test('a stack deletion that restored the original owner while a run reads the product: the run writes nothing', async () => {
    const id = 'pp-racedelete1';
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    const drift = deploy('Deleted', [id], OWNER);
    // Deployed: the declaration applied (ALICE is the original, kept for restoreOnDelete).
    await deployedChange(id, OWNER);
    const search = e2e.fake.hold('SearchProvisionedProducts');
    const run = drift.run(drift.input());
    await search.arrived;
    // The deletion: its Delete restores ALICE; the rule goes with the stack.
    e2e.cloudFormation.statuses.set(drift.stackId, 'DELETE_IN_PROGRESS');
    await deployedChange(id, ALICE);
    e2e.eventBridge.deleteRule(drift.ruleName);
    e2e.cloudFormation.statuses.set(drift.stackId, 'DELETE_COMPLETE');
    search.release();
    await expect(run).resolves.toMatchObject({ corrected: 0, failed: 0 });
    expect(e2e.fake.product(id)!.ownerArn).toBe(ALICE);
    expect(writesTo(id).map((c) => c.input.IdempotencyToken)).toEqual([expect.stringMatching(/^deploy-/), expect.stringMatching(/^deploy-/)]);
  });

  test('while the stack is being updated, a drifted product is pending and not written; the run after the deploy corrects it', async () => {
    const id = 'pp-midupdate01';
    e2e.fake.addProduct({ id, ownerArn: ALICE });
    const drift = deploy('Updating', [id]);
    e2e.cloudFormation.statuses.set(drift.stackId, 'UPDATE_IN_PROGRESS');
    const from = e2e.logs.length;
    await expect(drift.run(drift.input())).resolves.toMatchObject({ drifted: 1, corrected: 0, failed: 0, pending: 1 });
    expect(writesTo(id)).toEqual([]);
    expect(driftLinesOf(e2e.logs, from)).toEqual([expect.objectContaining({
      action: 'correction-pending', reason: expect.stringContaining('UPDATE_IN_PROGRESS'), DriftPending: 1,
    })]);
    e2e.cloudFormation.statuses.set(drift.stackId, 'UPDATE_COMPLETE');
    await expect(drift.run(drift.input())).resolves.toMatchObject({ corrected: 1 });
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
    expect(scCalls(id).length).toBeGreaterThan(0);
  });
});
