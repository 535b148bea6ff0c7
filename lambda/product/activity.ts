/**
 * Whether anything is still running on a provisioned product, read before any decision on its
 * live values: its status (UNDER_CHANGE, PLAN_IN_PROGRESS) and the status of its last record
 * (DescribeProvisionedProduct's LastRecordId, then DescribeRecord). A change that failed on its
 * deadline, or one whose answer was lost, keeps running: values read meanwhile are stale. The
 * record is read too because whether the product shows UNDER_CHANGE for the whole of a
 * properties update is undocumented.
 */
import { DescribeRecordCommand, ProvisionedProductDetail } from '@aws-sdk/client-service-catalog';
import { HandlerDeps } from '../runtime';
import { callBefore, describeError, isRetryableLater } from '../service-catalog';
import { BUSY_PRODUCT_STATUSES, classifyRecordStatus } from './judgements';
import { describeProduct } from './live-state';
import { nextPoll } from './poll-schedule';

export type ProductActivity =
  /** Nothing runs: live values may be judged. `lastRecordId` is the product's LastRecordId now. */
  | { readonly kind: 'idle'; readonly status?: string; readonly lastRecordId?: string; readonly lastRecordStatus?: string;
    readonly lastRecordType?: string; readonly detail?: ProvisionedProductDetail; }
  /** A record runs on the product, or it is in a transitional status, or the read went unanswered (`cause`). */
  | { readonly kind: 'busy'; readonly status?: string; readonly recordId?: string; readonly cause: string }
  /** DescribeProvisionedProduct: ResourceNotFoundException. */
  | { readonly kind: 'gone'; readonly cause: string }
  /** A refusal that waiting does not change (AccessDenied, say). */
  | { readonly kind: 'unreadable'; readonly cause: string };

export async function readActivity(deps: HandlerDeps, productId: string, acceptLanguage: string | undefined, deadline: number): Promise<ProductActivity> {
  try {
    const detail = await describeProduct(deps, productId, acceptLanguage, deadline);
    const status = detail?.Status;
    if (status !== undefined && BUSY_PRODUCT_STATUSES.includes(status)) {
      return { kind: 'busy', status, recordId: detail?.LastRecordId, cause: `the product is ${status}` };
    }
    const lastRecordId = detail?.LastRecordId;
    let lastRecordStatus: string | undefined;
    let lastRecordType: string | undefined;
    if (lastRecordId) {
      const output = await callBefore(deps, deadline, (o) => deps.client.send(new DescribeRecordCommand({ Id: lastRecordId, AcceptLanguage: acceptLanguage }), o))
        .catch((error: unknown) => {
          // A last record not found (yet) is judged by the product's status alone.
          if (describeError(error).name === 'ResourceNotFoundException') return undefined;
          throw error;
        });
      const recordStatus = output?.RecordDetail?.Status;
      if (output && classifyRecordStatus(recordStatus) === 'pending') {
        return { kind: 'busy', status, recordId: lastRecordId, cause: `record ${lastRecordId} is still ${recordStatus ?? 'running'}` };
      }
      lastRecordStatus = recordStatus;
      lastRecordType = output?.RecordDetail?.RecordType;
    }
    return { kind: 'idle', status, lastRecordId, lastRecordStatus, lastRecordType, detail };
  } catch (error) {
    const { name, message } = describeError(error);
    const cause = `${name}: ${message}`;
    if (name === 'ResourceNotFoundException') return { kind: 'gone', cause };
    if (isRetryableLater(error)) return { kind: 'busy', cause };
    return { kind: 'unreadable', cause };
  }
}

/**
 * Reads the product's activity until nothing runs on it, or `deadline` (the earlier of the
 * request's own deadline and the invocation's) leaves no time for another read. The poll schedule
 * counts from the wait's start.
 */
export async function waitUntilIdle(deps: HandlerDeps, productId: string, acceptLanguage: string | undefined,
  deadline: number): Promise<ProductActivity> {
  const since = deps.now();
  for (;;) {
    const activity = await readActivity(deps, productId, acceptLanguage, deadline);
    if (activity.kind !== 'busy') return activity;
    const next = nextPoll({ elapsedMs: deps.now() - since, now: deps.now(), handBackAt: deadline, deadline, random: deps.random() });
    if (next.kind === 'hand-back' || deps.now() + next.ms >= deadline) {
      deps.log('a change still runs on the product; its values are not judged yet', { productId, cause: activity.cause });
      return activity;
    }
    await deps.sleep(next.ms);
  }
}

/** The product's LastRecordId as `activity` read it, if it did. */
export function lastRecordIdOf(activity: ProductActivity | undefined): string | undefined {
  switch (activity?.kind) {
    case 'idle': return activity.lastRecordId;
    case 'busy': return activity.recordId;
    default: return undefined;
  }
}
