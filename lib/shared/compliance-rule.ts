/**
 * The AWS Config rule's contract, shared by the construct (lib/compliance/) and the function
 * (lambda/compliance/). Pure: bundled into the Lambda, so it must not import aws-cdk-lib.
 *
 * Limits from the AWS Config API Reference (PutEvaluations, Evaluation): at most 100 evaluations
 * per call; ResultToken required; ComplianceResourceType 1-256 characters; ComplianceResourceId
 * 1-768; Annotation 1-256; OrderingTimestamp required; ComplianceType COMPLIANT, NON_COMPLIANT or
 * NOT_APPLICABLE (INSUFFICIENT_DATA is not supported for an Evaluation).
 */
export const COMPLIANCE_RESOURCE_TYPE = 'AWS::ServiceCatalog::CloudFormationProvisionedProduct';
export const MAX_EVALUATIONS_PER_CALL = 100;
export const MAX_ANNOTATION_LENGTH = 256;
export const MAX_RESOURCE_ID_LENGTH = 768;
export const MAX_RESOURCE_TYPE_LENGTH = 256;

/** The compliance types an Evaluation may carry. */
export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** Fits an annotation in Config's 256 characters, marking a cut with an ellipsis. */
export function boundAnnotation(text: string): string {
  const chars = [...text];
  if (chars.length === 0) return '-';
  return chars.length <= MAX_ANNOTATION_LENGTH ? text : `${chars.slice(0, MAX_ANNOTATION_LENGTH - 1).join('')}…`;
}

/** The Config function's environment: 'true' when a change-triggered NON_COMPLIANT product is corrected at once. */
export const CORRECT_ON_CHANGE_ENV = 'COMPLIANCE_CORRECT_ON_CHANGE';
/** The Config function's environment: the drift function it invokes to correct at once. */
export const DRIFT_FUNCTION_NAME_ENV = 'DRIFT_FUNCTION_NAME';
