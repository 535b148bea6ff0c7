/**
 * ScanProvisionedProducts and the access-denied fault of the Service Catalog fake, through the real
 * SDK: pages of at most 20 (the model's PageSize), ProvisionedProductDetail with LaunchRoleArn, the
 * products themselves rather than Search's lagging index, and AccessDeniedException naming the action.
 */
import { ScanProvisionedProductsCommand, SearchProvisionedProductsCommand } from '@aws-sdk/client-service-catalog';
import { LAUNCH_ROLE, failure, useFake } from './service-catalog-fake/fake-test-support';

const sc = useFake();

test('Scan pages the account\'s products 20 at a time with their launch role, those Search does not list yet included', async () => {
  for (let i = 0; i < 25; i++) sc.fake.addProduct({ id: `pp-scan${i}`, launchRoleArn: LAUNCH_ROLE, neverListed: i === 3 });
  const c = sc.client();
  const ids: string[] = [];
  const sizes: number[] = [];
  let token: string | undefined;
  do {
    const page = await c.send(new ScanProvisionedProductsCommand({ AccessLevelFilter: { Key: 'Account', Value: 'self' }, PageSize: 20, PageToken: token }));
    sizes.push(page.ProvisionedProducts!.length);
    ids.push(...page.ProvisionedProducts!.map((p) => p.Id!));
    expect(page.ProvisionedProducts!.filter((p) => p.Id!.startsWith('pp-scan')).every((p) => p.LaunchRoleArn === LAUNCH_ROLE)).toBe(true);
    token = page.NextPageToken;
  } while (token);
  expect(sizes[0]).toBe(20);
  expect(ids).toEqual(expect.arrayContaining(Array.from({ length: 25 }, (_, i) => `pp-scan${i}`)));
  const searched = await c.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: 'Account', Value: 'self' }, Filters: { SearchQuery: ['id:pp-scan3'] } }));
  expect(searched.ProvisionedProducts).toEqual([]);
});

test('Scan refuses a page larger than the model\'s 20', async () => {
  const error = await failure(sc.client().send(new ScanProvisionedProductsCommand({ PageSize: 21 })));
  expect(error.name).toBe('ValidationException');
  expect(error.message).toContain('Member must have value less than or equal to 20');
});

test('an access-denied fault answers AccessDeniedException naming the action, once', async () => {
  sc.fake.injectFaults('ScanProvisionedProducts', { kind: 'access-denied' });
  const c = sc.client();
  const error = await failure(c.send(new ScanProvisionedProductsCommand({})));
  expect(error.name).toBe('AccessDeniedException');
  expect(error.message).toContain('is not authorized to perform: servicecatalog:ScanProvisionedProducts');
  await expect(c.send(new ScanProvisionedProductsCommand({}))).resolves.toBeDefined();
  expect(sc.fake.callsOf('ScanProvisionedProducts').map((call) => call.outcome)).toEqual(['access-denied', 'ok']);
});
