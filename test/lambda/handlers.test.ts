import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, ProvisionedProductStatus, SearchProvisionedProductsCommand,
  ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { PRINCIPAL_PROPAGATION_WINDOW_MS } from '../../lambda/change-starter';
import { idempotencyToken, retryToken } from '../../lambda/decisions';
import { DeployFailure, isComplete, onEvent } from '../../lambda/handlers';
import { FUNCTION_SAFETY_MARGIN_MS } from '../../lambda/runtime';
import { IsCompleteRequest } from '../../lambda/types';
import { ACCOUNT, LAUNCH, OWNER, START, cfnEvent, fakeDeps, serviceError } from './fixtures';

const sc = mockClient(ServiceCatalogClient);
/** The deps of an invocation whose function times out `ms` after it started. */
const endingAfter = <D extends ReturnType<typeof fakeDeps>>(deps: D, ms: number): D => {
  const endsAt = deps.now() + ms;
  return { ...deps, remainingMs: () => endsAt - deps.now() };
};
const event = (overrides: Record<string, unknown> = {}) => cfnEvent(overrides) as IsCompleteRequest;
const state = (startPending: boolean, waitStartedAt = START) => JSON.stringify({ waitStartedAt, startPending });

/** The product's live state, as SearchProvisionedProducts and DescribeProvisionedProduct report it. */
function liveState(owner: string | undefined, launchRoleArn: string | undefined, id = 'pp-1') {
  sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: owner ? [{ Id: id, UserArn: owner }] : [] });
  sc.on(DescribeProvisionedProductCommand).resolves({ ProvisionedProductDetail: { Id: id, LaunchRoleArn: launchRoleArn } });
}

beforeEach(() => {
  sc.reset();
  liveState(`arn:aws:iam::${ACCOUNT}:user/previous-owner`, undefined);
});

