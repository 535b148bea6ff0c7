/**
 * The fake's sense of time. Record progress, Search lag, record visibility, IAM propagation and
 * throttle refill all read it, so a test that owns a ManualClock decides exactly what the
 * service has done by now, with no race against the machine's load.
 */

export interface FakeClock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Wall-clock time: the default, for tests that run real waiters against the fake. */
export const SYSTEM_CLOCK: FakeClock = { now: () => Date.now() };

/** A clock that stands still until the test moves it. */
export class ManualClock implements FakeClock {
  private time: number;

  /** Starts at `startAt` (epoch ms), by default the current time rounded down to a second. */
  constructor(startAt = Math.floor(Date.now() / 1000) * 1000) {
    this.time = startAt;
  }

  now(): number {
    return this.time;
  }

  /** Moves the clock forward by `ms` and returns the new time. */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new Error(`a clock only moves forward; got ${ms} ms`);
    this.time += ms;
    return this.time;
  }

  /** Moves the clock to `epochMs`, which must not be in its past. */
  set(epochMs: number): void {
    this.advance(epochMs - this.time);
  }
}
