/**
 * Products the rule evaluated before that the stack no longer declares: Config keeps a resource's
 * last evaluation until another replaces it, so a product taken out of the declarations would stay
 * COMPLIANT (or NON_COMPLIANT) in Config for good. A periodic evaluation lists the rule's current
 * results (GetComplianceDetailsByConfigRule, at most 100 per page) and reports those as
 * NOT_APPLICABLE.
 */
import { GetComplianceDetailsByConfigRuleCommand } from '@aws-sdk/client-config-service';
import { COMPLIANCE_RESOURCE_TYPE } from '../../lib/shared/compliance-rule';
import { callBefore, describeError } from '../service-catalog';
import type { ComplianceDeps } from './evaluate';

export type WithdrawnProducts =
  | { readonly kind: 'listed'; readonly resourceIds: string[] }
  | { readonly kind: 'unknown'; readonly reason: string };

/** The resources with a COMPLIANT or NON_COMPLIANT result of the rule that are not in `current`. */
export async function withdrawnProducts(deps: ComplianceDeps, configRuleName: string, current: ReadonlySet<string>,
  deadline: number): Promise<WithdrawnProducts> {
  const withdrawn: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const output = await callBefore(deps, deadline, (o) => deps.config.send(new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: configRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'], Limit: 100, NextToken: nextToken,
      }), o));
      for (const result of output.EvaluationResults ?? []) {
        const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
        // A change-triggered result may name a product by its ARN (.../<id>): still the current product.
        const id = qualifier?.ResourceId;
        if (qualifier?.ResourceType === COMPLIANCE_RESOURCE_TYPE && id && !current.has(id) && !current.has(id.split('/').pop()!)) {
          withdrawn.push(id);
        }
      }
      nextToken = output.NextToken || undefined;
    } while (nextToken);
  } catch (error) {
    const { name, message } = describeError(error);
    return { kind: 'unknown', reason: `${name}: ${message}` };
  }
  return { kind: 'listed', resourceIds: withdrawn };
}
