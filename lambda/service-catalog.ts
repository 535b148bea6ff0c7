/**
 * The Service Catalog client, configured once. Throttling and transient faults are retried by
 * the SDK's own adaptive retry strategy (client-side rate limiting plus backoff), configured here
 * rather than re-implemented: its default of 3 attempts does not outlast a burst of throttling.
 */
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

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

/** True for errors that may pass if we ask again later: throttling, 5xx, timeouts, resets. */
export function isRetryableLater(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  const sdkError = error as Parameters<typeof isTransientError>[0];
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

/** `Name: message`, for operator-facing messages. */
export function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
