/**
 * End to end, no mocks in the path: the built asset, aws-cdk-lib's provider-framework runtime,
 * the real AWS SDK, and the local Service Catalog fake speaking AWS JSON 1.1. Every request is
 * built from a synthesized template, and every test has its own product.
 */
import { Duration } from 'aws-cdk-lib';
import { RESPONSE_URL_SECRET, TemplateResource, createRequest, deleteRequest, handEdited, updateRequest } from './cloudformation-request';
import { DeclarationProps, arn, synthesizedResource, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();

const OLD_OWNER = arn('user/alice');
const OWNER = arn('role/PlatformTeam');
const LAUNCH = arn('role/SCLaunchRole');
const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
const UNUSED_KEYS_WARNING = 'warning: the request has properties the handler does not use';

/** Adds the product and deploys a successful Create of its declaration, as a test's setup. */
async function created(props: DeclarationProps & { id: string }) {
  e2e.fake.addProduct({ id: props.id, ownerArn: OLD_OWNER, recordDurationMs: 300 });
  const resource = synthesizedResource(props);
  const response = await e2e.harness.send(createRequest(resource));
  if (response.Status !== 'SUCCESS') throw new Error(`setup: the Create of ${props.id} failed: ${response.Reason}`);
  return { resource, physicalId: response.PhysicalResourceId };
}

const update = (resource: TemplateResource, previous: TemplateResource, physicalResourceId: string) =>
  e2e.harness.send(updateRequest(resource, { resource: previous, physicalResourceId }));

describe('create, update, rollback and delete', () => {
  test('Create applies the owner and launch role and answers SUCCESS once the record SUCCEEDED', async () => {
    const id = 'pp-lifecycle01';
    e2e.fake.addProduct({ id, ownerArn: OLD_OWNER, recordDurationMs: 300 });
    const response = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: OWNER, launchRole: LAUNCH })));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
    const record = e2e.fake.record(response.Data!.RecordId)!;
    expect(response.Data).toMatchObject({ RecordId: record.recordId, RecordStatus: 'SUCCEEDED' });
    expect(e2e.fake.product(id)).toMatchObject({ ownerArn: OWNER, launchRoleArn: LAUNCH, status: 'AVAILABLE' });
    const writes = e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id);
    expect(writes.map((c) => c.input.ProvisionedProductProperties)).toEqual([{ OWNER, LAUNCH_ROLE: LAUNCH }]);

    // The 0.3 s record is seen by the first isComplete invocation's own polling: the waiter's
    // 5 s interval is never paid.
    expect(e2e.harness.invocationsOf(response.RequestId, 'isComplete')).toHaveLength(1);
    expect(response.at).toBeGreaterThanOrEqual(record.terminalAt!);
  });

  test('a Create built from the template with nothing removed (ServiceToken, ServiceTimeout) SUCCEEDS, with no warning', async () => {
    const id = 'pp-verbatim001';
    e2e.fake.addProduct({ id, ownerArn: OLD_OWNER });
    const resource = synthesizedResource({ id, owner: OWNER, timeout: Duration.minutes(5) });
    const request = createRequest(resource);
    expect(Object.keys(request.ResourceProperties).sort()).toEqual(Object.keys(resource.properties).sort());
    expect(request.ResourceProperties.ServiceToken).toBe(e2e.harness.serviceToken);
    expect(request.ServiceTimeout).toBe(resource.properties.ServiceTimeout);
    expect(request.ResourceProperties.ServiceTimeout).toBe(resource.properties.ServiceTimeout);

    const logsBefore = e2e.logs.length;
    const response = await e2e.harness.send(request);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id, Data: { Changed: 'true', RecordStatus: 'SUCCEEDED' } });
    expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
    // ServiceToken and ServiceTimeout are CloudFormation's own keys: nothing to warn about.
    expect(e2e.logs.slice(logsBefore).filter((l) => l.includes(UNUSED_KEYS_WARNING))).toEqual([]);
  });

  test('an Update that changes nothing relevant makes no API call', async () => {
    const id = 'pp-lifecycle02';
    const { resource, physicalId } = await created({ id, owner: OWNER, launchRole: LAUNCH });
    const before = e2e.fake.calls.length;
    // Only the timeout (and so ServiceTimeout) differs.
    const longer = synthesizedResource({ id, owner: OWNER, launchRole: LAUNCH, timeout: Duration.minutes(10) });
    const response = await update(longer, resource, physicalId);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id, Data: { RecordId: '', RecordStatus: 'UNCHANGED' } });
    expect(e2e.fake.calls.length).toBe(before);
  });

  test('an Update to a new owner applies it, and the rollback Update restores the old one', async () => {
    const id = 'pp-lifecycle03';
    const { resource: declared, physicalId } = await created({ id, owner: OWNER, launchRole: LAUNCH });
    const newOwner = arn('role/NewTeam');
    const changed = synthesizedResource({ id, owner: newOwner, launchRole: LAUNCH });
    const forward = await update(changed, declared, physicalId);
    expect(forward).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id, Data: { RecordStatus: 'SUCCEEDED' } });
    expect(e2e.fake.product(id)!.ownerArn).toBe(newOwner);

    // Rollback: ResourceProperties hold the old values, OldResourceProperties the failed new ones.
    const rollback = await update(declared, changed, physicalId);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', Data: { RecordStatus: 'SUCCEEDED' } });
    expect(rollback.Data!.RecordId).not.toBe(forward.Data!.RecordId);
    expect(e2e.fake.product(id)).toMatchObject({ ownerArn: OWNER, launchRoleArn: LAUNCH });
  });

  test('Delete makes no API call and leaves the product as it is', async () => {
    const id = 'pp-lifecycle04';
    const { resource, physicalId } = await created({ id, owner: OWNER, launchRole: LAUNCH });
    const before = e2e.fake.calls.length;
    const response = await e2e.harness.send(deleteRequest(resource, physicalId));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
    expect(e2e.fake.calls.length).toBe(before);
    expect(e2e.fake.product(id)).toMatchObject({ ownerArn: OWNER, launchRoleArn: LAUNCH });
  });
});

