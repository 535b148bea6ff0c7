/**
 * How often a wait reads Service Catalog. Each isComplete invocation polls until its own deadline
 * (the function's timeout less a margin), so after the first minute the waiter re-invokes it about
 * once every two minutes, not every 5 s. The delay grows with the time since the change started:
 * a record of 0.3 s, 3 s or 10 s is seen within about half a second, one of a minute within 2 s
 * (jitter included), and a resource never reads more than twice a second. Throttled reads stretch the delay, and every
 * delay is lengthened at random, so hundreds of resources waiting at once spread their reads out.
 */
export const POLL_SCHEDULE = {
  /** For the first 15 s: at most 2 DescribeRecord calls per second. */
  fastDelayMs: 500,
  fastForMs: 15_000,
  /** Reached 60 s after the change started, growing linearly from the fast delay: with the jitter, under 2 s. */
  slowDelayMs: 1_500,
  slowByMs: 60_000,
  /** Reached 2 minutes after the change started, and kept. */
  maxDelayMs: 5_000,
  maxByMs: 120_000,
  /** Each throttled poll doubles the delay, up to this. */
  throttledMaxDelayMs: 30_000,
  /** Up to 30% added to each delay, at random: never shorter, so never more than 2 reads a second. */
  jitter: 0.3,
} as const;

/** The delay before the next poll, `elapsedMs` after the change started; `random` in [0, 1). */
export function pollDelayMs(elapsedMs: number, throttledPolls = 0, random = 0): number {
  const s = POLL_SCHEDULE;
  const ramp = (from: number, to: number, start: number, end: number) => from + (to - from) * Math.min(1, Math.max(0, (elapsedMs - start) / (end - start)));
  const base = elapsedMs < s.fastForMs ? s.fastDelayMs
    : elapsedMs < s.slowByMs ? ramp(s.fastDelayMs, s.slowDelayMs, s.fastForMs, s.slowByMs)
      : ramp(s.slowDelayMs, s.maxDelayMs, s.slowByMs, s.maxByMs);
  const throttled = Math.min(s.throttledMaxDelayMs, base * 2 ** throttledPolls);
  return Math.round(throttled * (1 + s.jitter * random));
}

/**
 * The wait before the first poll of a record, `elapsedMs` after the change started: half to one
 * fast delay (250 to 500 ms), at random (`random` in [0, 1)), while the record is young; none
 * later (a later invocation already follows the waiter's interval). Polling at once finds a
 * change still CREATED, a read wasted, and fixes every later poll at the same offsets from the
 * record's start, so that a record of a given length is always seen equally late (a 3 s record
 * 0.45 s late). The random first poll shifts that phase, a record done within it is read once,
 * and the first reads of resources that start together are spread out.
 */
export function firstPollDelayMs(elapsedMs: number, random = 0): number {
  return elapsedMs < POLL_SCHEDULE.fastForMs ? Math.floor(POLL_SCHEDULE.fastDelayMs * (0.5 + 0.5 * random)) : 0;
}

export type NextPoll = { readonly kind: 'sleep'; readonly ms: number } | { readonly kind: 'hand-back' };

/**
 * After an inconclusive poll: sleep and poll again, never past the resource's deadline, or hand
 * back to the waiter when the next poll would fall after `handBackAt` (the invocation's deadline).
 */
export function nextPoll(args: { elapsedMs: number; now: number; handBackAt: number; deadline: number; throttledPolls?: number; random?: number }): NextPoll {
  const wakeAt = Math.min(args.now + pollDelayMs(args.elapsedMs, args.throttledPolls, args.random), args.deadline);
  return wakeAt > args.handBackAt ? { kind: 'hand-back' } : { kind: 'sleep', ms: Math.max(0, wakeAt - args.now) };
}
