/**
 * restoreOnDelete across the request sequences CloudFormation really sends (issue 17): the
 * CloudFormation fake applies the IAM of the template in force at each request and lists the
 * stack as it is at each phase.
 */
import { STACK_ID, createRequest, deleteRequest } from './cloudformation-request';
import { arn, useEndToEnd } from './e2e-setup';
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