describe('failures reach CloudFormation as clear, bounded reasons', () => {
  test('a FAILED record fails the deploy with the product, the record and every error; the Delete that follows succeeds', async () => {
    const id = 'pp-failing01';
    e2e.fake.addProduct({ id, ownerArn: OLD_OWNER });
    e2e.fake.failNextRecord(id, [
      { Code: 'AccessDenied', Description: 'Launch role cannot be assumed by servicecatalog.amazonaws.com' },
      { Code: 'ValidationError', Description: 'Owner arn:aws:iam::123456789012:role/PlatformTeam does not exist' },
    ], { inErrorFirst: true });
    const resource = synthesizedResource({ id, owner: OWNER, launchRole: LAUNCH });
    const create = await e2e.harness.send(createRequest(resource));
    expect(create.Status).toBe('FAILED');
    expect(create.PhysicalResourceId).toBe(id);
    const recordId = e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id)[0].recordId;
    expect(create.Reason).toContain(`Service Catalog record ${recordId} for provisioned product ${id} FAILED: `
      + 'AccessDenied: Launch role cannot be assumed by servicecatalog.amazonaws.com; '
      + 'ValidationError: Owner arn:aws:iam::123456789012:role/PlatformTeam does not exist.');
    expect(e2e.fake.record(recordId!)!.timeline.map((t) => t.status)).toContain('IN_PROGRESS_IN_ERROR');
    expect(e2e.fake.product(id)!.ownerArn).toBe(OLD_OWNER);

    // CloudFormation rolls back: a Delete with the real physical id, which must succeed, call-free.
    const before = e2e.fake.calls.length;
    const del = await e2e.harness.send(deleteRequest(resource, create.PhysicalResourceId));
    expect(del).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
    expect(e2e.fake.calls.length).toBe(before);
  });

  test('an unknown product fails with its id and advice; the Delete after the failed Create succeeds', async () => {
    const resource = synthesizedResource({ id: 'pp-missing0001', owner: OWNER });
    const create = await e2e.harness.send(createRequest(resource));
    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toMatch(/^Provisioned product pp-missing0001 was not found \(ResourceNotFoundException: .*pp-missing0001.*\)\. Check provisionedProductId/);
    expect(create.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
    const del = await e2e.harness.send(deleteRequest(resource, create.PhysicalResourceId));
    expect(del.Status).toBe('SUCCESS');
  });

  test('a hand-edited template with a bad owner is refused before any call reaches the service', async () => {
    const before = e2e.fake.calls.length;
    const bad = handEdited(synthesizedResource({ id: 'pp-lifecycle05', owner: OWNER }), { Owner: arn('group/Admins') });
    const create = await e2e.harness.send(createRequest(bad));
    expect(create.Status).toBe('FAILED');
    expect(create.Reason).toContain(`Invalid Owner "${arn('group/Admins')}": expected an IAM user, IAM role or STS assumed-role ARN`);
    expect(e2e.fake.calls.length).toBe(before);
  });

  test('huge RecordErrors still give a response under CloudFormation\'s 4 KB limit, cut with a marker', async () => {
    const id = 'pp-hugeerrors';
    e2e.fake.addProduct({ id });
    e2e.fake.failNextRecord(id, Array.from({ length: 200 }, (_, i) => ({ Code: `Error${i}`, Description: `${'"détail" '.repeat(20)}` })));
    const create = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: OWNER })));
    expect(create.Status).toBe('FAILED');
    expect(create.bytes).toBeLessThan(4096);
    expect(create.Reason).toMatch(new RegExp(`^Service Catalog record rec-\\S+ for provisioned product ${id} FAILED: Error0: `));
    expect(create.Reason).toContain('…[truncated ');
  });

  test('a stuck record fails when the resource\'s timeout runs out, naming the record and its last status', async () => {
    const id = 'pp-stuck00001';
    e2e.fake.addProduct({ id, outcome: { stuck: true } });
    const create = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: OWNER, timeout: Duration.seconds(2) })));
    expect(create.Status).toBe('FAILED');
    const [write] = e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id);
    expect(create.Reason).toMatch(new RegExp(`^Timed out after 2 s waiting for Service Catalog record ${write.recordId} of provisioned product ${id}; its last status was IN_PROGRESS\\.`));
    // At the resource's own timeout, within the first isComplete invocation: not when the waiter's attempts run out.
    expect(e2e.harness.invocationsOf(create.RequestId, 'isComplete')).toHaveLength(1);
  });
});

