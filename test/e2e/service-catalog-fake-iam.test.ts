/**
 * The Service Catalog fake's IAM hook, through the real SDK: `authorize` is asked for each call's
 * action (these actions have no resource-level permissions), and a refusal is the
 * AccessDeniedException IAM answers, before the service reads the input or changes anything.
 */
import { DescribeProvisionedProductCommand, DescribeRecordCommand } from '@aws-sdk/client-service-catalog';
import { ServiceCatalogFake } from './service-catalog-fake';
import { ALICE, CALLER, failure, update, useFake } from './service-catalog-fake/fake-test-support';

const sc = useFake();

test('a denied action answers AccessDeniedException naming it, once (not retried); other actions still pass', async () => {
  const asked: string[] = [];
  sc.fake.authorize = (action) => { asked.push(action); return action !== 'servicecatalog:DescribeRecord'; };
  const c = sc.client();
  const { RecordId } = await update(c, { OWNER: ALICE }, 'iam-token-1');
  const error = await failure(c.send(new DescribeRecordCommand({ Id: RecordId })));
  expect(error.name).toBe('AccessDeniedException');
  expect(error.message).toBe(`User: ${CALLER} is not authorized to perform: servicecatalog:DescribeRecord `
    + 'because no identity-based policy allows the servicecatalog:DescribeRecord action');
  expect(error.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
  await expect(c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }))).resolves.toBeDefined();
  expect(asked).toEqual(['servicecatalog:UpdateProvisionedProductProperties', 'servicecatalog:DescribeRecord', 'servicecatalog:DescribeProvisionedProduct']);
  expect(sc.fake.calls.map((call) => call.outcome)).toEqual(['ok', 'AccessDeniedException', 'ok']);
});

test('a denied Update is refused before the service: no record, no change, the token not taken', async () => {
  sc.fake.authorize = (action) => action !== 'servicecatalog:UpdateProvisionedProductProperties';
  const c = sc.client();
  const records = sc.fake.records('pp-main').length;
  const error = await failure(update(c, { OWNER: ALICE }, 'iam-token-2'));
  expect(error.name).toBe('AccessDeniedException');
  expect(sc.fake.records('pp-main')).toHaveLength(records);
  expect(sc.fake.product('pp-main')!.ownerArn).not.toBe(ALICE);
  expect(sc.fake.updateSummary()).toMatchObject({ calls: 1, created: 0, refused: 1 });
  // Once granted, the same token makes the change: the refusal left nothing behind.
  sc.fake.authorize = undefined;
  await expect(update(c, { OWNER: ALICE }, 'iam-token-2')).resolves.toBeDefined();
  expect(sc.fake.updateSummary()).toMatchObject({ calls: 2, created: 1, replayed: 0 });
});

test('IAM decides before the input is read: a denied call with invalid input is AccessDeniedException, HTTP 400, {__type, Message}', async () => {
  sc.fake.authorize = () => false;
  const reply = await sc.rawPost('DescribeRecord', '{}');
  expect(reply.status).toBe(400);
  expect(reply.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  expect(reply.json).toEqual({ __type: 'AccessDeniedException', Message: expect.stringContaining('servicecatalog:DescribeRecord') });
  // An operation the service does not have is still unknown, whatever IAM says.
  expect((await sc.rawPost('DeleteEverything', '{}')).json.__type).toBe('UnknownOperationException');
});

test('the hook can be given at start', async () => {
  await sc.fake.stop();
  sc.fake = await ServiceCatalogFake.start({ clock: sc.clock, authorize: (action) => action === 'servicecatalog:DescribeProvisionedProduct' });
  sc.fake.addProduct({ id: 'pp-main' });
  const c = sc.client();
  await expect(c.send(new DescribeProvisionedProductCommand({ Id: 'pp-main' }))).resolves.toBeDefined();
  expect((await failure(update(c, { OWNER: ALICE }))).name).toBe('AccessDeniedException');
});
