/**
 * What keeps the calls per instance low when hundreds of declarations deploy under the account's
 * throttling (bench "many at once"): reads made one after the other, each read made once.
 */
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient,
  UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { mockClient } from 'aws-sdk-client-mock';
import { isComplete, onEvent } from '../../../lambda/deploy/handlers';
import { IsCompleteRequest } from '../../../lambda/types';
import { LAUNCH, OWNER, START, cfnEvent, fakeDeps } from '../fixtures';

const sc = mockClient(ServiceCatalogClient);
beforeEach(() => sc.reset());

/** Answers after a turn of the event loop, logging when each call starts and ends. */
function logged<T>(log: string[], name: string, output: T) {
  return async () => {
    log.push(`${name} start`);
    await new Promise((resolve) => setImmediate(resolve));
    log.push(`${name} end`);
    return output;
  };
}

test('onEvent reads the launch role, then the owner: one read at a time, each once', async () => {
  const log: string[] = [];
  sc.on(DescribeProvisionedProductCommand).callsFake(logged(log, 'DescribeProvisionedProduct',
    { ProvisionedProductDetail: { Id: 'pp-1', Status: 'AVAILABLE', LaunchRoleArn: 'arn:aws:iam::123456789012:role/Old' } }));
  sc.on(SearchProvisionedProductsCommand).callsFake(logged(log, 'SearchProvisionedProducts',
    { ProvisionedProducts: [{ Id: 'pp-1', UserArn: 'arn:aws:iam::123456789012:user/previous' }] }));
  sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-1', Status: 'CREATED' });
  await onEvent(cfnEvent(), fakeDeps());
  expect(log).toEqual(['DescribeProvisionedProduct start', 'DescribeProvisionedProduct end', 'SearchProvisionedProducts start', 'SearchProvisionedProducts end']);
  expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)).toHaveLength(1);
});

test('isComplete, waiting to start the change: one DescribeProvisionedProduct per try, its launch role reused', async () => {
  sc.on(DescribeProvisionedProductCommand)
    .resolvesOnce({ ProvisionedProductDetail: { Id: 'pp-1', Status: 'UNDER_CHANGE' } })
    .resolves({ ProvisionedProductDetail: { Id: 'pp-1', Status: 'AVAILABLE', LaunchRoleArn: LAUNCH } });
  sc.on(SearchProvisionedProductsCommand).resolves({ ProvisionedProducts: [{ Id: 'pp-1', UserArn: 'arn:aws:iam::123456789012:user/previous' }] });
  sc.on(UpdateProvisionedProductPropertiesCommand).resolves({ RecordId: 'rec-2', Status: 'CREATED' });
  sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
  const event = cfnEvent({
    PhysicalResourceId: 'pp-1',
    Data: { ProvisionedProductId: 'pp-1', RecordId: '', RecordStatus: 'PENDING', Changed: 'true', HandlerState: JSON.stringify({ waitStartedAt: START, startPending: true }) },
  }) as IsCompleteRequest;
  await expect(isComplete(event, fakeDeps())).resolves.toMatchObject({ IsComplete: true, Data: { RecordId: 'rec-2' } });
  // Two tries: busy, then free. The second try's launch role comes from its own status read.
  expect(sc.commandCalls(DescribeProvisionedProductCommand)).toHaveLength(2);
  expect(sc.commandCalls(SearchProvisionedProductsCommand)).toHaveLength(1);
  expect(sc.commandCalls(UpdateProvisionedProductPropertiesCommand)[0].args[0].input.ProvisionedProductProperties)
    .toEqual({ OWNER, LAUNCH_ROLE: LAUNCH });
});

describe('the first poll of a record', () => {
  const following = (waitStartedAt: number) => cfnEvent({
    PhysicalResourceId: 'pp-1',
    Data: { ProvisionedProductId: 'pp-1', RecordId: 'rec-3', RecordStatus: 'CREATED', Changed: 'true', HandlerState: JSON.stringify({ waitStartedAt, startPending: false }) },
  }) as IsCompleteRequest;

  test('of a record just started waits half to one fast delay, at random, then reads once for a record done by then', async () => {
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    const deps = { ...fakeDeps(), random: () => 0.6 };
    const sleeps: number[] = [];
    await expect(isComplete(following(START), { ...deps, sleep: async (ms) => { sleeps.push(ms); await deps.sleep(ms); } }))
      .resolves.toMatchObject({ IsComplete: true });
    expect(sleeps).toEqual([400]);
    expect(sc.commandCalls(DescribeRecordCommand)).toHaveLength(1);
  });

  test('in a later invocation, past the fast window, is made at once', async () => {
    sc.on(DescribeRecordCommand).resolves({ RecordDetail: { Status: 'SUCCEEDED' } });
    const deps = { ...fakeDeps(), random: () => 0.6 };
    deps.advance(20_000);
    const sleeps: number[] = [];
    await isComplete(following(START), { ...deps, sleep: async (ms) => { sleeps.push(ms); } });
    expect(sleeps).toEqual([]);
  });
});

describe('the poll schedule runs from when each poll was sent', () => {
  const following = () => cfnEvent({
    PhysicalResourceId: 'pp-1',
    Data: { ProvisionedProductId: 'pp-1', RecordId: 'rec-4', RecordStatus: 'CREATED', Changed: 'true', HandlerState: JSON.stringify({ waitStartedAt: START, startPending: false }) },
  }) as IsCompleteRequest;

  test('a poll that takes 200 ms is followed by 300 ms of sleep, not 500', async () => {
    const deps = fakeDeps();
    let polls = 0;
    sc.on(DescribeRecordCommand).callsFake(async () => {
      deps.advance(200);
      return { RecordDetail: { Status: ++polls < 3 ? 'IN_PROGRESS' : 'SUCCEEDED' }, $metadata: { attempts: 1 } };
    });
    await expect(isComplete(following(), deps)).resolves.toMatchObject({ IsComplete: true });
    expect(deps.sleeps).toEqual([250, 300, 300]);
  });

  test('after a throttled poll, the (doubled) delay runs from its answer', async () => {
    const deps = fakeDeps();
    let polls = 0;
    sc.on(DescribeRecordCommand).callsFake(async () => {
      deps.advance(200);
      return { RecordDetail: { Status: ++polls < 2 ? 'IN_PROGRESS' : 'SUCCEEDED' }, $metadata: { attempts: polls === 1 ? 3 : 1 } };
    });
    await isComplete(following(), deps);
    expect(deps.sleeps).toEqual([250, 1_000]);
  });
});
