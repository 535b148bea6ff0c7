/**
 * Issue 17 #5: a declaration moved to another stack, restoreOnDelete in both. Each stack's
 * requests come as CloudFormation sends them, with its own StackId and its own template (and IAM)
 * in force; the two stacks share only the product and its ledger (an SSM parameter). Whatever
 * the deploy order, the live declaration is never undone, and the true original comes back when
 * the last declaration goes.
 */
import { ledgerParameterName } from '../../lib/shared/ledger';
import { HANDLER_ASSET_DIR } from '../../lib/provider/handler-functions';
import { handlerAllowed } from './cloudformation-fake/template-iam';
import { stackModelOf } from './cloudformation-fake/stack-model';
import { TemplateJson, createRequest, deleteRequest } from './cloudformation-request';
import { ACCOUNT, arn, useEndToEnd } from './e2e-setup';
import { FrameworkHarness } from './framework-harness';
import { defaultSsmSwitches } from './ssm-fake/switches';
import { declarationIn, synthesizedStack } from './stack-templates';

const e2e = useEndToEnd();
const harnesses: FrameworkHarness[] = [];
afterAll(async () => { await Promise.all(harnesses.map((h) => h.stop())); });

/** Each stack runs its own provider: its own functions, role and template. */
function providerOf(template: TemplateJson, stackId: string): FrameworkHarness {
  const harness = new FrameworkHarness({ assetDir: HANDLER_ASSET_DIR, template, stackId, stack: stackModelOf(e2e.cloudFormation) });
  harnesses.push(harness);
  return harness;
}

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
  // One SSM stand-in serves both stacks' roles: a call passes only if both templates' IAM allow it.
  e2e.ssm.authorize = (action, resource) => [[STACK_A, a], [STACK_B, bStack]]
    .every(([stackId, template]) => handlerAllowed(template as TemplateJson, action, resource, stackId as string));
  const inA = declarationIn(a, 'Ownership');
  const inB = declarationIn(bStack, 'Ownership');
  const [providerA, providerB] = [providerOf(a, STACK_A), providerOf(bStack, STACK_B)];
  const via = (provider: FrameworkHarness, request: Parameters<FrameworkHarness['send']>[0]) => {
    provider.activate();
    return provider.send(request);
  };
  return {
    createA: () => via(providerA, createRequest(inA, { stackId: STACK_A })),
    createB: () => via(providerB, createRequest(inB, { stackId: STACK_B })),
    deleteA: (physicalId: string) => via(providerA, deleteRequest(inA, physicalId, { stackId: STACK_A })),
    deleteB: (physicalId: string) => via(providerB, deleteRequest(inB, physicalId, { stackId: STACK_B })),
    owner: () => e2e.fake.product(id)!.ownerArn,
    writes: () => e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id).length,
  };
}

test('stack B deployed first: A\'s cleanup Delete leaves B\'s owner, and B\'s Delete later puts the true original back', async () => {
  const s = twoStacks('pp-moveb00001');
  const a = await s.createA();
  expect(s.owner()).toBe(A_OWNER);
  const b = await s.createB();
  expect(b).toMatchObject({ Status: 'SUCCESS', Data: { Changed: 'true' } });
  expect(s.owner()).toBe(B_OWNER);
  const writesBefore = s.writes();
  await expect(s.deleteA(a.PhysicalResourceId)).resolves.toMatchObject({ Status: 'SUCCESS' });
  expect(s.owner()).toBe(B_OWNER);
  expect(s.writes()).toBe(writesBefore);
  await expect(s.deleteB(b.PhysicalResourceId)).resolves.toMatchObject({ Status: 'SUCCESS' });
  expect(s.owner()).toBe(ORIGINAL);
});

test('B took the true originals over into its own physical id too: with the ledger parameter gone, B\'s Delete still restores them', async () => {
  const id = 'pp-movelost01';
  const s = twoStacks(id);
  const a = await s.createA();
  const b = await s.createB();
  await s.deleteA(a.PhysicalResourceId);
  e2e.ssm.removeParameter(ledgerParameterName(id));
  await s.deleteB(b.PhysicalResourceId);
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
  e2e.ssm.removeParameter(ledgerParameterName(id));
  await s.createB();
  await s.deleteA(a.PhysicalResourceId);
  expect(s.owner()).toBe(B_OWNER);
});

test('SSM answering the value before B\'s claim to four reads in a row (each settled read is two): A\'s Delete sees its product\'s last record is not in the ledger, reads again, and leaves B\'s owner', async () => {
  const stale = defaultSsmSwitches().staleReadsAfterPut;
  e2e.ssm.configure({ staleReadsAfterPut: 4 });
  try {
    const s = twoStacks('pp-movestale1');
    const a = await s.createA();
    const b = await s.createB();
    await s.deleteA(a.PhysicalResourceId);
    expect(s.owner()).toBe(B_OWNER);
    // A release changes no record of the product, so nothing tells a reader that a claim is gone:
    // a read that stale after A's release would hand B's key back to A (design.md, residuals).
    e2e.ssm.configure({ staleReadsAfterPut: stale });
    e2e.ssm.settle(ledgerParameterName('pp-movestale1'));
    await s.deleteB(b.PhysicalResourceId);
    expect(s.owner()).toBe(ORIGINAL);
  } finally {
    e2e.ssm.configure({ staleReadsAfterPut: stale });
  }
});
