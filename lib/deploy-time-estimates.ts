/**
 * Estimates for values only known at deploy time (tokens), for the limits synth checks before
 * CloudFormation resolves them: the size of the iam:PassRole policies and of the drift schedule's
 * EventBridge inputs.
 */
import { Token } from 'aws-cdk-lib';

/**
 * An ARN made by CloudFormation, such as a role's: arn:<partition>:iam::<account>:role/<name of
 * at most 64>. Both budgets keep a margin below their limit for longer ones.
 */
export const ESTIMATED_TOKEN_ARN_LENGTH = 100;

/**
 * The characters `value` takes as one string of a JSON list (quotes and comma included), with
 * `tokenLength` for a token; 0 for no value.
 */
export function listedLength(value: string | undefined, tokenLength: number): number {
  if (value === undefined) return 0;
  return (Token.isUnresolved(value) ? tokenLength : value.length) + 3;
}
