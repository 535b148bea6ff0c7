/**
 * The Service Catalog client, configured once. Throttling and transient faults are retried by
 * the SDK's own adaptive retry strategy (client-side rate limiting plus backoff), configured here
 * rather than re-implemented: its default of 3 attempts does not outlast a burst of throttling.
 */
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { HandlerDeps } from './runtime';

export const SDK_MAX_ATTEMPTS = 8;

let client: ServiceCatalogClient | undefined;

/** One client per Lambda container; the endpoint honours AWS_ENDPOINT_URL_SERVICE_CATALOG. */
export function serviceCatalogClient(): ServiceCatalogClient {
  client ??= new ServiceCatalogClient({
    retryMode: 'adaptive',
    maxAttempts: SDK_MAX_ATTEMPTS,
    // A slow response is abandoned and retried, not waited on: without throwOnRequestTimeout the
    // SDK only logs a warning when requestTimeout passes.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000, throwOnRequestTimeout: true },
  });
  return client;
}

/** The name given to a call abandoned because the invocation ran out of time. */
export const OUT_OF_TIME = 'OutOfTime';

/**
 * Makes a call, with the SDK's retries, but never past `deadline`: one call with 8 attempts of up
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
