/**
 * What one declared product's evaluation says to AWS Config, decided once from what the drift
 * check's read path found, with the drift check's own rules (planDriftCorrection in REPORT mode):
 * in the declared state is COMPLIANT; a drifted value, or one that could not be read, is
 * NON_COMPLIANT (never "compliant" on a guess). A product that could not be read for a passing
 * reason (busy, throttled, the run out of time) gets no evaluation: Config keeps its last one,
 * with its time, and the next evaluation takes it up. Pure.
 */
import { Declaration } from '../../lib/shared/declaration';
import { ComplianceType, boundAnnotation } from '../../lib/shared/compliance-rule';
import { DriftMode } from '../../lib/shared/drift-mode';
import { ProductReading } from '../drift/check';
import { planDriftCorrection } from '../drift/plan';
import { DriftReport, PENDING_ACTIONS } from '../drift/metrics';

export type ProductJudgement =
  | { readonly kind: 'evaluate'; readonly resourceId: string; readonly compliance: ComplianceType; readonly annotation: string; readonly drift: DriftReport['drift'] }
  /** No evaluation now: `reason` says why (a passing cause, or no product id to attach one to). */
  | { readonly kind: 'skip'; readonly reason: string; readonly retryable: boolean };

export function judgeProduct(stackName: string, declaration: Declaration, reading: ProductReading): ProductJudgement {
  if (reading.kind === 'report') {
    const { action, reason = action } = reading.report;
    if (PENDING_ACTIONS.includes(action)) return { kind: 'skip', reason, retryable: true };
    // Failed for good (access denied, no such product). Declared by id, the product has an id to report on.
    return declaration.product.id !== undefined
      ? { kind: 'evaluate', resourceId: declaration.product.id, compliance: 'NON_COMPLIANT', drift: {}, annotation: boundAnnotation(`Could not be verified: ${reason}`) }
      : { kind: 'skip', reason: `no provisioned product id to report on: ${reason}`, retryable: false };
  }
  const plan = planDriftCorrection({ stackName, mode: DriftMode.REPORT }, declaration, reading.productId, reading.live);
  const resourceId = reading.productId;
  if (plan.kind !== 'report') throw new Error('a REPORT-mode plan never corrects');
  switch (plan.action) {
    case 'none':
      return { kind: 'evaluate', resourceId, compliance: 'COMPLIANT', drift: {}, annotation: boundAnnotation(`Has the owner and launch role declared by stack ${stackName}`) };
    case 'drift-reported':
      return {
        kind: 'evaluate', resourceId, compliance: 'NON_COMPLIANT', drift: plan.drift,
        annotation: boundAnnotation(Object.entries(plan.drift)
          .map(([key, { declared, live }]) => `${key} is ${live ?? '(none)'}, declared ${declared}`).join('; ') + ` (stack ${stackName})`),
      };
    default:
      // check-incomplete: a declared value could not be read; not "compliant" on a guess.
      return { kind: 'evaluate', resourceId, compliance: 'NON_COMPLIANT', drift: plan.drift,
        annotation: boundAnnotation(`Could not be verified: ${plan.reason ?? plan.action}`) };
  }
}
