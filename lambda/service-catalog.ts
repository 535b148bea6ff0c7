/**
 * The Service Catalog client, configured once per Lambda container. Throttling and transient
 * faults are retried by the SDK's own adaptive retry strategy (client-side rate limiting plus
 * backoff), tuned here rather than re-implemented (docs/design.md, "Throttling"):
 * - Service Catalog throttles per account, and its quotas are not published. When hundreds of
 *   declarations deploy at once, each container's calls wait their turn behind the others' for as
 *   long as the queue lasts, so a throttled call is retried up to RETRY.throttledMaxAttempts
 *   times; the invocation's deadline (`callBefore`) still bounds it. Other transient errors (HTTP
 *   5xx, timeouts, resets) keep RETRY.maxAttempts: more attempts would not make them pass.
 * - Each wait is a random share of base × 2^retries (full jitter; the SDK sets the base: 1 s after
 *   a throttle, 50 ms otherwise), capped at RETRY.maxDelayMs instead of the SDK's 20 s: near the
 *   end of a queue, clients asleep for up to 20 s leave the account's rate unused while they sleep.
 * - The SDK's retry quota (a per-client budget that stops retry storms) is kept as it is.
 */
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { AdaptiveRetryStrategy, isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { HandlerDeps } from './runtime';

export const RETRY = {
  /** Attempts of one call while Service Catalog answers it with throttling. */
  throttledMaxAttempts: 40,
  /** Attempts of one call that meets any other retryable error. */
  maxAttempts: 8,
  /** The longest single wait between two attempts. */
  maxDelayMs: 5_000,
} as const;

type RetryToken = Parameters<AdaptiveRetryStrategy['refreshRetryTokenForRetry']>[0];
type RetryErrorInfo = Parameters<AdaptiveRetryStrategy['refreshRetryTokenForRetry']>[1];
type RateLimiter = NonNullable<NonNullable<ConstructorParameters<typeof AdaptiveRetryStrategy>[1]>['rateLimiter']>;

/** Full jitter, capped at RETRY.maxDelayMs: `random` × min(cap, base × 2^retries). */
export class CappedJitterBackoff {
  private base = 50;

  constructor(private readonly random: () => number = Math.random) {}

  /** Called by the SDK before each wait: 1 s after a throttle, 50 ms after another error. */
  setDelayBase(ms: number): void {
    this.base = ms;
  }

  computeNextBackoffDelay(retries: number): number {
    return Math.floor(this.random() * Math.min(RETRY.maxDelayMs, this.base * 2 ** retries));
  }
}

/**
 * The SDK's adaptive strategy with the backoff above, up to RETRY.throttledMaxAttempts attempts
 * while throttled, and no retry after RETRY.maxAttempts for an error that is not throttling.
 */
export class ServiceCatalogRetryStrategy {
  readonly mode = 'adaptive';
  private readonly adaptive: AdaptiveRetryStrategy;

  /** `rateLimiter`: the SDK's client-side rate limiter (DefaultRateLimiter) unless given. */
  constructor(backoff = new CappedJitterBackoff(), rateLimiter?: RateLimiter) {
    this.adaptive = new AdaptiveRetryStrategy(RETRY.throttledMaxAttempts, { maxAttempts: RETRY.throttledMaxAttempts, backoff, rateLimiter });
  }

  acquireInitialRetryToken(scope: string) {
    return this.adaptive.acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo) {
    if (errorInfo.errorType !== 'THROTTLING' && token.getRetryCount() + 1 >= RETRY.maxAttempts) {
      // The SDK's own wording when it will not retry; it then throws the call's last error.
      throw new Error('No retry token available');
    }
    return this.adaptive.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: RetryToken): void {
    this.adaptive.recordSuccess(token);
  }
}

let client: ServiceCatalogClient | undefined;

/** One client per Lambda container; the endpoint honours AWS_ENDPOINT_URL_SERVICE_CATALOG. */
export function serviceCatalogClient(): ServiceCatalogClient {
  client ??= new ServiceCatalogClient({
    retryStrategy: new ServiceCatalogRetryStrategy(),
    maxAttempts: RETRY.throttledMaxAttempts,
    // A slow response is abandoned and retried, not waited on: without throwOnRequestTimeout the
    // SDK only logs a warning when requestTimeout passes.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000, throwOnRequestTimeout: true },
  });
  return client;
}

/** The name given to a call abandoned because the invocation ran out of time. */
export const OUT_OF_TIME = 'OutOfTime';

/**
 * Makes a call, with the SDK's retries, but never past `deadline`: one call with up to 40 attempts of up
 * to 15 s each could otherwise outlive the Lambda function that makes it.
 */
export async function callBefore<T>(deps: HandlerDeps, deadline: number,
  call: (options: { abortSignal?: AbortSignal }) => Promise<T>): Promise<T> {
  const ms = Math.floor(deadline - deps.now());
  if (ms <= 0) {
    throw outOfTime();
  }
  try {
    // Outside Lambda (no deadline) the SDK's own retries and timeouts bound the call.
    return await call(Number.isFinite(ms) ? { abortSignal: AbortSignal.timeout(ms) } : {});
  } catch (error) {
    throw isAbort(error) ? outOfTime() : error;
  }
}

function outOfTime(): Error {
  const error = new Error('the call was abandoned: this invocation had no time left for it');
  error.name = OUT_OF_TIME;
  return error;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** True for errors that may pass if we ask again later: throttling, 5xx, timeouts, resets, running out of time. */
export function isRetryableLater(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  if (error.name === OUT_OF_TIME) {
    return true;
  }
  const sdkError = error as Parameters<typeof isTransientError>[0];
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

/** True when Service Catalog refused the call for its rate. */
export function isThrottling(error: unknown): boolean {
  return error instanceof Error && isThrottlingError(error as Parameters<typeof isThrottlingError>[0]);
}

/** `Name: message`, for operator-facing messages. */
export function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