describe('onEvent', () => {
  test('Create calls UpdateProvisionedProductProperties with the declared keys and a valid deterministic token', async () => {
    sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-1', Status: 'CREATED' });
    const result = await onEvent(event(), fakeDeps());
    expect(result).toEqual({
      PhysicalResourceId: 'pp-1',
      Data: { ProvisionedProductId: 'pp-1', RecordId: 'rec-1', RecordStatus: 'CREATED', Changed: 'true', HandlerState: state(false) },
    });
    const calls = sc.commandCalls(UpdateProvisionedProductPropertiesCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.ProvisionedProductProperties).toEqual({ OWNER: OWNER, LAUNCH_ROLE: LAUNCH });
    expect(input.IdempotencyToken).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,127}$/);
    expect(input.AcceptLanguage).toBeUndefined();

    await onEvent(event(), fakeDeps());
    await onEvent(event({ RequestId: 'req-2' }), fakeDeps());
    const tokens = sc.commandCalls(UpdateProvisionedProductPropertiesCommand).map((c) => c.args[0].input.IdempotencyToken);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  test('sends only the declared key, and the AcceptLanguage', async () => {
    sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-1', Status: 'CREATED' });
    await onEvent(event({ ResourceProperties: { ...event().ResourceProperties, Owner: undefined, AcceptLanguage: 'zh' } }), fakeDeps());
    const input = sc.commandCalls(UpdateProvisionedProductPropertiesCommand)[0].args[0].input;
    expect(input.ProvisionedProductProperties).toEqual({ LAUNCH_ROLE: LAUNCH });
    expect(input.AcceptLanguage).toBe('zh');
  });

  test('Update with the same id, owner and launch role makes no call', async () => {
    const props = event().ResourceProperties!;
    const result = await onEvent(event({
      RequestType: 'Update', PhysicalResourceId: 'pp-1',
      OldResourceProperties: { ...props, TimeoutSeconds: '1800', AcceptLanguage: 'en' },
    }), fakeDeps());
    expect(sc.calls()).toHaveLength(0);
    expect(result).toEqual({ PhysicalResourceId: 'pp-1', Data: {
      ProvisionedProductId: 'pp-1', RecordId: '', RecordStatus: 'UNCHANGED', Changed: 'false', HandlerState: state(false),
    } });
  });

  test.each([
    ['the owner', { Owner: `arn:aws:iam::${ACCOUNT}:role/Old` }],
    ['the launch role', { LaunchRoleArn: `arn:aws:iam::${ACCOUNT}:role/OldLaunch` }],
    ['the id', { ProvisionedProductId: 'pp-0' }],
  ])('Update where %s changed applies every declared key', async (_what, old) => {
    sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-2', Status: 'CREATED' });
    const result = await onEvent(event({
      RequestType: 'Update', PhysicalResourceId: 'pp-1', OldResourceProperties: { ...event().ResourceProperties, ...old },
    }), fakeDeps());
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)[0].args[0].input.ProvisionedProductProperties)
      .toEqual({ OWNER: OWNER, LAUNCH_ROLE: LAUNCH });
    expect(result.PhysicalResourceId).toBe('pp-1');
  });

  test('Delete makes no call and keeps the physical id, even with broken properties', async () => {
    const result = await onEvent(event({ RequestType: 'Delete', PhysicalResourceId: 'pp-1', ResourceProperties: { Owner: 'garbage' } }), fakeDeps());
    expect(result).toEqual({ PhysicalResourceId: 'pp-1' });
    expect(sc.calls()).toHaveLength(0);
  });

  test.each([
    ['ResourceNotFoundException', /Provisioned product pp-1 was not found \(ResourceNotFoundException: ResourceNotFoundException happened\)\. Check provisionedProductId/],
    ['AccessDeniedException', /UpdateProvisionedProductProperties for provisioned product pp-1 failed \(AccessDeniedException: .*\)\. Check the handler role/],
  ])('%s fails with a message that says what to do', async (name, message) => {
    sc.on(UpdateProvisionedProductPropertiesCommand).rejects(serviceError(name));
    await expect(onEvent(event(), fakeDeps())).rejects.toThrow(message);
  });

  test('invalid properties fail before any call, naming the property and value', async () => {
    await expect(onEvent(event({ ResourceProperties: { ...event().ResourceProperties, Owner: `arn:aws:iam::${ACCOUNT}:group/G` } }), fakeDeps()))
      .rejects.toThrow(new DeployFailure(`Invalid Owner "arn:aws:iam::${ACCOUNT}:group/G": expected an IAM user, IAM role or STS assumed-role ARN, `
        + 'such as "arn:aws:iam::123456789012:role/PlatformTeam". No call was made to Service Catalog. Fix the construct\'s props '
        + '(or the template\'s properties), then redeploy.'));
    expect(sc.calls()).toHaveLength(0);
  });

  test('a principal of another account than the stack is refused before any call', async () => {
    await expect(onEvent(event({ ResourceProperties: { ...event().ResourceProperties, Owner: undefined, LaunchRoleArn: 'arn:aws:iam::999999999999:role/L' } }), fakeDeps()))
      .rejects.toThrow(/Invalid LaunchRoleArn "arn:aws:iam::999999999999:role\/L": the principal is in account 999999999999, but the stack deploys to account 123456789012/);
    expect(sc.calls()).toHaveLength(0);
  });
});

test.each([
  ['a busy product (InvalidStateException)', serviceError('InvalidStateException')],
  ['a principal not accepted yet (InvalidParametersException)', serviceError('InvalidParametersException')],
  ['no answer (throttled past the SDK retries)', serviceError('ThrottlingException')],
])('%s does not fail onEvent: it makes one call, and isComplete starts the change later', async (_title, error) => {
  sc.on(UpdateProvisionedProductPropertiesCommand).rejects(error);
  const result = await onEvent(event(), fakeDeps());
  expect(result).toEqual({ PhysicalResourceId: 'pp-1', Data: {
    ProvisionedProductId: 'pp-1', Changed: 'true', RecordId: '', RecordStatus: 'PENDING', HandlerState: state(true),
  } });
  expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(1);
});

