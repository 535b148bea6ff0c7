/**
 * A drift run reads the owner the ledger proves instead of a Search that can show an OWNER change
 * late, and records its own corrections there: Search here never shows a change (lagging-catalog.ts).
 */
import { GetParameterCommand, GetParametersCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { correctDrift } from '../../../lambda/drift/run';
import { StackGuard } from '../../../lambda/drift/stack-guard';
import { DRIFT_EVENT_KIND, DriftCorrectionEvent } from '../../../lib/shared/drift-payload';
import { Ledger, ledgerParameterName, parseLedger, serializeLedger } from '../../../lib/shared/ledger';
import { OWNER, driftDeps, serviceError } from '../fixtures';
import { laggingCatalog, parametersOf, putLedger } from './lagging-catalog';

const ALICE = 'arn:aws:iam::123456789012:user/alice';
const CLAIM = { stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/guid', logicalId: 'Ownership', physicalId: 'pp-1', declared: { OWNER }, restoreOnDelete: false };
const run = (id: string, products: DriftCorrectionEvent['products']): DriftCorrectionEvent & { id: string } => ({
  kind: DRIFT_EVENT_KIND, stackName: 'S', owners: [OWNER], launchRoles: [], products, id,
});
const actions = (d: ReturnType<typeof driftDeps>) => d.lines.map((l) => JSON.parse(l)).map((l) => [l.provisionedProductId, l.action]);

let catalog: ReturnType<typeof laggingCatalog>;
beforeEach(() => {
  catalog?.sc.restore();
  catalog = laggingCatalog();
});

test('a correction that SUCCEEDED is recorded, and the next run trusts it while Search still shows the old owner', async () => {
  catalog.add('pp-1', { searchOwner: ALICE, owner: ALICE, lastRecordId: 'rec-console' });
  const d = driftDeps();
  putLedger(d.ssm, 'pp-1', { claims: [CLAIM] });
  await expect(correctDrift(run('delivery-1', [['pp-1', 0, 0, -1, '']]), d)).resolves.toMatchObject({ corrected: 1 });
  // The claims a deploy put there are kept; our record is added.
  expect(parseLedger(parametersOf(d.ssm).get(ledgerParameterName('pp-1'))!)).toEqual({ claims: [CLAIM], written: { recordId: 'rec-1', values: { OWNER } } });

  const next = { ...driftDeps(), ssm: d.ssm };
  await expect(correctDrift(run('delivery-2', [['pp-1', 0, 0, -1, '']]), next)).resolves.toMatchObject({ drifted: 0, corrected: 0 });
  expect(actions(next)).toEqual([['pp-1', 'none']]);
  expect(catalog.updates()).toEqual(['pp-1']);
});

test('a newer record on the product (a console change) is not taken on the ledger\'s word: Search is read, and its record is not described', async () => {
  catalog.add('pp-1', { searchOwner: ALICE, owner: ALICE, lastRecordId: 'rec-console' });
  const d = driftDeps();
  putLedger(d.ssm, 'pp-1', { claims: [], written: { recordId: 'rec-ours', values: { OWNER } } });
  await expect(correctDrift(run('delivery-1', [['pp-1', 0, 0, -1, '']]), d)).resolves.toMatchObject({ drifted: 1, corrected: 1 });
  // Only the correction's own record is described: rec-console was never read.
  expect(catalog.describedRecords()).toEqual(['rec-1']);
});

test.each(['FAILED', 'IN_PROGRESS_IN_ERROR'])('our last record %s proves nothing: the owner is read from Search', async (status) => {
  catalog.add('pp-1', { searchOwner: ALICE, owner: ALICE, lastRecordId: 'rec-ours' });
  catalog.recordStatus.set('rec-ours', status);
  const d = driftDeps();
  putLedger(d.ssm, 'pp-1', { claims: [], written: { recordId: 'rec-ours', values: { OWNER } } });
  await correctDrift(run('delivery-1', [['pp-1', 0, 0, -1, '']]), d);
  expect(actions(d)).toEqual([['pp-1', 'corrected']]);
  expect(catalog.searches()).toBe(1);
});

test('a ledger holding no owner of ours (our record set the launch role only) leaves the owner to Search', async () => {
  catalog.add('pp-1', { searchOwner: ALICE, owner: ALICE, lastRecordId: 'rec-ours' });
  const d = driftDeps();
  putLedger(d.ssm, 'pp-1', { claims: [], written: { recordId: 'rec-ours', values: { LAUNCH_ROLE: 'arn:aws:iam::123456789012:role/L' } } });
  await correctDrift(run('delivery-1', [['pp-1', 0, 0, -1, '']]), d);
  expect(actions(d)).toEqual([['pp-1', 'corrected']]);
  expect(catalog.describedRecords()).toEqual(['rec-1']);
});

test('the ledgers are read 10 per call, and again those without a record of ours; a product declared by name has its own reads once its id is known', async () => {
  const ids = Array.from({ length: 23 }, (_, i) => `pp-${String(i).padStart(2, '0')}`);
  ids.forEach((id) => catalog.add(id, { searchOwner: OWNER, owner: OWNER }));
  catalog.add('pp-named', { name: 'team-app', searchOwner: OWNER, owner: OWNER });
  const d = driftDeps();
  const sent = jest.spyOn(d.ssm, 'send');
  await correctDrift(run('delivery-1', [...ids.map((id): [string, number, number, number, string] => [id, 0, 0, -1, '']), ['team-app', 1, 0, -1, '']]), d);
  const calls = sent.mock.calls.map(([command]) => command.input as { Names?: string[]; Name?: string });
  const named = ledgerParameterName('pp-named');
  // Two rounds of batches (none holds a record of ours), then the named product's own reads until its ledger settles.
  expect(calls.slice(0, 6).map((input) => input.Names?.length)).toEqual([10, 10, 3, 10, 10, 3]);
  expect(calls.slice(6).length).toBeGreaterThan(0);
  expect(calls.slice(6).every((input) => input.Name === named)).toBe(true);
  expect(actions(d)).toHaveLength(24);
});

test('a ledger that cannot be read is not used: Search decides, and the run goes on', async () => {
  catalog.add('pp-1', { searchOwner: ALICE, owner: ALICE });
  catalog.add('pp-2', { searchOwner: OWNER, owner: OWNER });
  const ssm = new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  mockClient(ssm).on(GetParametersCommand).rejects(serviceError('AccessDeniedException'));
  const logs: Array<Record<string, unknown>> = [];
  const d = { ...driftDeps(), ssm, log: (message: string, details?: Record<string, unknown>) => logs.push({ message, ...details }) };
  await expect(correctDrift(run('delivery-1', [['pp-1', 0, 0, -1, ''], ['pp-2', 0, 0, -1, '']]), d)).resolves.toMatchObject({ checked: 2, corrected: 1, failed: 0 });
  expect(logs).toContainEqual(expect.objectContaining({ level: 'WARN', products: 2, cause: expect.stringContaining('AccessDeniedException') }));
});

test('a correction the ledger cannot record is still corrected; the failed write is a WARN line, not a failure', async () => {
  catalog.add('pp-1', { searchOwner: ALICE, owner: ALICE });
  const ssm = new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const mock = mockClient(ssm);
  mock.on(GetParametersCommand).resolves({ Parameters: [], InvalidParameters: [ledgerParameterName('pp-1')] });
  mock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  mock.on(PutParameterCommand).rejects(serviceError('AccessDeniedException'));
  const logs: Array<Record<string, unknown>> = [];
  const d = { ...driftDeps(), ssm, log: (message: string, details?: Record<string, unknown>) => logs.push({ message, ...details }) };
  await expect(correctDrift(run('delivery-1', [['pp-1', 0, 0, -1, '']]), d)).resolves.toMatchObject({ corrected: 1, failed: 0 });
  expect(actions(d)).toEqual([['pp-1', 'corrected']]);
  expect(logs).toContainEqual(expect.objectContaining({ level: 'WARN', productId: 'pp-1', recordId: 'rec-1', cause: expect.stringContaining('AccessDeniedException') }));
  expect(mock.commandCalls(PutParameterCommand)).toHaveLength(1);
});

test('a correction that ends while the stack is being deployed is not recorded: the deploy writes the ledger then', async () => {
  catalog.add('pp-1', { searchOwner: ALICE, owner: ALICE });
  let fences = 0;
  const guard: StackGuard = {
    check: async (_event, beforeWrite) => (!beforeWrite || ++fences === 1 ? { kind: 'in-force' } : { kind: 'stack-changing', status: 'UPDATE_IN_PROGRESS' }),
  };
  const d = { ...driftDeps(), guard };
  await expect(correctDrift(run('delivery-1', [['pp-1', 0, 0, -1, '']]), d)).resolves.toMatchObject({ corrected: 1 });
  expect(parametersOf(d.ssm).has(ledgerParameterName('pp-1'))).toBe(false);
});

describe('a read that misses the latest put (undocumented whether SSM reads are consistent after a write)', () => {
  /** The first GetParameters answers `stale` for the product's ledger; later reads answer what is stored. */
  function missingLatestPut(d: ReturnType<typeof driftDeps>, stale: Ledger | undefined) {
    const name = ledgerParameterName('pp-1');
    jest.spyOn(d.ssm, 'send').mockResolvedValueOnce((stale
      ? { Parameters: [{ Name: name, Value: serializeLedger('pp-1', stale), Type: 'String' }], InvalidParameters: [] }
      : { Parameters: [], InvalidParameters: [name] }) as never);
  }

  test.each([
    ['no ledger yet', undefined],
    ['an older record of ours', { claims: [], written: { recordId: 'rec-older', values: { OWNER } } }],
  ])('showing %s: the ledger is read again, and our latest record proves the owner', async (_, stale) => {
    catalog.add('pp-1', { searchOwner: ALICE, owner: OWNER, lastRecordId: 'rec-ours' });
    const d = driftDeps();
    putLedger(d.ssm, 'pp-1', { claims: [CLAIM], written: { recordId: 'rec-ours', values: { OWNER } } });
    missingLatestPut(d, stale);
    await expect(correctDrift(run('delivery-1', [['pp-1', 0, 0, -1, '']]), d)).resolves.toMatchObject({ drifted: 0 });
    expect(catalog.updates()).toEqual([]);
  });
});
