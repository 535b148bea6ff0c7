/**
 * Requests that meet a record still running (issue 17 #3, #8, #9): a failed request's change
 * goes on in Service Catalog while CloudFormation sends the next request. Ordering is explicit,
 * not timed: a stuck record is released when isComplete of the next request first runs (the
 * `beforeIsComplete` hook of hooked-handlers.ts), after onEvent waited for it as long as its invocation allows. onEvent
 * has 12 s here, so it may wait 2 s (lambda/runtime.ts keeps 10 s free).
 */
import { Duration } from 'aws-cdk-lib';
import { TemplateResource, createRequest, deleteRequest, updateRequest } from './cloudformation-request';
import { DeclarationProps, arn, synthesizedResource, useEndToEnd } from './e2e-setup';
import { hookedHandlers } from './hooked-handlers';

const hooks = hookedHandlers();
const e2e = useEndToEnd({ handlers: hooks.handlers, functionTimeoutMs: { onEvent: 12_000 } });

const ORIGINAL = arn('user/alice');
const OWNER = arn('role/PlatformTeam');
const NEW_OWNER = arn('role/NewTeam');

/** The product's one record still running. */
function runningRecord(id: string): string {
  const running = e2e.fake.records(id).filter((r) => r.status === 'IN_PROGRESS' || r.status === 'CREATED');
  if (running.length !== 1) throw new Error(`expected one running record of ${id}, found ${running.length}`);
  return running[0].recordId;
}

async function created(props: DeclarationProps & { id: string }): Promise<{ resource: TemplateResource; physicalId: string }> {
  e2e.fake.addProduct({ id: props.id, ownerArn: ORIGINAL, recordDurationMs: 300 });
  const resource = synthesizedResource(props);
  const response = await e2e.harness.send(createRequest(resource));
  if (response.Status !== 'SUCCESS') throw new Error(`setup: the Create of ${props.id} failed: ${response.Reason}`);
  return { resource, physicalId: response.PhysicalResourceId };
}

/**
 * The default readings of the Service Catalog fake, and the hardest ones where AWS documents
 * nothing: the product shown AVAILABLE while its record runs (a change still refused meanwhile),
 * the token checked after the state, and a refusal remembered with its token.
 */
describe.each([
  ['the default readings', 'd', {}],
  ['the adversarial readings', 'a', { statusWhileRecordRuns: 'AVAILABLE', tokenCheck: 'state-first', refusalConsumesToken: true }],
] as const)('under %s', (_title, suffix, readings) => {
  beforeEach(() => e2e.fake.configure({ statusWhileRecordRuns: 'UNDER_CHANGE', tokenCheck: 'token-first', refusalConsumesToken: false, ...readings }));

  test('#3: a failed Update\'s record still running: the rollback Update waits for it, then puts the old owner back', async () => {
    const id = `pp-seqrollba-${suffix}`;
    const { resource: declared, physicalId } = await created({ id, owner: OWNER });
    e2e.fake.configureProduct(id, { outcome: { stuck: true } });
    const changed = synthesizedResource({ id, owner: NEW_OWNER, timeout: Duration.seconds(2) });
    const forward = await e2e.harness.send(updateRequest(changed, { resource: declared, physicalResourceId: physicalId }));
    expect(forward.Status).toBe('FAILED');
    const failedChange = runningRecord(id);
    e2e.fake.configureProduct(id, { outcome: { status: 'SUCCEEDED' } });
  
    // Rollback: the old properties, while the failed change still runs; it lands once isComplete runs.
    const rollback = updateRequest(declared, { resource: changed, physicalResourceId: physicalId });
    hooks.beforeIsComplete(rollback.RequestId, () => e2e.fake.resolveRecord(failedChange, { status: 'SUCCEEDED' }));
    const back = await e2e.harness.send(rollback);
    expect(back).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true', RecordStatus: 'SUCCEEDED' } });
    expect(e2e.fake.record(failedChange)!.status).toBe('SUCCEEDED');
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  });
  
    test('#3: a failed Create with restoreOnDelete, its change still running: the Delete waits for it, then restores the original', async () => {
    const id = `pp-seqfailed-${suffix}`;
    e2e.fake.addProduct({ id, ownerArn: ORIGINAL, outcome: { stuck: true } });
    const resource = synthesizedResource({ id, owner: OWNER, restoreOnDelete: true, timeout: Duration.seconds(2) });
    const create = await e2e.harness.send(createRequest(resource));
    expect(create.Status).toBe('FAILED');
    const failedChange = runningRecord(id);
    e2e.fake.configureProduct(id, { outcome: { status: 'SUCCEEDED' }, recordDurationMs: 300 });
  
    const del = deleteRequest(resource, create.PhysicalResourceId);
    hooks.beforeIsComplete(del.RequestId, () => e2e.fake.resolveRecord(failedChange, { status: 'SUCCEEDED' }));
    await expect(e2e.harness.send(del)).resolves.toMatchObject({ Status: 'SUCCESS' });
    expect(e2e.fake.product(id)!.ownerArn).toBe(ORIGINAL);
  });
  
    test('#9: the product busy at the Delete: the restore waits and is made once the product is free', async () => {
    const id = `pp-seqbusyde-${suffix}`;
    const { resource, physicalId } = await created({ id, owner: OWNER, restoreOnDelete: true });
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
    e2e.fake.setProductStatus(id, 'UNDER_CHANGE');
    const del = deleteRequest(resource, physicalId);
    hooks.beforeIsComplete(del.RequestId, () => e2e.fake.setProductStatus(id, 'AVAILABLE'));
    await expect(e2e.harness.send(del)).resolves.toMatchObject({ Status: 'SUCCESS' });
    expect(e2e.fake.product(id)!.ownerArn).toBe(ORIGINAL);
    const restores = e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id && c.input.ProvisionedProductProperties?.OWNER === ORIGINAL);
    expect(restores).toHaveLength(1);
  });
  
    test('#8: an Update whose answer was lost is retried with its own token: its FAILED record is reported, no second change is made', async () => {
    const id = `pp-seqlostan-${suffix}`;
    const { resource: declared, physicalId } = await created({ id, owner: OWNER });
    // The change is made on arrival; its answer comes after onEvent had to stop waiting for it.
    e2e.fake.injectFaults('UpdateProvisionedProductProperties', { kind: 'delay', ms: 4_000 });
    e2e.fake.failNextRecord(id, [{ Code: 'AccessDenied', Description: 'the new owner was refused' }]);
    const changed = synthesizedResource({ id, owner: NEW_OWNER });
    const update = await e2e.harness.send(updateRequest(changed, { resource: declared, physicalResourceId: physicalId }));
    const made = e2e.fake.callsOf('UpdateProvisionedProductProperties')
      .filter((c) => c.input.ProvisionedProductId === id && c.input.ProvisionedProductProperties?.OWNER === NEW_OWNER && c.effect === 'created');
    expect(made).toHaveLength(1);
    expect(update.Status).toBe('FAILED');
    expect(update.Reason).toContain(`Service Catalog record ${made[0].recordId} for provisioned product ${id} FAILED: AccessDenied: the new owner was refused`);
    const tokens = e2e.fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id && c.input.ProvisionedProductProperties?.OWNER === NEW_OWNER)
      .map((c) => c.input.IdempotencyToken);
    expect(new Set(tokens).size).toBe(1);
  });
});