describe('isComplete when the change did not start in onEvent', () => {
  const waiting = () => event({
    PhysicalResourceId: 'pp-1',
    Data: { ProvisionedProductId: 'pp-1', RecordId: '', RecordStatus: 'PENDING', Changed: 'true', HandlerState: state(true) },
  });
  const productStatus = (...statuses: ProvisionedProductStatus[]) => {
    let chain = sc.on(DescribeProvisionedProductCommand);
    for (const status of statuses) chain = chain.resolvesOnce({ ProvisionedProductDetail: { Id: 'pp-1', Status: status } });
    chain.resolves({ ProvisionedProductDetail: { Id: 'pp-1', Status: statuses[statuses.length - 1] } });
  };

  test('reads only while the product is UNDER_CHANGE, then starts the change once and follows its record', async () => {
    sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-7', Status: 'CREATED' });
    productStatus('UNDER_CHANGE', 'UNDER_CHANGE', 'AVAILABLE');
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    const deps = fakeDeps();
    await expect(isComplete(waiting(), deps)).resolves.toEqual({ IsComplete: true, Data: { RecordId: 'rec-7', RecordStatus: 'SUCCEEDED' } });
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(1);
    // Two waits for the product, then the record's first poll after half a fast delay.
    expect(deps.sleeps).toEqual([500, 500, 250]);
  });

  test('a change that did start (its answer lost) is found in place once the product is free: no second write', async () => {
    productStatus('UNDER_CHANGE', 'AVAILABLE');
    sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: OWNER }] });
    sc.on(DescribeProvisionedProductCommand, { Id: 'pp-1' }).callsFake(() => ({ ProvisionedProductDetail: { Id: 'pp-1', Status: 'AVAILABLE', LaunchRoleArn: LAUNCH } }));
    await expect(isComplete(waiting(), fakeDeps())).resolves.toEqual({ IsComplete: true, Data: { RecordId: '', RecordStatus: 'SUCCEEDED' } });
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
  });

  test('each retry after a refusal sends a new token, never the refused one, deterministic per 5 s slot', async () => {
    sc.on(UpdateProvisionedProductPropertiesCommand)
      .rejectsOnce(serviceError('InvalidParametersException')).rejectsOnce(serviceError('InvalidParametersException'))
      .resolves({ RecordId: 'rec-8', Status: 'CREATED' });
    productStatus('AVAILABLE');
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    const deps = fakeDeps();
    deps.advance(5_000);
    await expect(isComplete(waiting(), deps)).resolves.toMatchObject({ IsComplete: true, Data: { RecordId: 'rec-8' } });
    const tokens = sc.commandCalls(UpdateProvisionedProductPropertiesCommand).map((c) => c.args[0].input.IdempotencyToken!);
    // onEvent sent idempotencyToken(event) first; these three attempts fall in one 5 s slot, and still differ.
    const first = idempotencyToken(waiting());
    expect(tokens).not.toContain(first);
    expect(tokens).toEqual([retryToken(first, 5_000, 1), retryToken(first, 5_200, 2), retryToken(first, 5_500, 3)]);
    expect(new Set(tokens).size).toBe(3);
    expect(tokens.every((t) => /^[a-f0-9]{64}$/.test(t))).toBe(true);
  });

  test('a principal still refused after the propagation window fails with what to check', async () => {
    sc.on(UpdateProvisionedProductPropertiesCommand).rejects(serviceError('InvalidParametersException'));
    productStatus('AVAILABLE');
    const deps = fakeDeps();
    deps.advance(PRINCIPAL_PROPAGATION_WINDOW_MS);
    const e = waiting();
    await expect(isComplete({ ...e, ResourceProperties: { ...e.ResourceProperties, TimeoutSeconds: '1800' } }, deps)).rejects.toThrow(
      /^Service Catalog kept rejecting the owner or launch role for provisioned product pp-1 for 120 s \(InvalidParametersException: .*\)\. A principal created moments ago/);
  });

  test('busy past the timeout fails saying the product was busy, its status, and what to do', async () => {
    productStatus('PLAN_IN_PROGRESS');
    const deps = fakeDeps();
    deps.advance(60_000);
    await expect(isComplete(waiting(), deps)).rejects.toThrow(
      /^Provisioned product pp-1 was still busy with another operation after 60 s \(status PLAN_IN_PROGRESS; the product is PLAN_IN_PROGRESS\), so its owner and launch role were not changed\. Wait until its status is AVAILABLE/);
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
  });

  test('still busy when the invocation must return, it hands back to the waiter, having sent no write', async () => {
    productStatus('UNDER_CHANGE');
    await expect(isComplete(waiting(), endingAfter(fakeDeps(), 20_000))).resolves.toEqual({ IsComplete: false });
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
  });

  test.each(['TAINTED', 'ERROR'] as const)('a %s product that Service Catalog refuses fails at once: the status does not pass by itself', async (status) => {
    sc.on(UpdateProvisionedProductPropertiesCommand).rejects(serviceError('InvalidStateException'));
    productStatus(status);
    const deps = fakeDeps();
    await expect(isComplete(waiting(), deps)).rejects.toThrow(new RegExp(`^Provisioned product pp-1 is ${status} and Service Catalog refused to change its properties`));
    expect(deps.sleeps).toEqual([]);
  });
});

