/**
 * What a drift run does with one product, decided once from its declaration and what was read:
 * nothing (in the declared state), report a check that could not see every value, report the
 * drift (REPORT mode), or correct what drifted (every declared key, as a deploy does). Pure.
 */
import { Declaration, declaredKeys } from '../../lib/shared/declaration';
import { DriftMode } from '../../lib/shared/drift-mode';
import { ChangeToStart } from '../product/change-starter';
import { compareWithLive, liveValue } from '../product/live-comparison';
import { LiveProperties } from '../product/live-state';
import { idempotencyToken } from '../product/tokens';
import { DriftReport } from './metrics';

/** Why nothing is corrected in a run whose event has no id. */
export const NO_EVENT_ID_REASON = 'not corrected: the event has no EventBridge id (the rule target\'s input transformer '
  + 'passes $.id), so a retried delivery could not be told from a new run and could make a second change. Invoke '
  + 'the function through its schedule, or give the event an "id" that a retry repeats';

export type DriftAction =
  | { readonly kind: 'report'; readonly action: 'none' | 'check-incomplete' | 'correction-failed' | 'drift-reported'; readonly drift: DriftReport['drift']; readonly reason?: string }
  | { readonly kind: 'correct'; readonly drift: DriftReport['drift']; readonly change: ChangeToStart };

/**
 * A value Search did not list is unknown, not drifted: no write on a guess. The correction's
 * token comes from the stack, the product and the EventBridge event's id, so that a redelivery of
 * the event gets the same record back; without an id, nothing is corrected.
 */
export function planDriftCorrection(run: { readonly stackName: string; readonly eventId?: string; readonly mode?: DriftMode }, declaration: Declaration,
  productId: string, live: LiveProperties): DriftAction {
  const { drifted, unknown } = compareWithLive(declaration.values, live);
  const drift = Object.fromEntries(declaredKeys(drifted).map((key) => [key, { declared: drifted[key]!, live: liveValue(key, live) }]));
  if (Object.keys(drift).length === 0) {
    return unknown.length === 0
      ? { kind: 'report', action: 'none', drift }
      : { kind: 'report', action: 'check-incomplete', drift, reason: `${unknown.join(', ')} could not be read (not listed by SearchProvisionedProducts)` };
  }
  if (run.mode === DriftMode.REPORT) {
    return { kind: 'report', action: 'drift-reported', drift, reason: 'not corrected: the check is in REPORT mode' };
  }
  if (!run.eventId) {
    return { kind: 'report', action: 'correction-failed', drift, reason: NO_EVENT_ID_REASON };
  }
  return {
    kind: 'correct', drift, change: {
      idempotencyToken: idempotencyToken({ StackId: run.stackName, LogicalResourceId: productId, RequestId: run.eventId }),
      provisionedProductId: productId, values: declaration.values, acceptLanguage: declaration.acceptLanguage,
    },
  };
}
