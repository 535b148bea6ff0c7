/**
 * What an isComplete invocation does, decided once from the request and onEvent's `Data`: nothing
 * (no change was made), follow record R, or wait for the product and start the change onEvent
 * could not. Pure; a Delete's restore is followed like a change, leniently (a Delete never fails).
 */
import { DEFAULT_TIMEOUT_SECONDS } from '../../lib/shared/declaration';
import { DataKey, HandlerState } from '../../lib/shared/wire-contract';
import { ChangeToStart, StartAttempt } from '../product/change-starter';
import { INITIAL_RECORD_STATUS } from '../product/judgements';
import { RecordToFollow } from '../product/record-poller';
import { idempotencyToken } from '../product/tokens';
import { timeoutDeadline } from '../runtime';
import { IsCompleteRequest } from '../types';
import { decodePhysicalId } from './physical-id';
import { validDeclaration } from './request';

export type WaitPlan =
  | { readonly kind: 'done' }
  /** `restore`: a Delete's best-effort restore, whose failure is logged, never thrown. */
  | { readonly kind: 'follow'; readonly record: RecordToFollow; readonly restore: boolean }
  | { readonly kind: 'start-when-free'; readonly change: ChangeToStart; readonly waitStartedAt: number; readonly timeoutSeconds: number };

/**
 * A Create's or an Update's properties are validated again (the same event comes back on every
 * poll) when there is work, and a failure is thrown as a DeployFailure; a Delete's never are.
 */
export function planWait(event: IsCompleteRequest, state: HandlerState): WaitPlan {
  const recordId = event.Data?.[DataKey.RECORD_ID];
  const productId = event.Data?.[DataKey.PROVISIONED_PRODUCT_ID];
  if (event.RequestType === 'Delete') {
    if (!recordId) return { kind: 'done' };
    const timeoutSeconds = Number(event.ResourceProperties.TimeoutSeconds) || DEFAULT_TIMEOUT_SECONDS;
    return {
      kind: 'follow', restore: true, record: {
        provisionedProductId: productId ?? '(unknown)', recordId, acceptLanguage: event.ResourceProperties.AcceptLanguage,
        startedAt: state.waitStartedAt, lastStatus: INITIAL_RECORD_STATUS, timeoutSeconds,
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
      kind: 'start-when-free', waitStartedAt: state.waitStartedAt, timeoutSeconds,
      change: { idempotencyToken: idempotencyToken(event), provisionedProductId, values: declaration.values, acceptLanguage },
    };
  }
  return {
    kind: 'follow', restore: false, record: {
      provisionedProductId, recordId, acceptLanguage, startedAt: state.waitStartedAt, deadline, timeoutSeconds,
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
