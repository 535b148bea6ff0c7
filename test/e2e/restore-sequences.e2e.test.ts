/**
 * restoreOnDelete across the request sequences CloudFormation really sends (issue 17): the
 * CloudFormation fake applies the IAM of the template in force at each request and lists the
 * stack as it is at each phase.
 */
import { ledgerParameterName } from '../../lib/shared/ledger';
import { STACK_ID, createRequest, deleteRequest, updateRequest } from './cloudformation-request';
import { arn, synthesizedResource, useEndToEnd } from './e2e-setup';
import { declarationIn, synthesizedStack } from './stack-templates';

const e2e = useEndToEnd();

const ORIGINAL = arn('user/alice');
const OWNER = arn('role/PlatformTeam');

test('#2: the last restoreOnDelete declaration removed, another kept: the cleanup Delete, under the new template\'s IAM, restores', async () => {
  e2e.fake.addProduct({ id: 'pp-seqiam0001', ownerArn: ORIGINAL });
  e2e.fake.addProduct({ id: 'pp-seqiam0002', ownerArn: ORIGINAL });
  const v1 = synthesizedStack({
    Restored: { id: 'pp-seqiam0001', owner: OWNER, restoreOnDelete: true },
    Kept: { id: 'pp-seqiam0002', owner: OWNER },
  });
  e2e.cloudFormation.setTemplateInForce(STACK_ID, v1);
  const restored = await e2e.harness.send(createRequest(declarationIn(v1, 'Restored')));
  const kept = await e2e.harness.send(createRequest(declarationIn(v1, 'Kept')));
  expect([restored.Status, kept.Status]).toEqual(['SUCCESS', 'SUCCESS']);
  expect(e2e.fake.product('pp-seqiam0001')!.ownerArn).toBe(OWNER);

  // Update phase: the handler role's policy becomes v2's; Kept is unchanged (no request).
  const v2 = synthesizedStack({ Kept: { id: 'pp-seqiam0002', owner: OWNER } });
  e2e.cloudFormation.setTemplateInForce(STACK_ID, v2);
  // Cleanup phase: the removed declaration's Delete, with its old properties, under v2's IAM.
  const cleanup = await e2e.harness.send(deleteRequest(declarationIn(v1, 'Restored'), restored.PhysicalResourceId));
  expect(cleanup.Status).toBe('SUCCESS');
  expect(e2e.fake.product('pp-seqiam0001')!.ownerArn).toBe(ORIGINAL);
  expect(e2e.fake.product('pp-seqiam0002')!.ownerArn).toBe(OWNER);
});

describe.each([
  ['an Update with the old properties to the new physical id', 'update-to-new-id'],
  ['no request, the old physical id back, and a Delete of the new one in the rollback cleanup', 'revert-then-delete'],
] as const)('#6: a key declared for the first time with restoreOnDelete (a replacement), rolled back as %s', (_title, reading) => {
  test('the original launch role is put back, and the owner declared before stays', async () => {
    const id = `pp-seq6-${reading}`.slice(0, 30);
    const LAUNCH = arn('role/NewLaunch');
    const ORIGINAL_LAUNCH = arn('role/OriginalLaunch');
    e2e.fake.addProduct({ id, ownerArn: ORIGINAL, launchRoleArn: ORIGINAL_LAUNCH, recordDurationMs: 300 });
    const v1 = synthesizedResource({ id, owner: OWNER, restoreOnDelete: true });
    const create = await e2e.harness.send(createRequest(v1));
    expect(create.Status).toBe('SUCCESS');
    const v2 = synthesizedResource({ id, owner: OWNER, launchRole: LAUNCH, restoreOnDelete: true });
    const forward = await e2e.harness.send(updateRequest(v2, { resource: v1, physicalResourceId: create.PhysicalResourceId }));
    expect(forward.Status).toBe('SUCCESS');
    expect(forward.PhysicalResourceId).not.toBe(create.PhysicalResourceId);
    expect(e2e.fake.product(id)!.launchRoleArn).toBe(LAUNCH);

    // Another resource of the stack fails: CloudFormation rolls the stack back.
    if (reading === 'update-to-new-id') {
      const back = await e2e.harness.send(updateRequest(v1, { resource: v2, physicalResourceId: forward.PhysicalResourceId }));
      expect(back.Status).toBe('SUCCESS');
    } else {
      e2e.cloudFormation.setResource(STACK_ID, { logicalId: v1.logicalId, physicalId: create.PhysicalResourceId, type: v1.type, status: 'UPDATE_COMPLETE' });
    }
    // Rollback cleanup: the new physical id's Delete, with the failed update's properties.
    await expect(e2e.harness.send(deleteRequest(v2, forward.PhysicalResourceId))).resolves.toMatchObject({ Status: 'SUCCESS' });
    expect(e2e.fake.product(id)).toMatchObject({ launchRoleArn: ORIGINAL_LAUNCH, ownerArn: OWNER });
  });
});