describe('isComplete', () => {
  const started = (data: Record<string, string> = {}) => event({
    PhysicalResourceId: 'pp-1',
    Data: { ProvisionedProductId: 'pp-1', RecordId: 'rec-1', RecordStatus: 'CREATED', HandlerState: state(false), ...data },
  });

  test('polls 250 to 500 ms after the change started, then every 500 ms, and completes on SUCCEEDED', async () => {
    sc.on(DescribeRecordCommand)
      .resolvesOnce({ RecordDetail: { Status: 'CREATED' } })
      .resolvesOnce({ RecordDetail: { Status: 'IN_PROGRESS' } })
      .resolvesOnce({ RecordDetail: { Status: 'IN_PROGRESS_IN_ERROR' } })
      .resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    const deps = fakeDeps();
    await expect(isComplete(started(), deps)).resolves.toEqual({ IsComplete: true, Data: { RecordId: 'rec-1', RecordStatus: 'SUCCEEDED' } });
    expect(sc.commandCalls(DescribeRecordCommand)).toHaveLength(4);
    expect(sc.commandCalls(DescribeRecordCommand)[0].args[0].input).toEqual({ Id: 'rec-1', AcceptLanguage: undefined });
    expect(deps.sleeps).toEqual([250, 500, 500, 500]);
  });

  test('FAILED fails with the product, the record and every RecordErrors entry', async () => {
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'FAILED', RecordErrors: [
      { Code: 'AccessDenied', Description: 'launch role cannot be assumed' },
      { Code: 'InvalidOwner', Description: 'owner does not exist' },
    ] } });
    await expect(isComplete(started(), fakeDeps())).rejects.toThrow(
      'Service Catalog record rec-1 for provisioned product pp-1 FAILED: AccessDenied: launch role cannot be assumed; '
      + 'InvalidOwner: owner does not exist. The product keeps its previous owner and launch role. Fix the cause above, then redeploy.');
  });

  test('polls for its whole invocation, then hands back to the waiter (IsComplete false, no Data) before its function times out', async () => {
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'IN_PROGRESS' } });
    const deps = fakeDeps();
    await expect(isComplete(started(), endingAfter(deps, 40_000))).resolves.toEqual({ IsComplete: false });
    const total = deps.sleeps.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(25_000);
    expect(total).toBeLessThanOrEqual(40_000 - FUNCTION_SAFETY_MARGIN_MS);
    // The first poll waits too: one poll after each sleep.
    expect(sc.commandCalls(DescribeRecordCommand)).toHaveLength(deps.sleeps.length);
  });

  test('a later invocation polls on the slower schedule of the time since the change started', async () => {
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'IN_PROGRESS' } });
    const deps = fakeDeps();
    deps.advance(120_000);
    const e = started();
    await expect(isComplete({ ...e, ResourceProperties: { ...e.ResourceProperties, TimeoutSeconds: '600' } }, endingAfter(deps, 40_000)))
      .resolves.toEqual({ IsComplete: false });
    expect(new Set(deps.sleeps)).toEqual(new Set([5_000]));
  });

  test('past the timeout, fails naming the record and its last status', async () => {
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'IN_PROGRESS' } });
    const deps = fakeDeps();
    deps.advance(61_000);
    await expect(isComplete(started(), deps)).rejects.toThrow(
      /^Timed out after 60 s waiting for Service Catalog record rec-1 of provisioned product pp-1; its last status was IN_PROGRESS\..*describe-record --id rec-1/);
  });

  test('a timeout shorter than the window is enforced inside the window', async () => {
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'IN_PROGRESS' } });
    const deps = fakeDeps();
    const e = started();
    await expect(isComplete({ ...e, ResourceProperties: { ...e.ResourceProperties, TimeoutSeconds: '3' } }, deps))
      .rejects.toThrow(/Timed out after 3 s/);
    expect(deps.sleeps.reduce((a, b) => a + b, 0)).toBe(3000);
  });

  test.each([
    ['throttling past the SDK retries', serviceError('ThrottlingException')],
    ['a 5xx', serviceError('InternalFailure', 'server', 500)],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('%s while polling is not a failure: polling goes on', async (_title, error) => {
    sc.on(DescribeRecordCommand).rejectsOnce(error).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    await expect(isComplete(started(), fakeDeps())).resolves.toEqual({ IsComplete: true, Data: { RecordId: 'rec-1', RecordStatus: 'SUCCEEDED' } });
  });

  test('transient errors until the invocation must return hand back instead of throwing', async () => {
    sc.on(DescribeRecordCommand).rejects(serviceError('ThrottlingException'));
    await expect(isComplete(started(), endingAfter(fakeDeps(), 30_000))).resolves.toEqual({ IsComplete: false });
  });

  test('transient errors past the deadline fail with the last status and the last error', async () => {
    sc.on(DescribeRecordCommand).rejects(serviceError('ThrottlingException'));
    const deps = fakeDeps();
    deps.advance(70_000);
    await expect(isComplete(started({ RecordStatus: 'IN_PROGRESS' }), deps))
      .rejects.toThrow(/last status was IN_PROGRESS\. The last DescribeRecord call failed with: ThrottlingException: ThrottlingException happened\./);
  });

  test('a non-transient polling error fails at once with what to check', async () => {
    sc.on(DescribeRecordCommand).rejects(serviceError('AccessDeniedException'));
    await expect(isComplete(started(), fakeDeps())).rejects.toThrow(/DescribeRecord for record rec-1 of provisioned product pp-1 failed with AccessDeniedException.*servicecatalog:DescribeRecord permission/);
  });

  test('Delete and unchanged Updates complete without a call', async () => {
    await expect(isComplete(event({ RequestType: 'Delete', PhysicalResourceId: 'pp-1' }), fakeDeps())).resolves.toEqual({ IsComplete: true });
    await expect(isComplete(started({ RecordId: '', RecordStatus: 'UNCHANGED' }), fakeDeps())).resolves.toEqual({ IsComplete: true });
    expect(sc.calls()).toHaveLength(0);
  });
});
