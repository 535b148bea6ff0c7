import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, SearchProvisionedProductsCommand,
  ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { isComplete, onEvent } from '../../../lambda/deploy/handlers';
import { FUNCTION_SAFETY_MARGIN_MS } from '../../../lambda/runtime';
import { IsCompleteRequest } from '../../../lambda/types';
import { ACCOUNT, LAUNCH, OWNER, START, cfnEvent, endingAfter, fakeDeps, serviceError } from '../fixtures';

const sc = mockClient(ServiceCatalogClient);
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
      Data: { ProvisionedProductId: 'pp-1', RecordId: 'rec-1', RecordStatus: 'CREATED', Changed: 'true', HandlerState: JSON.stringify({ waitStartedAt: START, startPending: false, changeAnsweredAt: START }) },
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
      .rejects.toThrow(`Invalid Owner "arn:aws:iam::${ACCOUNT}:group/G": expected an IAM user, IAM role or STS assumed-role ARN, `
        + 'such as "arn:aws:iam::123456789012:role/PlatformTeam". No call was made to Service Catalog. Fix the construct\'s props '
        + '(or the template\'s properties), then redeploy.');
    expect(sc.calls()).toHaveLength(0);
  });

  test('a principal of another account than the stack is refused before any call', async () => {
    await expect(onEvent(event({ ResourceProperties: { ...event().ResourceProperties, Owner: undefined, LaunchRoleArn: 'arn:aws:iam::999999999999:role/L' } }), fakeDeps()))
      .rejects.toThrow(/Invalid LaunchRoleArn "arn:aws:iam::999999999999:role\/L": the principal is in account 999999999999, but the stack deploys to account 123456789012/);
    expect(sc.calls()).toHaveLength(0);
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