test('#13: restoreOnDelete turned off is no replacement and restores nothing; turned on again, it keeps the values in place then', async () => {
  const id = 'pp-seqtoggle01';
  const BOB = arn('user/bob');
  e2e.fake.addProduct({ id, ownerArn: ORIGINAL, recordDurationMs: 300 });
  const on = synthesizedResource({ id, owner: OWNER, restoreOnDelete: true });
  const off = synthesizedResource({ id, owner: OWNER });
  const create = await e2e.harness.send(createRequest(on));
  const turnedOff = await e2e.harness.send(updateRequest(off, { resource: on, physicalResourceId: create.PhysicalResourceId }));
  expect(turnedOff).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: create.PhysicalResourceId, Data: { Changed: 'false' } });
  // Someone hands the product to bob; the declaration with restoreOnDelete comes back.
  await e2e.harness.send(createRequest(synthesizedResource({ id, owner: BOB, constructId: 'Handover' })));
  e2e.cloudFormation.removeResource(STACK_ID, synthesizedResource({ id, owner: BOB, constructId: 'Handover' }).logicalId);
  expect(e2e.fake.product(id)!.ownerArn).toBe(BOB);
  const turnedOn = await e2e.harness.send(updateRequest(on, { resource: off, physicalResourceId: turnedOff.PhysicalResourceId }));
  expect(turnedOn).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true' } });
  expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  const cleanupOfOld = turnedOn.PhysicalResourceId !== turnedOff.PhysicalResourceId;
  if (cleanupOfOld) await e2e.harness.send(deleteRequest(off, turnedOff.PhysicalResourceId));
  await expect(e2e.harness.send(deleteRequest(on, turnedOn.PhysicalResourceId))).resolves.toMatchObject({ Status: 'SUCCESS' });
  expect(e2e.fake.product(id)!.ownerArn).toBe(BOB);
});

test('the linked product\'s own resource in the stack listing (its physical id is the product id) is no declaration: the Delete restores', async () => {
  const id = 'pp-seqlinked01';
  e2e.fake.addProduct({ id, ownerArn: ORIGINAL, recordDurationMs: 300 });
  e2e.cloudFormation.setResource(STACK_ID, { logicalId: 'Database', physicalId: id, type: 'AWS::ServiceCatalog::CloudFormationProvisionedProduct', status: 'CREATE_COMPLETE' });
  const resource = synthesizedResource({ id, owner: OWNER, restoreOnDelete: true });
  const create = await e2e.harness.send(createRequest(resource));
  expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  await expect(e2e.harness.send(deleteRequest(resource, create.PhysicalResourceId))).resolves.toMatchObject({ Status: 'SUCCESS' });
  expect(e2e.fake.product(id)!.ownerArn).toBe(ORIGINAL);
  e2e.cloudFormation.removeResource(STACK_ID, 'Database');
});

test('a declaration without a ledger entry (deployed before the ledger): its Delete puts back the owner it set, whatever Search shows', async () => {
  const id = 'pp-seqnoledger';
  e2e.fake.addProduct({ id, ownerArn: ORIGINAL });
  const resource = synthesizedResource({ id, owner: OWNER, restoreOnDelete: true });
  const create = await e2e.harness.send(createRequest(resource));
  expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  e2e.ssm.removeParameter(ledgerParameterName(id));
  await expect(e2e.harness.send(deleteRequest(resource, create.PhysicalResourceId))).resolves.toMatchObject({ Status: 'SUCCESS' });
  expect(e2e.fake.product(id)!.ownerArn).toBe(ORIGINAL);
});
