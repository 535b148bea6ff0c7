/** The poll schedule: detection lag at every record length, the read rate, throttling and jitter. */
import { POLL_SCHEDULE, firstPollDelayMs, nextPoll, pollDelayMs } from '../../../lambda/product/poll-schedule';

/** When a record that ends `durationMs` after the change started is first seen, polling from 0 on the schedule. */
function seenAt(durationMs: number, random = () => 0): { seenAt: number; polls: number } {
  let t = 0;
  for (let polls = 1; ; polls++) {
    if (t >= durationMs) return { seenAt: t, polls };
    const next = nextPoll({ elapsedMs: t, now: t, handBackAt: Infinity, deadline: 3_600_000, random: random() });
    if (next.kind !== 'sleep') throw new Error('expected a sleep');
    t += next.ms;
  }
}

test('delays: 500 ms for 15 s, growing to 1.5 s by one minute and to 5 s by two, then 5 s', () => {
  expect([0, 14_999, 15_000, 37_500, 60_000, 90_000, 120_000, 600_000].map((e) => pollDelayMs(e))).toEqual([500, 500, 500, 1000, 1500, 3250, 5000, 5000]);
});

test.each([
  [300, 500], [3_000, 500], [10_000, 500], [60_000, 2_000],
])('a record of %i ms is seen at most %i ms late', (duration, maxLag) => {
  expect(seenAt(duration).seenAt - duration).toBeLessThanOrEqual(maxLag);
});

test('never more than 2 polls per second: the jitter only lengthens a delay, by up to 30%', () => {
  expect(seenAt(10_000).polls).toBeLessThanOrEqual(21);
  expect(pollDelayMs(0, 0, 0)).toBe(500);
  expect(pollDelayMs(0, 0, 0.999)).toBe(650);
  expect(seenAt(10_000, Math.random).seenAt - 10_000).toBeLessThanOrEqual(650);
});

test('each throttled poll doubles the delay, up to 30 s', () => {
  expect([0, 1, 2, 3, 10].map((n) => pollDelayMs(60_000, n))).toEqual([1_500, 3_000, 6_000, 12_000, POLL_SCHEDULE.throttledMaxDelayMs]);
});

test('hands back when the next poll would fall after the invocation\'s deadline, and never sleeps past the resource\'s', () => {
  expect(nextPoll({ elapsedMs: 0, now: 1_000, handBackAt: 1_400, deadline: 60_000 })).toEqual({ kind: 'hand-back' });
  expect(nextPoll({ elapsedMs: 0, now: 1_000, handBackAt: 1_500, deadline: 60_000 })).toEqual({ kind: 'sleep', ms: 500 });
  expect(nextPoll({ elapsedMs: 0, now: 2_800, handBackAt: Infinity, deadline: 3_000 })).toEqual({ kind: 'sleep', ms: 200 });
});

test('the first poll of a young record waits half to one fast delay, at random; after the fast window, none', () => {
  expect([0, 0.5, 0.999].map((r) => firstPollDelayMs(0, r))).toEqual([250, 375, 499]);
  expect(firstPollDelayMs(14_999, 0.5)).toBe(375);
  expect(firstPollDelayMs(15_000, 0.5)).toBe(0);
  expect(firstPollDelayMs(600_000, 0.999)).toBe(0);
});

test('with the random first poll, a record is seen about half a delay late whatever its length, not at a fixed offset', () => {
  let x = 12345;
  const random = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lagOf = (durationMs: number) => {
    let t = firstPollDelayMs(0, random());
    while (t < durationMs) t += pollDelayMs(t, 0, random());
    return t - durationMs;
  };
  for (const duration of [300, 3_000, 10_000]) {
    const lags = Array.from({ length: 400 }, () => lagOf(duration)).sort((a, b) => a - b);
    expect(lags[200]).toBeGreaterThan(50);
    expect(lags[200]).toBeLessThan(350);
    expect(lags[399]).toBeLessThanOrEqual(650);
  }
});
