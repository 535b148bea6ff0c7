/**
 * The compliance rule judges the owner the ledger proves, as the drift check does, and never writes
 * the ledger: Search here never shows an OWNER change (../drift/lagging-catalog.ts).
 */
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { ComplianceDeps, evaluateCompliance } from '../../../lambda/compliance/evaluate';
import { Declaration } from '../../../lib/shared/declaration';
import { fakeDeps, OWNER } from '../fixtures';
import { laggingCatalog, parametersOf, putLedger } from '../drift/lagging-catalog';

const ALICE = 'arn:aws:iam::123456789012:user/alice';
const config = mockClient(ConfigServiceClient);
const scheduled = { invokingEvent: JSON.stringify({ messageType: 'ScheduledNotification', notificationCreationTime: '2026-01-01T00:00:00Z' }), resultToken: 'token' };

let catalog: ReturnType<typeof laggingCatalog>;
beforeEach(() => {
  catalog?.sc.restore();
  catalog = laggingCatalog();
  config.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
});

function complianceDeps(declarations: Declaration[]): ComplianceDeps & ReturnType<typeof fakeDeps> {
  const deps = fakeDeps();
  return Object.assign(deps, {
    config: new ConfigServiceClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    declarations: async () => ({ stackName: 'S', declarations, inputOf: new Map() }),
    emit: () => undefined,
  });
}

const evaluated = () => Object.fromEntries(config.commandCalls(PutEvaluationsCommand)
  .flatMap((c) => c.args[0].input.Evaluations!).map((e) => [e.ComplianceResourceId, e.ComplianceType]));

test('the owner our last SUCCEEDED record wrote is COMPLIANT while Search still shows the old one; a product without such a record is judged by Search', async () => {
  catalog.add('pp-corrected', { searchOwner: ALICE, owner: OWNER, lastRecordId: 'rec-ours' });
  catalog.add('pp-drifted', { searchOwner: ALICE, owner: ALICE, lastRecordId: 'rec-console' });
  const deps = complianceDeps([{ product: { id: 'pp-corrected' }, values: { OWNER } }, { product: { id: 'pp-drifted' }, values: { OWNER } }]);
  putLedger(deps.ssm, 'pp-corrected', { claims: [], written: { recordId: 'rec-ours', values: { OWNER } } });
  putLedger(deps.ssm, 'pp-drifted', { claims: [], written: { recordId: 'rec-ours-before', values: { OWNER } } });
  const written = new Map(parametersOf(deps.ssm));
  await expect(evaluateCompliance(scheduled, deps)).resolves.toMatchObject({ compliant: 1, nonCompliant: 1 });
  expect(evaluated()).toEqual({ 'pp-corrected': 'COMPLIANT', 'pp-drifted': 'NON_COMPLIANT' });
  // Read only: the ledgers are as they were, and nothing was put.
  expect(parametersOf(deps.ssm)).toEqual(written);
  expect(catalog.describedRecords()).toEqual(['rec-ours']);
});

test('a record of ours that did not succeed proves nothing: NON_COMPLIANT from Search', async () => {
  catalog.add('pp-1', { searchOwner: ALICE, owner: ALICE, lastRecordId: 'rec-ours' });
  catalog.recordStatus.set('rec-ours', 'FAILED');
  const deps = complianceDeps([{ product: { id: 'pp-1' }, values: { OWNER } }]);
  putLedger(deps.ssm, 'pp-1', { claims: [], written: { recordId: 'rec-ours', values: { OWNER } } });
  const sent = jest.spyOn(deps.ssm, 'send');
  await evaluateCompliance(scheduled, deps);
  expect(evaluated()).toEqual({ 'pp-1': 'NON_COMPLIANT' });
  expect(sent.mock.calls.filter(([command]) => command instanceof PutParameterCommand)).toEqual([]);
});
