/**
 * The stack guard's verdicts from what CloudFormation and EventBridge answer: the payload in force
 * only when it is one of the rule's target inputs; no write while the stack changes or once it is
 * gone; a read that gets no answer is pending, a refused one is for a person.
 */
import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, EventBridgeServiceException, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { stackGuardFromEnvironment } from '../../../lambda/drift/stack-guard';
import { DRIFT_EVENT_KIND, DriftCorrectionEvent } from '../../../lib/shared/drift-payload';
import { OWNER, fakeDeps } from '../fixtures';

const cfn = mockClient(CloudFormationClient);
const eb = mockClient(EventBridgeClient);
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/guid';
const ENV = { DRIFT_RULE_NAME: 'S-DriftCorrection-0123abcd', DRIFT_STACK_ID: STACK_ID };
const payload: DriftCorrectionEvent = { kind: DRIFT_EVENT_KIND, stackName: 'S', owners: [OWNER], launchRoles: [], products: [['pp-1', 0, 0, -1, '']] };
const template = (p: DriftCorrectionEvent) => JSON.stringify({ kind: p.kind, stackName: p.stackName, id: '<id>', time: '<time>', owners: p.owners,
  launchRoles: p.launchRoles, products: p.products }).replace('"<id>"', '<id>').replace('"<time>"', '<time>');
const guard = () => stackGuardFromEnvironment(fakeDeps(), ENV);
const error = (name: string, fault: 'client' | 'server' = 'client') => new CloudFormationServiceException({ name, $fault: fault, $metadata: {}, message: `${name}: Stack with id ${STACK_ID} does not exist` });

beforeEach(() => {
  cfn.reset();
  eb.reset();
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'S', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
  eb.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: 'T0', Arn: 'arn:fn', InputTransformer: { InputPathsMap: { id: '$.id' }, InputTemplate: template(payload) } }] });
});

test('a payload that is one of the rule\'s target inputs is in force; with its event id and time it still is', async () => {
  await expect(guard().check({ ...payload, id: 'e-1', time: 't' } as DriftCorrectionEvent, true, Infinity)).resolves.toEqual({ kind: 'in-force' });
});

test('any other payload is not in force, and stays so for the run without further reads', async () => {
  const g = guard();
  await expect(g.check({ ...payload, owners: ['arn:aws:iam::123456789012:user/mallory'] }, false, Infinity)).resolves.toMatchObject({ kind: 'not-in-force', targets: 1 });
  await expect(g.check(payload, false, Infinity)).resolves.toMatchObject({ kind: 'not-in-force' });
  expect(eb.commandCalls(ListTargetsByRuleCommand)).toHaveLength(1);
});

test('without the environment the template gives the function, nothing is in force', async () => {
  await expect(stackGuardFromEnvironment(fakeDeps(), {}).check(payload, false, Infinity)).resolves.toMatchObject({ kind: 'not-in-force' });
});

test.each(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'DELETE_IN_PROGRESS'])(
  'before a write, a stack %s is changing: no write', async (status) => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'S', StackStatus: status as never, CreationTime: new Date() }] });
    await expect(guard().check(payload, true, Infinity)).resolves.toEqual({ kind: 'stack-changing', status });
  });

test.each(['DELETE_COMPLETE', 'ROLLBACK_COMPLETE'])('before a write, a stack %s is gone', async (status) => {
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'S', StackStatus: status as never, CreationTime: new Date() }] });
  await expect(guard().check(payload, true, Infinity)).resolves.toMatchObject({ kind: 'stack-gone' });
});

test('a stack CloudFormation no longer knows, or a rule that is gone, is gone', async () => {
  cfn.on(DescribeStacksCommand).rejects(error('ValidationError'));
  await expect(guard().check(payload, true, Infinity)).resolves.toMatchObject({ kind: 'stack-gone' });
  eb.on(ListTargetsByRuleCommand).rejects(new EventBridgeServiceException({ name: 'ResourceNotFoundException', $fault: 'client', $metadata: {}, message: 'no rule' }));
  await expect(guard().check(payload, false, Infinity)).resolves.toMatchObject({ kind: 'stack-gone' });
});

test('a read with no answer is unreadable and retryable; access denied is not retryable', async () => {
  cfn.on(DescribeStacksCommand).rejects(error('Throttling'));
  await expect(guard().check(payload, true, Infinity)).resolves.toMatchObject({ kind: 'unreadable', retryable: true });
  cfn.on(DescribeStacksCommand).rejects(error('AccessDenied'));
  await expect(guard().check(payload, true, Infinity)).resolves.toMatchObject({ kind: 'unreadable', retryable: false });
});
