/**
 * A record's life as a timeline: the statuses it goes through, each with the fake-clock time it
 * starts. Its status is whatever the timeline says at the moment it is read.
 */
import { RecordStatus } from './model-constraints';

export interface RecordErrorDetail {
  readonly Code: string;
  readonly Description: string;
}

/** How a record created by UpdateProvisionedProductProperties ends. */
export type RecordOutcome =
  | { readonly status: 'SUCCEEDED' }
  | {
    readonly status: 'FAILED';
    readonly errors?: readonly RecordErrorDetail[];
    /** Pass through IN_PROGRESS_IN_ERROR (from half the duration) before FAILED. */
    readonly inErrorFirst?: boolean;
    /** The product's status once the record failed; AVAILABLE unless told otherwise. */
    readonly productStatusAfter?: 'AVAILABLE' | 'TAINTED' | 'ERROR';
  }
  /** The record never leaves IN_PROGRESS (until `resolveRecord`). */
  | { readonly stuck: true };

export type RecordType = 'PROVISION_PRODUCT' | 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES';

export interface StatusChange {
  readonly status: RecordStatus;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** What the timeline helpers need of a stored record. */
export interface TimedRecord {
  readonly createdAt: number;
  readonly timeline: readonly StatusChange[];
  readonly errors: readonly RecordErrorDetail[];
}

const TERMINAL: readonly RecordStatus[] = ['SUCCEEDED', 'FAILED'];
/** Share of the duration a record spends in CREATED before IN_PROGRESS. */
const CREATED_SHARE = 0.1;
/** Share of the duration after which an inErrorFirst record shows IN_PROGRESS_IN_ERROR. */
const IN_ERROR_SHARE = 0.5;

export function statusAt(record: TimedRecord, now: number): RecordStatus {
  let status = record.timeline[0].status;
  for (const change of record.timeline) if (change.at <= now) status = change.status;
  return status;
}

export function updatedAt(record: TimedRecord, now: number): number {
  let at = record.createdAt;
  for (const change of record.timeline) if (change.at <= now) at = change.at;
  return at;
}

export function terminalAt(record: TimedRecord): number | undefined {
  const last = record.timeline[record.timeline.length - 1];
  return TERMINAL.includes(last.status) ? last.at : undefined;
}

/** Errors show up once the record is in error, as on the real service. */
export function visibleErrors(record: TimedRecord, now: number): readonly RecordErrorDetail[] {
  const status = statusAt(record, now);
  return status === 'FAILED' || status === 'IN_PROGRESS_IN_ERROR' ? record.errors : [];
}

/** The statuses a new record will go through, with the fake-clock time of each. */
export function plannedTimeline(outcome: RecordOutcome, createdAt: number, durationMs: number): StatusChange[] {
  const timeline: StatusChange[] = [
    { status: 'CREATED', at: createdAt },
    { status: 'IN_PROGRESS', at: createdAt + Math.round(durationMs * CREATED_SHARE) },
  ];
  if ('stuck' in outcome) return timeline;
  if (outcome.status === 'FAILED' && outcome.inErrorFirst) {
    timeline.push({ status: 'IN_PROGRESS_IN_ERROR', at: createdAt + Math.round(durationMs * IN_ERROR_SHARE) });
  }
  timeline.push({ status: outcome.status, at: createdAt + durationMs });
  return timeline;
}
