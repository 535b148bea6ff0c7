/**
 * The ledger when SSM refuses (an imported handler role without the ledger's permissions, an SCP):
 * a declaration that cannot be recorded fails the deploy saying what to grant; a restore that
 * cannot see the ledger is not made on a guess, and the Delete still succeeds.
 */
import { ledgerParameterName } from '../../lib/shared/ledger';
import { createRequest, deleteRequest } from './cloudformation-request';
import { arn, synthesizedResource, useEndToEnd } from './e2e-setup';

const e2e = useEndToEnd();

const ORIGINAL = arn('user/original');
const OWNER = arn('role/PlatformTeam');
const denying = (action: string) => (requested: string) => requested !== action;

afterEach(() => { e2e.ssm.authorize = undefined; });

test('PutParameter denied: the Create fails after its change, naming the parameter path and ssm:PutParameter', async () => {
  const id = 'pp-ledgerput01';
  e2e.fake.addProduct({ id, ownerArn: ORIGINAL });
  e2e.ssm.authorize = denying('ssm:PutParameter');
  const response = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: OWNER })));
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(new RegExp(`^Could not record this declaration of provisioned product ${id} in its ledger \\(ssm:PutParameter `
    + `${ledgerParameterName(id)}: AccessDeniedException`));
  expect(response.Reason).toContain('ssm:GetParameter and ssm:PutParameter permissions on /cdk-provisioned-product-properties/ledger/*');
});

test('GetParameter denied: a Create with restoreOnDelete fails before any write, naming ssm:GetParameter', async () => {
  const id = 'pp-ledgerget01';
  e2e.fake.addProduct({ id, ownerArn: ORIGINAL });
  e2e.ssm.authorize = denying('ssm:GetParameter');
  const response = await e2e.harness.send(createRequest(synthesizedResource({ id, owner: OWNER, restoreOnDelete: true })));
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(new RegExp(`^Could not read the ledger of provisioned product ${id} \\(ssm:GetParameter .*AccessDeniedException`));
  expect(e2e.fake.writeCalls().filter((c) => c.input.ProvisionedProductId === id)).toHaveLength(0);
  expect(e2e.fake.product(id)!.ownerArn).toBe(ORIGINAL);
});

test('GetParameter denied at the Delete: nothing is restored on a guess, the log says why, and the Delete succeeds', async () => {
  const id = 'pp-ledgerget02';
  e2e.fake.addProduct({ id, ownerArn: ORIGINAL });
  const resource = synthesizedResource({ id, owner: OWNER, restoreOnDelete: true });
  const create = await e2e.harness.send(createRequest(resource));
  expect(create.Status).toBe('SUCCESS');
  e2e.ssm.authorize = denying('ssm:GetParameter');
  await expect(e2e.harness.send(deleteRequest(resource, create.PhysicalResourceId))).resolves.toMatchObject({ Status: 'SUCCESS' });
  expect(e2e.fake.product(id)!.ownerArn).toBe(OWNER);
  expect(e2e.logs.some((line) => line.includes('the product\'s ledger could not be read') && line.includes('ssm:GetParameter'))).toBe(true);
});