describe('delivery', () => {
  const updatesOf = (id: string) => e2e.fake.callsOf('UpdateProvisionedProductProperties').filter((c) => c.input.ProvisionedProductId === id);

  test('the same request delivered twice at once (same RequestId) makes exactly one change', async () => {
    const id = 'pp-redelivered';
    e2e.fake.addProduct({ id, ownerArn: OLD_OWNER, recordDurationMs: 1000 });
    const request = createRequest(synthesizedResource({ id, owner: OWNER }));
    const [first, second] = await Promise.all([e2e.harness.send(request), e2e.harness.send(request)]);
    expect(first).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true', RecordStatus: 'SUCCEEDED' } });
    expect(second).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true', RecordStatus: 'SUCCEEDED', RecordId: first.Data!.RecordId } });
    // Both deliveries called the service, every time with the same token (a refused one may be sent
    // again while the product is busy, under the adversarial readings); one change was made.
    expect(updatesOf(id).length).toBeGreaterThanOrEqual(2);
    expect(new Set(updatesOf(id).map((c) => c.input.IdempotencyToken)).size).toBe(1);
    expect(e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id)).toHaveLength(1);
  });

  test('delivered again after it completed, the request finds the change in place and makes none', async () => {
    const id = 'pp-redelivered2';
    e2e.fake.addProduct({ id, ownerArn: OLD_OWNER });
    const request = createRequest(synthesizedResource({ id, owner: OWNER }));
    await expect(e2e.harness.send(request)).resolves.toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true' } });
    const again = await e2e.harness.send(request);
    expect(again).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'false', RecordStatus: 'UNCHANGED' } });
    expect(updatesOf(id)).toHaveLength(1);
  });

  test('no log line, the framework\'s or the handler\'s, contains the presigned ResponseURL', async () => {
    const id = 'pp-logcheck001';
    e2e.fake.addProduct({ id });
    const resource = synthesizedResource({ id, owner: OWNER });
    const request = createRequest(resource);
    expect(request.ResponseURL).toContain(RESPONSE_URL_SECRET);
    const logsBefore = e2e.logs.length;
    await expect(e2e.harness.send(request)).resolves.toMatchObject({ Status: 'SUCCESS' });
    await expect(e2e.harness.send(deleteRequest(resource, id))).resolves.toMatchObject({ Status: 'SUCCESS' });
    const logs = e2e.logs.slice(logsBefore).join('\n');
    expect(logs).toContain('[provider-framework]');
    expect(logs).toContain('onEvent request');
    expect(logs).not.toContain('X-Amz-Signature');
    expect(logs).not.toContain(RESPONSE_URL_SECRET);
  });
});
