/** isComplete when onEvent could not start the change: waiting with reads only, new tokens after refusals. */
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, ProvisionedProductStatus, SearchProvisionedProductsCommand,
  ServiceCatalogClient, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { PRINCIPAL_PROPAGATION_WINDOW_MS } from '../../../lambda/product/change-starter';
import { attemptToken, idempotencyToken } from '../../../lambda/product/tokens';
import { isComplete, onEvent } from '../../../lambda/deploy/handlers';
import { IsCompleteRequest } from '../../../lambda/types';
import { ACCOUNT, LAUNCH, OWNER, START, cfnEvent, endingAfter, fakeDeps, serviceError } from '../fixtures';

const sc = mockClient(ServiceCatalogClient);
const event = (overrides: Record<string, unknown> = {}) => cfnEvent(overrides) as IsCompleteRequest;
const state = (startPending: boolean, waitStartedAt = START) => JSON.stringify({ waitStartedAt, startPending });

beforeEach(() => {
  sc.reset();
  sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: `arn:aws:iam::${ACCOUNT}:user/previous-owner` }] });
  sc.on(DescribeProvisionedProductCommand).resolves({ ProvisionedProductDetail: { Id: 'pp-1' } });
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

  test('a change that did start (its answer lost) is found in place once the product is free: no second write, its record reported', async () => {
    sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: OWNER }] });
    sc.on(DescribeProvisionedProductCommand, { Id: 'pp-1' }).resolvesOnce({ ProvisionedProductDetail: { Id: 'pp-1', Status: 'UNDER_CHANGE', LastRecordId: 'rec-ours' } })
      .resolves({ ProvisionedProductDetail: { Id: 'pp-1', Status: 'AVAILABLE', LaunchRoleArn: LAUNCH, LastRecordId: 'rec-ours' } });
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    const before = event({ PhysicalResourceId: 'pp-1', Data: { ProvisionedProductId: 'pp-1', RecordId: '', RecordStatus: 'PENDING', Changed: 'true',
      HandlerState: JSON.stringify({ waitStartedAt: START, startPending: true, lastRecordIdBefore: 'rec-before' }) } });
    await expect(isComplete(before, fakeDeps())).resolves.toEqual({ IsComplete: true, Data: { RecordId: 'rec-ours', RecordStatus: 'SUCCEEDED', Changed: 'true' } });
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(0);
  });

  test('found in place with the last record onEvent saw: no change of this deploy, UNCHANGED', async () => {
    sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: OWNER }] });
    sc.on(DescribeProvisionedProductCommand).resolves({ ProvisionedProductDetail: { Id: 'pp-1', Status: 'AVAILABLE', LaunchRoleArn: LAUNCH, LastRecordId: 'rec-before' } });
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    const before = event({ PhysicalResourceId: 'pp-1', Data: { ProvisionedProductId: 'pp-1', RecordId: '', RecordStatus: 'PENDING', Changed: 'true',
      HandlerState: JSON.stringify({ waitStartedAt: START, startPending: true, lastRecordIdBefore: 'rec-before' }) } });
    await expect(isComplete(before, fakeDeps())).resolves.toEqual({ IsComplete: true, Data: { RecordId: '', RecordStatus: 'UNCHANGED', Changed: 'false' } });
  });

  test('each retry after a refusal sends the next token of the chain; the chain starts again from the request\'s own token', async () => {
    sc.on(UpdateProvisionedProductPropertiesCommand)
      .rejectsOnce(serviceError('InvalidParametersException')).rejectsOnce(serviceError('InvalidParametersException'))
      .resolves({ RecordId: 'rec-8', Status: 'CREATED' });
    productStatus('AVAILABLE');
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    const deps = fakeDeps();
    deps.advance(5_000);
    await expect(isComplete(waiting(), deps)).resolves.toMatchObject({ IsComplete: true, Data: { RecordId: 'rec-8' } });
    const tokens = sc.commandCalls(UpdateProvisionedProductPropertiesCommand).map((c) => c.args[0].input.IdempotencyToken!);
    // A replay of the request's own token first (it may have made a change), a new token only after each refusal.
    const first = idempotencyToken(waiting());
    expect(tokens).toEqual([first, attemptToken(first, 1), attemptToken(first, 2)]);
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

  test('InvalidStateException on a product shown AVAILABLE (its record may still run: undocumented) is waited on, then the change is made', async () => {
    sc.on(UpdateProvisionedProductPropertiesCommand).rejectsOnce(serviceError('InvalidStateException')).resolves({ RecordId: 'rec-9', Status: 'CREATED' });
    productStatus('AVAILABLE');
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    await expect(isComplete(waiting(), fakeDeps())).resolves.toMatchObject({ IsComplete: true, Data: { RecordId: 'rec-9', RecordStatus: 'SUCCEEDED' } });
    expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(2);
  });
});
