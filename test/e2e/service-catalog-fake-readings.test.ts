/**
 * The fake's default readings: the easiest ones, or the hardest with E2E_READINGS=adversarial
 * (npm run test:e2e:adversarial), and the two switches the hardest set uses to stay deterministic:
 * a Search lag on OWNER changes only, and records not found by their first reads.
 */
import { DescribeRecordCommand } from '@aws-sdk/client-service-catalog';
import { ADVERSARIAL_SWITCHES, DEFAULT_SWITCHES, EASIEST_SWITCHES, READINGS_ENV } from './service-catalog-fake/switches';
import { ALICE, BOB, failure, searchOwner, update, useFake } from './service-catalog-fake/fake-test-support';

const sc = useFake();

test('the defaults are the easiest readings unless E2E_READINGS=adversarial', () => {
  expect(DEFAULT_SWITCHES).toBe(process.env[READINGS_ENV] === 'adversarial' ? ADVERSARIAL_SWITCHES : EASIEST_SWITCHES);
  expect(EASIEST_SWITCHES).toMatchObject({ searchLagMs: 0, recordVisibleAfterMs: 0, recordNotFoundReads: 0, tokenCheck: 'token-first' });
  expect(ADVERSARIAL_SWITCHES).toMatchObject({ searchLagMs: Infinity, recordNotFoundReads: 2, tokenCheck: 'state-first', refusalConsumesToken: true });
});

test('searchLagAppliesTo changes: a product added is listed at once, and an OWNER change is not shown within the lag', async () => {
  sc.fake.configure({ searchLagMs: Infinity, searchLagAppliesTo: 'changes', searchLagReading: 'stale-owner' });
  sc.fake.addProduct({ id: 'pp-added', ownerArn: ALICE });
  expect(await searchOwner(sc.client(), 'pp-added')).toMatchObject({ UserArn: ALICE });
  const out = await update(sc.client(), { OWNER: BOB }, undefined, 'pp-added');
  sc.fake.resolveRecord(out.RecordId!, { status: 'SUCCEEDED' });
  expect(sc.fake.product('pp-added')!.ownerArn).toBe(BOB);
  expect(await searchOwner(sc.client(), 'pp-added')).toMatchObject({ UserArn: ALICE });
});

test('recordNotFoundReads: each new record is not found by its first reads, then found', async () => {
  sc.fake.configure({ recordNotFoundReads: 2 });
  const out = await update(sc.client(), { OWNER: ALICE });
  const read = () => sc.client({ maxAttempts: 1 }).send(new DescribeRecordCommand({ Id: out.RecordId! }));
  expect((await failure(read())).name).toBe('ResourceNotFoundException');
  expect((await failure(read())).name).toBe('ResourceNotFoundException');
  await expect(read()).resolves.toMatchObject({ RecordDetail: { RecordId: out.RecordId } });
});
