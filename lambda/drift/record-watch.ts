/**
 * The records of a drift run, followed together: one loop polls every record still running
 * (DescribeRecord, a bounded number at a time), then sleeps once for all of them, instead of each
 * product waiting for its own record in turn. Each record is judged as a deploy judges it
 * (judgePoll): terminal, timed out, or not found past its grace.
 */
import { PollDecision, judgePoll } from '../product/judgements';
import { pollDelayMs } from '../product/poll-schedule';
import { RecordToFollow, describeRecord } from '../product/record-poller';
import { HandlerDeps, timeoutDeadline } from '../runtime';
import { runPool } from './worker-pool';

/** The shortest pause between two sweeps over every running record. */
const SWEEP_MIN_DELAY_MS = 1_000;

/** A record of a drift run: as a deploy follows one, its deadline counted from its own start instead. */
export type WatchedRecord = Omit<RecordToFollow, 'deadline'>;

/** How a followed record ended: judged, or still running when the run had to end. */
export type WatchOutcome =
  | Exclude<PollDecision, { kind: 'pending' }>
  | { readonly kind: 'run-ended'; readonly lastStatus: string };

interface Entry extends RecordToFollow {
  status: string;
  readonly resolve: (outcome: WatchOutcome) => void;
}

export class RecordWatch {
  private readonly entries = new Set<Entry>();
  private wake?: () => void;
  private closed = false;
  /** DescribeRecord calls made, for the run's summary log line. */
  public polls = 0;

  /** `runDeadline`: no call after it; records still running then end as `run-ended`. */
  constructor(private readonly deps: HandlerDeps, private readonly runDeadline: number, private readonly concurrency: number) {}

  /** Follows a record until it ends; the promise never rejects. */
  public follow(record: WatchedRecord): Promise<WatchOutcome> {
    if (this.closed) throw new Error('RecordWatch: follow() after close()');
    return new Promise((resolve) => {
      this.entries.add({ ...record, deadline: timeoutDeadline(record.startedAt, record.timeoutSeconds), status: record.lastStatus, resolve });
      this.wake?.();
    });
  }

  /** No record will be added any more: `run()` returns once the ones it has are settled. */
  public close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** The loop; resolves when closed and every record is settled. */
  public async run(): Promise<void> {
    for (;;) {
      if (this.entries.size === 0) {
        if (this.closed) return;
        await new Promise<void>((resolve) => { this.wake = resolve; });
        this.wake = undefined;
        continue;
      }
      await runPool([...this.entries], this.concurrency, (entry) => this.poll(entry));
      const now = this.deps.now();
      if (this.entries.size > 0 && now >= this.runDeadline) {
        for (const entry of this.entries) this.settle(entry, { kind: 'run-ended', lastStatus: entry.status });
        return;
      }
      if (this.entries.size > 0) {
        // No deploy waits on a drift correction, and each sweep reads every running record: at most
        // one sweep a second, so that hundreds of records stay within quotas.
        const entries = [...this.entries];
        const youngest = Math.max(...entries.map((e) => e.startedAt));
        // Never sleep past a record's own timeout: it is judged at the sweep after it.
        const nextTimeout = Math.min(...entries.map((e) => e.deadline));
        const delay = Math.min(Math.max(SWEEP_MIN_DELAY_MS, pollDelayMs(now - youngest, 0, this.deps.random())),
          Math.max(0, nextTimeout - now), this.runDeadline - now);
        await this.deps.sleep(Math.max(0, delay));
      }
    }
  }

  private async poll(entry: Entry): Promise<void> {
    this.polls += 1;
    const observation = await describeRecord(this.deps, entry, this.runDeadline);
    if (observation.kind === 'fatal') {
      this.settle(entry, { kind: 'fail', failure: observation.failure });
      return;
    }
    const decision = judgePoll({ ...entry, now: this.deps.now(), lastStatus: entry.status }, observation);
    if (decision.kind === 'pending') {
      entry.status = decision.lastStatus;
    } else {
      this.settle(entry, decision);
    }
  }

  private settle(entry: Entry, outcome: WatchOutcome): void {
    this.entries.delete(entry);
    entry.resolve(outcome);
  }
}
