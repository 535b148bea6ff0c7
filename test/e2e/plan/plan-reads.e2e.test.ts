/**
 * `plan` under what the services do to reads: Search's lagging index, throttling, a read that IAM
 * refuses, and tokens resolved from the deployed stack (parameters, exports).
 */
import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ScanProvisionedProductsCommand, SearchProvisionedProductsCommand, ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { ProvisionedProductProperties } from '../../../lib';
import { defaultSsmSwitches } from '../ssm-fake/switches';
import { ACCOUNT, REGION, arn, deploy, jsonOf, plan, synthesize, templateOf, usePlanEndToEnd } from './plan-setup';

jest.setTimeout(90_000);

const e2e = usePlanEndToEnd();
const LAUNCH = arn('role/SCLaunchRole');
const TEAM = arn('role/PlatformTeam');
const env = { account: ACCOUNT, region: REGION };

function declare(stack: Stack, id: string, productId: string) {
  new ProvisionedProductProperties(stack, id, { provisionedProductId: productId, owner: TEAM, launchRole: iam.Role.fromRoleArn(stack, `${id}Launch`, LAUNCH) });
}

/**
 * The account's products now (the fake keeps those of the file's earlier tests): how many Search
 * lists, and how many Scan reads (Search does not list every product: its index lags).
 */
async function productsInAccount(): Promise<{ listed: number; all: number }> {
  const sdk = new ServiceCatalogClient({});
  const account = { Key: 'Account', Value: 'self' } as const;
  try {
    const listed = (await sdk.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: account }))).TotalResultsCount!;
    let all = 0;
    let PageToken: string | undefined;
    do {
      const page = await sdk.send(new ScanProvisionedProductsCommand({ AccessLevelFilter: account, PageToken }));
      all += page.ProvisionedProducts?.length ?? 0;
      PageToken = page.NextPageToken || undefined;
    } while (PageToken);
    return { listed, all };
  } finally {
    sdk.destroy();
  }
}

/** The calls of reading the account in pages: Search's of 100, or fewer where the service cuts them (undocumented); Scan's of 20. */
const pageCalls = (inAccount: { listed: number; all: number }) => ({
  search: Math.ceil(inAccount.listed / Math.min(100, e2e.serviceCatalog.switches.searchMaxPageSize)),
  scan: Math.ceil(inAccount.all / 20),
});

const searchesFor = (id: string) => e2e.serviceCatalog.callsOf('SearchProvisionedProducts')
  .filter((c) => JSON.stringify(c.input.Filters ?? {}).includes(`id:${id}`));

test('Search lag: a product Search does not list has its owner unknown (never "no owner"), after the handler\'s retries; its launch role is read from Scan', async () => {
  e2e.serviceCatalog.addProduct({ id: 'pp-lag1', ownerArn: TEAM, launchRoleArn: LAUNCH, neverListed: true });
  e2e.serviceCatalog.addProduct({ id: 'pp-listed1', ownerArn: TEAM, launchRoleArn: LAUNCH });
  const app = synthesize((a) => {
    const stack = new Stack(a, 'Lagging', { env });
    declare(stack, 'Unlisted', 'pp-lag1');
    declare(stack, 'Listed', 'pp-listed1');
  });
  const before = e2e.serviceCatalog.calls.length;
  try {
    const run = await plan(['--app', app.dir, '--json', '--detailed-exitcode']);
    expect(run.code).toBe(2);
    const [unlisted, listed] = jsonOf(run).declarations;
    expect(unlisted.changes).toEqual([
      { key: 'OWNER', live: null, declared: TEAM, action: 'unknown', reason: expect.stringContaining('does not list the product') },
      { key: 'LAUNCH_ROLE', live: LAUNCH, declared: LAUNCH, action: 'none' },
    ]);
    expect(listed.changes.map((c) => c.action)).toEqual(['none', 'none']);
    // The handler's per-product read, with its waits, only for the product the pages did not list.
    expect(searchesFor('pp-lag1')).toHaveLength(4);
    expect(searchesFor('pp-listed1')).toHaveLength(0);
    expect(e2e.serviceCatalog.calls.slice(before).filter((c) => c.operation === 'DescribeProvisionedProduct')).toHaveLength(0);
    const table = await plan(['--app', app.dir]);
    process.stdout.write(`\n--- Search lag (table)\n${table.stdout}`);
  } finally {
    app.cleanup();
  }
});

