/** The SDK's retry, as configured for Service Catalog: more attempts while throttled, a capped full-jitter backoff. */
import { DescribeRecordCommand, ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { CappedJitterBackoff, RETRY, ServiceCatalogRetryStrategy } from '../../lambda/service-catalog';
import { serviceError } from './fixtures';

/** A rate limiter that never waits, so that only the attempts are counted. */
const noRateLimit = { getSendToken: async () => undefined, updateClientSendingRate: () => undefined };
const noWait = () => new ServiceCatalogRetryStrategy(new CappedJitterBackoff(() => 0), noRateLimit);

/** A client whose every attempt is answered by `answer` (attempt number from 1), counting the attempts. */
function clientAnswering(answer: (attempt: number) => unknown) {
  const client = new ServiceCatalogClient({
    region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, retryStrategy: noWait(), maxAttempts: RETRY.throttledMaxAttempts,
  });
  let attempts = 0;
  client.middlewareStack.add((() => async () => {
    attempts++;
    const outcome = answer(attempts);
    if (outcome instanceof Error) throw outcome;
    return { response: {}, output: { $metadata: {}, ...(outcome as object) } };
  }) as never, { step: 'finalizeRequest', priority: 'low' });
  return { client, attempts: () => attempts };
}

describe('backoff', () => {
  test('full jitter: a random share of base × 2^retries', () => {
    const backoff = new CappedJitterBackoff(() => 0.5);
    backoff.setDelayBase(1_000);
    expect([0, 1, 2].map((r) => backoff.computeNextBackoffDelay(r))).toEqual([500, 1_000, 2_000]);
  });

  test(`never waits longer than ${RETRY.maxDelayMs} ms (the SDK's cap is 20 s)`, () => {
    const backoff = new CappedJitterBackoff(() => 0.999999);
    backoff.setDelayBase(1_000);
    expect(backoff.computeNextBackoffDelay(10)).toBe(RETRY.maxDelayMs - 1);
    expect(new CappedJitterBackoff(() => 0).computeNextBackoffDelay(10)).toBe(0);
  });
});

describe('attempts', () => {
  test(`a throttled call is retried up to ${RETRY.throttledMaxAttempts} attempts, and then fails with the throttling error`, async () => {
    const { client, attempts } = clientAnswering(() => serviceError('ThrottlingException'));
    await expect(client.send(new DescribeRecordCommand({ Id: 'rec-1' }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(attempts()).toBe(RETRY.throttledMaxAttempts);
  });

  test('a call that gets through after 30 throttles succeeds', async () => {
    const { client, attempts } = clientAnswering((n) => (n <= 30 ? serviceError('ThrottlingException') : { RecordDetail: { Status: 'SUCCEEDED' } }));
    await expect(client.send(new DescribeRecordCommand({ Id: 'rec-1' }))).resolves.toMatchObject({ RecordDetail: { Status: 'SUCCEEDED' } });
    expect(attempts()).toBe(31);
  });

  test(`other retryable errors (HTTP 5xx) stop after ${RETRY.maxAttempts} attempts`, async () => {
    const { client, attempts } = clientAnswering(() => serviceError('InternalFailure', 'server', 500));
    await expect(client.send(new DescribeRecordCommand({ Id: 'rec-1' }))).rejects.toMatchObject({ name: 'InternalFailure' });
    expect(attempts()).toBe(RETRY.maxAttempts);
  });

  test('an error that is not retryable is not retried', async () => {
    const { client, attempts } = clientAnswering(() => serviceError('ResourceNotFoundException'));
    await expect(client.send(new DescribeRecordCommand({ Id: 'rec-1' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(attempts()).toBe(1);
  });
});

test('the handlers\' client uses this strategy', async () => {
  const { serviceCatalogClient } = await import('../../lambda/service-catalog');
  process.env.AWS_REGION ??= 'us-east-1';
  expect(await serviceCatalogClient().config.retryStrategy()).toBeInstanceOf(ServiceCatalogRetryStrategy);
});
