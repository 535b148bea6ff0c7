/**
 * What an isComplete invocation does, decided once from the request and onEvent's `Data`: nothing
 * (no change was made), follow record R, or wait for the product and start the change onEvent
 * could not. Pure; a Delete's restore is followed like a change, leniently (a Delete never fails).
 */
import { DEFAULT_TIMEOUT_SECONDS, pickValues } from '../../lib/shared/declaration';
import { DataKey, HandlerState, UNCHANGED_STATUS } from '../../lib/shared/wire-contract';
import { ChangeToStart, StartAttempt } from '../product/change-starter';
import { INITIAL_RECORD_STATUS, SUCCEEDED_STATUS } from '../product/judgements';
import { RecordToFollow } from '../product/record-poller';
import { idempotencyToken } from '../product/tokens';
import { timeoutDeadline } from '../runtime';
import { IsCompleteRequest, ResponseData } from '../types';
import { declaredValuesOf, ownerSetByDeclaration } from './delete-plan';
import { decodePhysicalId } from './physical-id';
import { validDeclaration } from './request';

export type WaitPlan =
  | { readonly kind: 'done' }
  /** `restore`: a Delete's best-effort restore, whose failure is logged, never thrown. */
  | { readonly kind: 'follow'; readonly record: RecordToFollow; readonly restore: boolean }
  /** `restore`: a Delete's restore, which onEvent could not start or judge (the product busy, the call unanswered). */
  | { readonly kind: 'start-when-free'; readonly change: ChangeToStart; readonly waitStartedAt: number; readonly timeoutSeconds: number;
    readonly restore: boolean; readonly lastRecordIdBefore?: string; };

/**
 * A Create's or an Update's properties are validated again (the same event comes back on every
 * poll) when there is work, and a failure is thrown as a DeployFailure; a Delete's never are.
 */
export function planWait(event: IsCompleteRequest, state: HandlerState): WaitPlan {
  const recordId = event.Data?.[DataKey.RECORD_ID];
  const productId = event.Data?.[DataKey.PROVISIONED_PRODUCT_ID];
  if (event.RequestType === 'Delete') {
    const timeoutSeconds = deleteBudgetSeconds(event.ResourceProperties);
    if (!recordId && state.startPending) {
      // The values to put back travel in the physical id; those already in place are not changed.
      const kept = decodePhysicalId(event.PhysicalResourceId);
      const values = pickValues(state.restoreValues ?? kept.originals ?? {}, (_key, value) => value !== '');
      return {
        kind: 'start-when-free', restore: true, waitStartedAt: state.waitStartedAt, timeoutSeconds,
        change: {
          idempotencyToken: idempotencyToken(event), provisionedProductId: kept.provisionedProductId!, values, acceptLanguage: event.ResourceProperties.AcceptLanguage,
          writeEvenIfShown: ownerSetByDeclaration(values, declaredValuesOf(event.ResourceProperties)),
        },
      };
    }
    if (!recordId) return { kind: 'done' };
    return {
      kind: 'follow', restore: true, record: {
        provisionedProductId: productId ?? '(unknown)', recordId, acceptLanguage: event.ResourceProperties.AcceptLanguage,
        startedAt: state.changeAnsweredAt ?? state.waitStartedAt, lastStatus: INITIAL_RECORD_STATUS, timeoutSeconds,
        deadline: timeoutDeadline(state.waitStartedAt, timeoutSeconds),
      },
    };
  }
  if (!recordId && !state.startPending) {
    return { kind: 'done' };
  }
  const declaration = validDeclaration(event);
  const { timeoutSeconds, acceptLanguage } = declaration;
  const deadline = timeoutDeadline(state.waitStartedAt, timeoutSeconds);
  const provisionedProductId = productId ?? decodePhysicalId(event.PhysicalResourceId).provisionedProductId!;
  if (!recordId) {
    return {
      kind: 'start-when-free', restore: false, waitStartedAt: state.waitStartedAt, timeoutSeconds, lastRecordIdBefore: state.lastRecordIdBefore,
      change: { idempotencyToken: idempotencyToken(event), provisionedProductId, values: declaration.values, acceptLanguage },
    };
  }
  return {
    kind: 'follow', restore: false, record: {
      // The grace for a record not readable yet counts from the change's answer (README: 30 s after the change).
      provisionedProductId, recordId, acceptLanguage, startedAt: state.changeAnsweredAt ?? state.waitStartedAt, deadline, timeoutSeconds,
      lastStatus: event.Data?.[DataKey.RECORD_STATUS] ?? INITIAL_RECORD_STATUS,
    },
  };
}

/** The record of a change isComplete just started, to follow at once. */
export function startedRecord(plan: Extract<WaitPlan, { kind: 'start-when-free' }>, started: Extract<StartAttempt, { kind: 'started' }>): RecordToFollow {
  return {
    provisionedProductId: plan.change.provisionedProductId, recordId: started.recordId, acceptLanguage: plan.change.acceptLanguage,
    startedAt: started.startedAt, lastStatus: started.status, deadline: timeoutDeadline(plan.waitStartedAt, plan.timeoutSeconds),
    timeoutSeconds: plan.timeoutSeconds,
  };
}

/**
 * The Data of a change found in place: this deploy's own change (its answer lost) when the
 * product's last record is not the one onEvent saw, else no change of this deploy.
 */
export function inPlaceData(plan: Extract<WaitPlan, { kind: 'start-when-free' }>, lastRecordId: string | undefined): ResponseData {
  const ours = lastRecordId !== undefined && plan.lastRecordIdBefore !== undefined && lastRecordId !== plan.lastRecordIdBefore;
  return ours
    ? { [DataKey.RECORD_ID]: lastRecordId, [DataKey.RECORD_STATUS]: SUCCEEDED_STATUS, [DataKey.CHANGED]: 'true' }
    : { [DataKey.RECORD_ID]: '', [DataKey.RECORD_STATUS]: UNCHANGED_STATUS, [DataKey.CHANGED]: 'false' };
}

/** Kept free before CloudFormation's ServiceTimeout, for the framework to answer: a Delete that outlives it fails the stack. */
export const DELETE_ANSWER_MARGIN_SECONDS = 30;

/**
 * How long a Delete's restore may take in all, waiting for a change still running (a failed
 * Create's, slower than the timeout by definition) and then for its own record: up to
 * CloudFormation's ServiceTimeout for the resource less DELETE_ANSWER_MARGIN_SECONDS, and never
 * less than the resource's timeout. Without a ServiceTimeout (a timeout given as a token), the timeout.
 */
export function deleteBudgetSeconds(properties: Record<string, unknown>): number {
  const timeoutSeconds = Number(properties.TimeoutSeconds) || DEFAULT_TIMEOUT_SECONDS;
  const serviceTimeout = Number(properties.ServiceTimeout);
  return Number.isFinite(serviceTimeout) && serviceTimeout > 0 ? Math.max(timeoutSeconds, serviceTimeout - DELETE_ANSWER_MARGIN_SECONDS) : timeoutSeconds;
}
