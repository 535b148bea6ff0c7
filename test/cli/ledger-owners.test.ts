/**
 * `plan` reads the owner the ledger proves over what Search's pages show (which can be an OWNER
 * change late), read only; a ledger it cannot read is a warning, and Search is used.
 */
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, ScanProvisionedProductsCommand, SearchProvisionedProductsCommand, ServiceCatalogClient,
} from '@aws-sdk/client-service-catalog';
import { GetParameterCommand, GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ledgerParameterName } from '../../lib/shared/ledger';
import { mockClient } from 'aws-sdk-client-mock';
import { LiveProduct, readLiveProducts } from '../../cli/live-reads';
import { LAUNCH, OWNER, fakeDeps, serviceError } from '../lambda/fixtures';
import { putLedger } from '../lambda/drift/lagging-catalog';

const ALICE = 'arn:aws:iam::123456789012:user/alice';
const sc = mockClient(ServiceCatalogClient);

/** The account's products: Search lists each with its old owner, for good; each product's last record is `lastRecordId`. */
function account(products: Array<{ id: string; lastRecordId: string }>) {
  sc.reset();
  sc.on(SearchProvisionedProductsCommand).callsFake((input) => {
    const listed = products.filter((p) => !input.Filters || input.Filters.SearchQuery[0] === `id:${p.id}`);
    return { TotalResultsCount: products.length, ProvisionedProducts: listed.map((p) => ({ Id: p.id, UserArn: ALICE, UserArnSession: ALICE })) };
  });
  sc.on(ScanProvisionedProductsCommand).resolves({ ProvisionedProducts: products.map((p) => ({ Id: p.id, LastRecordId: p.lastRecordId, LaunchRoleArn: LAUNCH })) });
  sc.on(DescribeProvisionedProductCommand).callsFake((input) => ({ ProvisionedProductDetail: { Id: input.Id, LastRecordId: products.find((p) => p.id === input.Id)?.lastRecordId } }));
  sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
}

const ownerOf = (live: LiveProduct | undefined) => (live?.owner?.ok ? live.owner.value : live?.owner);

test('the owner our last SUCCEEDED record wrote replaces what the pages show; a product whose last record is not ours keeps the pages\' owner', async () => {
  account([{ id: 'pp-ours', lastRecordId: 'rec-ours' }, { id: 'pp-console', lastRecordId: 'rec-console' }]);
  const deps = fakeDeps();
  putLedger(deps.ssm, 'pp-ours', { claims: [], written: { recordId: 'rec-ours', values: { OWNER } } });
  putLedger(deps.ssm, 'pp-console', { claims: [], written: { recordId: 'rec-ours-before', values: { OWNER } } });
  const sent = jest.spyOn(deps.ssm, 'send');
  const keys = new Set(['OWNER', 'LAUNCH_ROLE'] as const);
  const live = await readLiveProducts(deps, [{ product: { id: 'pp-ours' }, keys }, { product: { id: 'pp-console' }, keys }]);
  expect(ownerOf(live.get('id:pp-ours'))).toEqual({ listed: true, userArn: OWNER });
  expect(ownerOf(live.get('id:pp-console'))).toEqual({ listed: true, userArn: ALICE, userArnSession: ALICE });
  // The last record ids came from Scan's page: only our own record was described. The ledgers were read in one
  // call, and pp-console's again on its own (a read may miss the latest put), never written.
  expect(sc.commandCalls(DescribeProvisionedProductCommand)).toHaveLength(0);
  expect(sc.commandCalls(DescribeRecordCommand).map((c) => c.args[0].input.Id)).toEqual(['rec-ours']);
  const [batch, ...alone] = sent.mock.calls.map(([command]) => command);
  expect(batch).toBeInstanceOf(GetParametersCommand);
  expect(alone.length).toBeGreaterThan(0);
  expect(alone.every((command) => command instanceof GetParameterCommand && command.input.Name === ledgerParameterName('pp-console'))).toBe(true);
});

test('an owner alone (no Scan page): the product\'s last record id comes from DescribeProvisionedProduct', async () => {
  account([{ id: 'pp-ours', lastRecordId: 'rec-ours' }]);
  const deps = fakeDeps();
  putLedger(deps.ssm, 'pp-ours', { claims: [], written: { recordId: 'rec-ours', values: { OWNER } } });
  const live = await readLiveProducts(deps, [{ product: { id: 'pp-ours' }, keys: new Set(['OWNER'] as const) }]);
  expect(ownerOf(live.get('id:pp-ours'))).toEqual({ listed: true, userArn: OWNER });
  expect(sc.commandCalls(ScanProvisionedProductsCommand)).toHaveLength(0);
  expect(sc.commandCalls(DescribeProvisionedProductCommand)).toHaveLength(1);
});

test('the status of our record denied: the owner is unknown, and the reason names servicecatalog:DescribeRecord', async () => {
  account([{ id: 'pp-ours', lastRecordId: 'rec-ours' }]);
  sc.on(DescribeRecordCommand).rejects(serviceError('AccessDeniedException'));
  const deps = fakeDeps();
  putLedger(deps.ssm, 'pp-ours', { claims: [], written: { recordId: 'rec-ours', values: { OWNER } } });
  const live = await readLiveProducts(deps, [{ product: { id: 'pp-ours' }, keys: new Set(['OWNER'] as const) }]);
  expect(live.get('id:pp-ours')!.owner).toEqual({ ok: false, why: expect.stringMatching(/^servicecatalog:DescribeRecord failed: AccessDeniedException/) });
});

test('ledgers that cannot be read: one warning line for them all, and the owners Search shows', async () => {
  const ids = Array.from({ length: 12 }, (_, i) => `pp-${i}`);
  account(ids.map((id) => ({ id, lastRecordId: 'rec-console' })));
  const ssm = new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  mockClient(ssm).on(GetParametersCommand).callsFake((input: { Names: string[] }) => {
    throw Object.assign(serviceError('AccessDeniedException'), { message: `not authorized to perform: ssm:GetParameters on resource: ${input.Names[0]}` });
  });
  const warnings: string[] = [];
  const live = await readLiveProducts({ ...fakeDeps(), ssm }, ids.map((id) => ({ product: { id }, keys: new Set(['OWNER'] as const) })),
    { region: 'eu-west-1', warn: (line) => warnings.push(line) });
  expect(ids.map((id) => ownerOf(live.get(`id:${id}`)))).toEqual(Array(12).fill({ listed: true, userArn: ALICE, userArnSession: ALICE }));
  expect(warnings).toEqual([expect.stringMatching(
    /^the ledger of 12 products in eu-west-1 could not be read \(ssm:GetParameters: AccessDeniedException: not authorized .*\); the owner is read from SearchProvisionedProducts/)]);
});