test('throttling: every declaration is planned from a few pages, the SDK retrying the throttled calls', async () => {
  const ids = Array.from({ length: 45 }, (_, i) => `pp-throttled${i}`);
  for (const id of ids) e2e.serviceCatalog.addProduct({ id, ownerArn: TEAM, launchRoleArn: LAUNCH });
  const app = synthesize((a) => {
    const stack = new Stack(a, 'Throttled', { env });
    ids.forEach((id, i) => declare(stack, `P${i}`, id));
  });
  const inAccount = await productsInAccount();
  const before = e2e.serviceCatalog.calls.length;
  e2e.serviceCatalog.configure({ throttle: { ratePerSecond: 2, burst: 1 } });
  e2e.serviceCatalog.injectFaults('SearchProvisionedProducts', { kind: 'throttle' }, { kind: 'throttle' });
  try {
    const run = await plan(['--app', app.dir, '--json', '--detailed-exitcode']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const declarations = jsonOf(run).declarations;
    expect(declarations).toHaveLength(45);
    expect(declarations.flatMap((d) => d.changes.map((c) => c.action))).toEqual(Array(90).fill('none'));
    const calls = e2e.serviceCatalog.calls.slice(before);
    const answered = calls.filter((c) => c.outcome === 'ok');
    expect(calls.filter((c) => c.outcome === 'throttled' || c.outcome === 'throttle').length).toBeGreaterThanOrEqual(3);
    // Every product listed by the account's pages: nothing read product by product.
    const pages = pageCalls(inAccount);
    expect(answered.filter((c) => c.operation === 'DescribeProvisionedProduct' || c.input.Filters !== undefined)).toEqual([]);
    expect(answered.filter((c) => c.operation === 'SearchProvisionedProducts')).toHaveLength(pages.search);
    expect(answered.filter((c) => c.operation === 'ScanProvisionedProducts')).toHaveLength(pages.scan);
    expect(answered).toHaveLength(pages.search + pages.scan);
  } finally {
    e2e.serviceCatalog.configure({ throttle: undefined });
    e2e.serviceCatalog.clearFaults();
    app.cleanup();
  }
});

test('access denied on one read: a clear message naming the action; the other declarations and keys are still planned', async () => {
  e2e.serviceCatalog.addProduct({ id: 'pp-denied1', ownerArn: TEAM, launchRoleArn: LAUNCH });
  e2e.serviceCatalog.addProduct({ id: 'pp-denied2', ownerArn: TEAM });
  const denied = synthesize((a) => {
    const stack = new Stack(a, 'DeniedStack', { env });
    const team = new iam.Role(stack, 'Team', { assumedBy: new iam.AccountRootPrincipal() });
    declare(stack, 'Literal', 'pp-denied1');
    new ProvisionedProductProperties(stack, 'StackRole', { provisionedProductId: 'pp-denied2', owner: team.roleArn });
  });
  try {
    await deploy(e2e, denied.dir, 'DeniedStack');
    // Service Catalog refuses Search: an owner the ledger does not prove is unknown, the launch roles are planned.
    e2e.serviceCatalog.injectFaults('SearchProvisionedProducts', { kind: 'access-denied' });
    const search = await plan(['--app', denied.dir, '--json']);
    expect(search.code).toBe(0);
    expect(search.stderr).toMatch(/^Warning: DeniedStack: servicecatalog:SearchProvisionedProducts failed: AccessDeniedException: .*not authorized to perform: servicecatalog:SearchProvisionedProducts/m);
    const [literal, stackRole] = jsonOf(search).declarations;
    expect(literal.changes).toEqual([
      { key: 'OWNER', live: null, declared: TEAM, action: 'unknown', reason: expect.stringContaining('servicecatalog:SearchProvisionedProducts failed: AccessDeniedException') },
      { key: 'LAUNCH_ROLE', live: LAUNCH, declared: LAUNCH, action: 'none' },
    ]);
    // The deploy changed this one's owner: its record, the product's last, SUCCEEDED, proves the owner without Search.
    expect(stackRole.changes[0]).toEqual({ key: 'OWNER', live: e2e.serviceCatalog.product('pp-denied2')!.ownerArn, declared: expect.stringMatching(/role\/DeniedStack-Team/), action: 'none' });
    process.stdout.write(`\n--- access denied, Search (stderr)\n${search.stderr}`);

    // CloudFormation refuses ListStackResources of the stack: a value from the stack is unknown, the literal one is planned.
    e2e.cloudFormation.stackReads.denied.add('ListStackResources:DeniedStack');
    const listing = await plan(['--app', denied.dir, '--json']);
    const table = await plan(['--app', denied.dir]);
    e2e.cloudFormation.stackReads.denied.clear();
    expect(listing.code).toBe(0);
    expect(listing.stderr).toMatch(/^Warning: DeniedStack: cloudformation:ListStackResources failed: AccessDenied: .*cloudformation:ListStackResources/m);
    const [literalAgain, fromStack] = jsonOf(listing).declarations;
    expect(literalAgain.changes.map((c) => c.action)).toEqual(['none', 'none']);
    expect(fromStack.changes).toEqual([{ key: 'OWNER', live: expect.any(String), declared: null, action: 'unknown', reason: expect.stringContaining('cloudformation:ListStackResources failed') }]);
    expect(listing.stderr.trim().split('\n')).toHaveLength(1);
    process.stdout.write(`\n--- access denied, ListStackResources (stderr + table)\n${listing.stderr}${table.stdout}`);
  } finally {
    e2e.cloudFormation.stackReads.denied.clear();
    denied.cleanup();
  }
});

test('the ledgers denied to the plan\'s user: one warning line naming ssm:GetParameters, and the owners Search shows', async () => {
  e2e.serviceCatalog.addProduct({ id: 'pp-noledger1', ownerArn: arn('role/Provisioner') });
  const app = synthesize((a) => {
    const stack = new Stack(a, 'LedgerDenied', { env });
    new ProvisionedProductProperties(stack, 'Ownership', { provisionedProductId: 'pp-noledger1', owner: TEAM });
  });
  const userAuthorize = e2e.ssm.authorize;
  try {
    await deploy(e2e, app.dir, 'LedgerDenied');
    // IAM refuses the whole call (whether GetParameters lists denied names as invalid instead is undocumented: then nothing tells them from absent ones).
    e2e.ssm.configure({ getParametersDenied: 'whole-call' });
    e2e.ssm.authorize = (action) => !action.startsWith('ssm:GetParameter');
    const run = await plan(['--app', app.dir, '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(
      /^Warning: the ledger of 1 product in us-east-1 could not be read \(ssm:GetParameters: AccessDeniedException: .*\); the owner is read from SearchProvisionedProducts/)]);
    const [owner] = jsonOf(run).declarations[0].changes;
    expect(owner).toMatchObject({ key: 'OWNER', declared: TEAM, live: expect.stringMatching(/^arn:aws:iam::123456789012:role\//) });
    expect(owner.action).not.toBe('unknown');
  } finally {
    e2e.ssm.authorize = userAuthorize;
    e2e.ssm.configure({ getParametersDenied: defaultSsmSwitches().getParametersDenied });
    app.cleanup();
  }
});

test('tokens resolve as the deploy would: a parameter through the deployed stack\'s value, an import through the exports; a missing export is known after the deploy', async () => {
  e2e.serviceCatalog.addProduct({ id: 'pp-tokens1', ownerArn: TEAM, launchRoleArn: LAUNCH });
  e2e.serviceCatalog.addProduct({ id: 'pp-tokens2', ownerArn: TEAM });
  const app = synthesize((a) => {
    const stack = new Stack(a, 'Tokens', { env });
    const owner = new CfnParameter(stack, 'OwnerArn', { type: 'String' });
    new ProvisionedProductProperties(stack, 'FromParameter', {
      provisionedProductId: 'pp-tokens1', owner: owner.valueAsString,
      launchRole: iam.Role.fromRoleArn(stack, 'Imported', Fn.importValue('shared-launch-role'), { mutable: false }),
    });
    new ProvisionedProductProperties(stack, 'FromMissingExport', { provisionedProductId: 'pp-tokens2', owner: Fn.importValue('not-exported-yet') });
  });
  try {
    const stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Tokens/0f2b7c1e-0000-4000-8000-000000000001`;
    e2e.cloudFormation.ensureStack(stackId);
    e2e.cloudFormation.stackReads.setStack({ stackName: 'Tokens', stackId, status: 'UPDATE_COMPLETE', parameters: { OwnerArn: arn('role/Auditors') }, template: templateOf(app.dir, 'Tokens') });
    e2e.cloudFormation.stackReads.setExport('shared-launch-role', LAUNCH, 'arn:aws:cloudformation:us-east-1:123456789012:stack/Shared/1');
    const run = await plan(['--app', app.dir, '--json']);
    expect(run.code).toBe(0);
    const [fromParameter, fromMissing] = jsonOf(run).declarations;
    expect(fromParameter.changes).toEqual([
      { key: 'OWNER', live: TEAM, declared: arn('role/Auditors'), action: 'change', reason: expect.stringContaining('the template is unchanged') },
      { key: 'LAUNCH_ROLE', live: LAUNCH, declared: LAUNCH, action: 'none' },
    ]);
    expect(fromMissing.changes).toEqual([
      { key: 'OWNER', live: TEAM, declared: null, action: 'known-after-deploy', reason: expect.stringContaining('the export not-exported-yet does not exist yet') },
    ]);
    const table = await plan(['--app', app.dir]);
    process.stdout.write(`\n--- tokens (table)\n${table.stdout}`);
  } finally {
    app.cleanup();
  }
});

test('an account of many more products than declared is read product by product (fewer calls), a product declared by name included', async () => {
  for (let i = 0; i < 150; i++) e2e.serviceCatalog.addProduct({ id: `pp-crowd${i}`, ownerArn: TEAM });
  e2e.serviceCatalog.addProduct({ id: 'pp-byname1', name: 'ledger-prod', ownerArn: arn('role/Provisioner'), launchRoleArn: LAUNCH });
  const app = synthesize((a) => {
    const stack = new Stack(a, 'Crowded', { env });
    new ProvisionedProductProperties(stack, 'ByName', {
      provisionedProductName: 'ledger-prod', owner: TEAM, launchRole: iam.Role.fromRoleArn(stack, 'Launch', LAUNCH),
    });
  });
  const inAccount = await productsInAccount();
  const before = e2e.serviceCatalog.calls.length;
  try {
    const run = await plan(['--app', app.dir, '--json']);
    expect(run.code).toBe(0);
    expect(jsonOf(run).declarations).toEqual([{
      stack: 'Crowded', path: 'Crowded/ByName', provisionedProductId: 'pp-byname1',
      changes: [
        { key: 'OWNER', live: arn('role/Provisioner'), declared: TEAM, action: 'change' },
        { key: 'LAUNCH_ROLE', live: LAUNCH, declared: LAUNCH, action: 'none' },
      ],
    }]);
    const calls = e2e.serviceCatalog.calls.slice(before);
    // Search's first page counts the account; then the handler's reads: Describe by name, Search by id
    // (more than one page where the service cuts pages before filtering them: undocumented).
    expect(calls.slice(0, 2).map((c) => c.operation)).toEqual(['SearchProvisionedProducts', 'DescribeProvisionedProduct']);
    expect(calls[1].input).toMatchObject({ Name: 'ledger-prod' });
    const byId = calls.slice(2);
    expect(byId.length).toBeGreaterThanOrEqual(1);
    expect(byId.filter((c) => c.operation !== 'SearchProvisionedProducts' || JSON.stringify(c.input.Filters) !== JSON.stringify({ SearchQuery: ['id:pp-byname1'] })))
      .toEqual([]);
    if (e2e.serviceCatalog.switches.searchPaging === 'filter-then-page') expect(byId).toHaveLength(1);
    // Fewer calls than the account's pages would have been.
    expect(calls.length).toBeLessThan(pageCalls(inAccount).search + pageCalls(inAccount).scan);
  } finally {
    app.cleanup();
  }
});
