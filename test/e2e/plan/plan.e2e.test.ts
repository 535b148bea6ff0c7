/**
 * `plan` end to end: assemblies synthesized by the library, deployed through the provider framework
 * and the built handler against the Service Catalog and CloudFormation fakes, then planned by the
 * built CLI bundle through the real SDK.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand } from '@aws-sdk/client-service-catalog';
import { ProvisionedProductProperties } from '../../../lib';
import { ACCOUNT, REGION, arn, deploy, jsonOf, plan, synthesize, usePlanEndToEnd } from './plan-setup';

jest.setTimeout(60_000);

const e2e = usePlanEndToEnd();
const LAUNCH = arn('role/SCLaunchRole');
const ORIGINAL = arn('role/Provisioner');
const env = { account: ACCOUNT, region: REGION };

/** A stack with one declaration of `productId`, owned by a role of the stack or by `owner`. */
function ownershipApp(stackName: string, productId: string, owner?: string) {
  return synthesize((app) => {
    const stack = new Stack(app, stackName, { env });
    const team = new iam.Role(stack, 'PlatformTeam', { assumedBy: new iam.AccountRootPrincipal() });
    new ProvisionedProductProperties(stack, 'Ownership', {
      provisionedProductId: productId,
      owner: owner ?? team.roleArn,
      launchRole: iam.Role.fromRoleArn(stack, 'Launch', LAUNCH),
    });
  });
}

