/**
 * Throttling as AWS services do it: a token bucket per operation for the whole account, refilled
 * at `ratePerSecond` up to `burst`. Service Catalog's quotas are not published, so the rates are
 * the test's to choose (switch `throttle`); the SSM fake uses the same buckets. Refill is computed
 * from the fake's clock on each request, so on a ManualClock the bucket only refills when the test
 * moves the clock.
 */
import { ThrottleSettings } from './switches';

/** Float slack, so that e.g. 200 ms at 5/s refills a whole token. */
const EPSILON = 1e-9;

export class TokenBuckets<Op extends string> {
  private settings: ThrottleSettings<Op> | undefined;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * Takes a token from the operation's bucket at `now`; false when there is none and the call is
   * throttled (a throttled call takes nothing). New settings start every bucket full.
   */
  take(settings: ThrottleSettings<Op> | undefined, operation: Op, now: number): boolean {
    if (settings !== this.settings) {
      this.settings = settings;
      this.buckets.clear();
    }
    if (!settings) return true;
    const { ratePerSecond, burst } = settings.operations?.[operation] ?? settings;
    const bucket = this.buckets.get(operation) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) * ratePerSecond) / 1000);
    const allowed = tokens >= 1 - EPSILON;
    this.buckets.set(operation, { tokens: allowed ? Math.max(0, tokens - 1) : tokens, at: now });
    return allowed;
  }
}
