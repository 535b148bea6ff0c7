/**
 * Issue 17 #5: a declaration moved to another stack, restoreOnDelete in both. Each stack's
 * requests come as CloudFormation sends them, with its own StackId and its own template (and IAM)
 * in force; the two stacks share only the product and its ledger (an SSM parameter). Whatever
 * the deploy order, the live declaration is never undone, and the true original comes back when
 * the last declaration goes.
 */
import { ledgerParameterName } from '../../lib/shared/ledger';
import { ACCOUNT, arn, useEndToEnd } from './e2e-setup';
import { createRequest, deleteRequest } from './cloudformation-request';
import { declarationIn, synthesizedStack } from './stack-templates';

const e2e = useEndToEnd();

const STACK_A = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/TeamA/0a0a0a0a-1a2b-11f0-9c3d-0a1b2c3d4e5f`;
const STACK_B = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/TeamB/0b0b0b0b-1a2b-11f0-9c3d-0a1b2c3d4e5f`;
const ORIGINAL = arn('user/original');
const A_OWNER = arn('role/TeamA');
const B_OWNER = arn('role/TeamB');

/** Stack A declares the product, and stack B will; each template is in force for its own stack. */
function twoStacks(id: string, b: { restoreOnDelete: boolean } = { restoreOnDelete: true }) {
  e2e.fake.addProduct({ id, ownerArn: ORIGINAL });
  const a = synthesizedStack({ Ownership: { id, owner: A_OWNER, restoreOnDelete: true } });
  const bStack = synthesizedStack({ Ownership: { id, owner: B_OWNER, restoreOnDelete: b.restoreOnDelete } });
  e2e.cloudFormation.setTemplateInForce(STACK_A, a);
  e2e.cloudFormation.setTemplateInForce(STACK_B, bStack);
  const inA = declarationIn(a, 'Ownership');
  const inB = declarationIn(bStack, 'Ownership');
  return {
    createA: () => e2e.harness.send(createRequest(inA, { stackId: STACK_A })),
    createB: () => e2e.harness.send(createRequest(inB, { stackId: STACK_B })),
    deleteA: (physicalId: string) => e2e.harness.send(deleteRequest(inA, physicalId, { stackId: STACK_A })),
    deleteB: (physicalId: string) => e2e.harness.send(deleteRequest(inB, physicalId, { stackId: STACK_B })),
    owner: () => e2e.fake.product(id)!.ownerArn,
  };
}

test('stack B deployed first: A\'s cleanup Delete leaves B\'s owner, and B\'s Delete later puts the true original back', async () => {
  const s = twoStacks('pp-moveb00001');
  const a = await s.createA();
  expect(s.owner()).toBe(A_OWNER);
  const b = await s.createB();
  expect(b).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true' } });
  expect(s.owner()).toBe(B_OWNER);
  await expect(s.deleteA(a.PhysicalResourceId)).resolves.toMatchObject({ Status: 'SUCCESS' });
  expect(s.owner()).toBe(B_OWNER);
  await expect(s.deleteB(b.PhysicalResourceId)).resolves.toMatchObject({ Status: 'SUCCESS' });
  expect(s.owner()).toBe(ORIGINAL);
});

test('stack A deployed first: A restores the original, then B declares and later restores it again', async () => {
  const s = twoStacks('pp-movea00001');
  const a = await s.createA();
  await s.deleteA(a.PhysicalResourceId);
  expect(s.owner()).toBe(ORIGINAL);
  const b = await s.createB();
  expect(s.owner()).toBe(B_OWNER);
  await s.deleteB(b.PhysicalResourceId);
  expect(s.owner()).toBe(ORIGINAL);
});

test('B\'s Create rolled back (its stack failed elsewhere): its Delete hands the owner back to A, still declared', async () => {
  const s = twoStacks('pp-moverb0001');
  const a = await s.createA();
  const b = await s.createB();
  expect(s.owner()).toBe(B_OWNER);
  await s.deleteB(b.PhysicalResourceId);
  expect(s.owner()).toBe(A_OWNER);
  await s.deleteA(a.PhysicalResourceId);
  expect(s.owner()).toBe(ORIGINAL);
});

test('moved to a declaration without restoreOnDelete: A\'s Delete leaves B\'s owner, and B\'s Delete restores nothing', async () => {
  const s = twoStacks('pp-moveplain1', { restoreOnDelete: false });
  const a = await s.createA();
  const b = await s.createB();
  await s.deleteA(a.PhysicalResourceId);
  expect(s.owner()).toBe(B_OWNER);
  await s.deleteB(b.PhysicalResourceId);
  expect(s.owner()).toBe(B_OWNER);
});

test('A declared before the ledger existed (no claim of it): B deployed first is still not undone by A\'s Delete', async () => {
  const id = 'pp-movelegacy';
  const s = twoStacks(id);
  const a = await s.createA();
  e2e.ssm.deleteParameter(ledgerParameterName(id));
  await s.createB();
  await s.deleteA(a.PhysicalResourceId);
  expect(s.owner()).toBe(B_OWNER);
});