test('a deployed stack, then a new assembly that changes the owner: OWNER change, LAUNCH_ROLE none; exit 2 with --detailed-exitcode', async () => {
  e2e.serviceCatalog.addProduct({ id: 'pp-owned1', name: 'payments', ownerArn: ORIGINAL, launchRoleArn: LAUNCH });
  const deployed = ownershipApp('OwnerChange', 'pp-owned1');
  const next = ownershipApp('OwnerChange', 'pp-owned1', arn('role/NewOwners'));
  try {
    await deploy(e2e, deployed.dir, 'OwnerChange');
    const teamArn = e2e.serviceCatalog.product('pp-owned1')!.ownerArn;
    expect(teamArn).toMatch(/^arn:aws:iam::123456789012:role\/OwnerChange-PlatformTeam/);

    const same = await plan(['--app', deployed.dir, '--json', '--detailed-exitcode']);
    expect(same.code).toBe(0);
    expect(jsonOf(same).declarations).toEqual([{
      stack: 'OwnerChange', path: 'OwnerChange/Ownership', provisionedProductId: 'pp-owned1',
      changes: [
        { key: 'OWNER', live: teamArn, declared: teamArn, action: 'none' },
        { key: 'LAUNCH_ROLE', live: LAUNCH, declared: LAUNCH, action: 'none' },
      ],
    }]);

    const changed = await plan(['--app', next.dir, '--json', '--detailed-exitcode']);
    expect(changed.code).toBe(2);
    expect(jsonOf(changed).declarations[0].changes).toEqual([
      { key: 'OWNER', live: teamArn, declared: arn('role/NewOwners'), action: 'change' },
      { key: 'LAUNCH_ROLE', live: LAUNCH, declared: LAUNCH, action: 'none' },
    ]);
    const table = await plan(['--app', next.dir]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('pp-owned1 (payments)');
    expect(table.stdout).toMatch(/OWNER\s+arn:aws:iam::123456789012:role\/OwnerChange-PlatformTeam\S*\s+arn:aws:iam::123456789012:role\/NewOwners\s+change/);
    process.stdout.write(`\n--- owner change (table)\n${table.stdout}`);
  } finally {
    deployed.cleanup();
    next.cleanup();
  }
});

test('a console change (drift) with an unchanged template: change, and the note that this deploy sends no update', async () => {
  e2e.serviceCatalog.addProduct({ id: 'pp-drift1', ownerArn: ORIGINAL, launchRoleArn: LAUNCH });
  const app = ownershipApp('Drifted', 'pp-drift1', arn('role/PlatformTeam'));
  try {
    await deploy(e2e, app.dir, 'Drifted');
    // Search shows the console's change at once, under every reading: no other read gives the new owner (Search's
    // lag is plan-reads' subject). The deploy's record in the ledger is no longer the product's last: it proves nothing.
    e2e.serviceCatalog.configureProduct('pp-drift1', { searchLagMs: 0 });
    // Someone changes the owner in the console.
    const sdk = new ServiceCatalogClient({});
    const { RecordId } = await sdk.send(new UpdateProvisionedProductPropertiesCommand({
      ProvisionedProductId: 'pp-drift1', ProvisionedProductProperties: { OWNER: arn('user/console-admin') }, IdempotencyToken: 'console-change-1',
    }));
    sdk.destroy();
    e2e.serviceCatalog.resolveRecord(RecordId!, { status: 'SUCCEEDED' });

    const run = await plan(['--app', app.dir, '--json']);
    expect(run.code).toBe(0);
    expect(jsonOf(run).declarations[0].changes).toEqual([
      expect.objectContaining({ key: 'OWNER', live: arn('user/console-admin'), declared: arn('role/PlatformTeam'), action: 'change',
        reason: expect.stringContaining('the template is unchanged, so this deploy sends no update') }),
      { key: 'LAUNCH_ROLE', live: LAUNCH, declared: LAUNCH, action: 'none' },
    ]);
    const table = await plan(['--app', app.dir]);
    process.stdout.write(`\n--- drift (table)\n${table.stdout}`);
  } finally {
    app.cleanup();
  }
});

test('a declaration removed with restoreOnDelete: restore with the original owner; one removed without it: no-longer-enforced', async () => {
  e2e.serviceCatalog.addProduct({ id: 'pp-restore1', ownerArn: ORIGINAL });
  e2e.serviceCatalog.addProduct({ id: 'pp-release1', ownerArn: ORIGINAL });
  e2e.serviceCatalog.addProduct({ id: 'pp-stays1', ownerArn: ORIGINAL });
  const declare = (stack: Stack, id: string, productId: string, restoreOnDelete?: boolean) =>
    new ProvisionedProductProperties(stack, id, { provisionedProductId: productId, owner: arn('role/PlatformTeam'), restoreOnDelete });
  const before = synthesize((app) => {
    const stack = new Stack(app, 'Removal', { env });
    declare(stack, 'Restored', 'pp-restore1', true);
    declare(stack, 'Released', 'pp-release1');
    declare(stack, 'Stays', 'pp-stays1');
  });
  const after = synthesize((app) => declare(new Stack(app, 'Removal', { env }), 'Stays', 'pp-stays1'));
  try {
    await deploy(e2e, before.dir, 'Removal');
    const run = await plan(['--app', after.dir, '--json', '--detailed-exitcode']);
    expect(run.code).toBe(2);
    const byPath = Object.fromEntries(jsonOf(run).declarations.map((d) => [d.path, d]));
    expect(byPath['Removal/Stays'].changes).toEqual([{ key: 'OWNER', live: arn('role/PlatformTeam'), declared: arn('role/PlatformTeam'), action: 'none' }]);
    expect(byPath['Removal/Restored']).toMatchObject({
      provisionedProductId: 'pp-restore1',
      changes: [{ key: 'OWNER', live: arn('role/PlatformTeam'), declared: ORIGINAL, action: 'restore' }],
    });
    expect(byPath['Removal/Released']).toMatchObject({
      provisionedProductId: 'pp-release1',
      changes: [{ key: 'OWNER', live: arn('role/PlatformTeam'), declared: null, action: 'no-longer-enforced' }],
    });
    const table = await plan(['--app', after.dir]);
    process.stdout.write(`\n--- removed declarations (table)\n${table.stdout}`);
    // The deploy then does what the plan said.
    await deploy(e2e, after.dir, 'Removal');
    expect(e2e.serviceCatalog.product('pp-restore1')!.ownerArn).toBe(ORIGINAL);
    expect(e2e.serviceCatalog.product('pp-release1')!.ownerArn).toBe(arn('role/PlatformTeam'));
  } finally {
    before.cleanup();
    after.cleanup();
  }
});

test('a product not yet deployed: known-after-deploy, with the product and role of the same stack; a product that exists is planned', async () => {
  e2e.serviceCatalog.addProduct({ id: 'pp-exists1', ownerArn: ORIGINAL });
  const app = synthesize((a) => {
    const stack = new Stack(a, 'NotYetDeployed', { env });
    const team = new iam.Role(stack, 'PlatformTeam', { assumedBy: new iam.AccountRootPrincipal() });
    const provisioned = new servicecatalog.CfnCloudFormationProvisionedProduct(stack, 'Provisioned', {
      productName: 'network', provisioningArtifactName: 'v1', provisionedProductName: 'network-prod',
    });
    new ProvisionedProductProperties(stack, 'NewProduct', { provisionedProductId: provisioned.attrProvisionedProductId, owner: team.roleArn });
    new ProvisionedProductProperties(stack, 'Existing', { provisionedProductId: 'pp-exists1', owner: arn('role/PlatformTeam') });
  });
  try {
    const run = await plan(['--app', app.dir, '--json']);
    expect(run.code).toBe(0);
    const [created, existing] = jsonOf(run).declarations;
    expect(created).toMatchObject({
      path: 'NotYetDeployed/NewProduct', provisionedProductId: null,
      changes: [{ key: 'OWNER', live: null, declared: null, action: 'known-after-deploy', reason: expect.stringContaining('Provisioned') }],
    });
    expect(existing.changes).toEqual([{ key: 'OWNER', live: ORIGINAL, declared: arn('role/PlatformTeam'), action: 'change' }]);
    const table = await plan(['--app', app.dir]);
    process.stdout.write(`\n--- not yet deployed (table)\n${table.stdout}`);
  } finally {
    app.cleanup();
  }
});
