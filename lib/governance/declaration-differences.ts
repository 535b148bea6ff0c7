import { Stack } from 'aws-cdk-lib';
import { describeToken } from '../principal-validation';
import { DeclaredPrincipals } from './declarations';

const NAMES: Readonly<Record<keyof DeclaredPrincipals, string>> = { owner: 'owner', launchRoleArn: 'launch role' };

/**
 * Where a product's own declaration differs from an Aspect's, one phrase each, for the values the
 * Aspect declares. Values are compared as the stack resolves them, so the same role given twice, or
 * a token and its literal ARN, are equal.
 */
export function declarationDifferences(stack: Stack, aspect: DeclaredPrincipals, own: DeclaredPrincipals): string[] {
  return (Object.keys(NAMES) as (keyof DeclaredPrincipals)[])
    .filter((key) => aspect[key] !== undefined && !sameValue(stack, aspect[key], own[key]))
    .map((key) => `${NAMES[key]} ${shown(stack, own[key])}, where the Aspect declares ${shown(stack, aspect[key])}`);
}

function sameValue(stack: Stack, a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  try {
    return JSON.stringify(stack.resolve(a)) === JSON.stringify(stack.resolve(b));
  } catch {
    return a === b;
  }
}

function shown(stack: Stack, value: string | undefined): string {
  return value === undefined ? 'none' : `"${describeToken(stack, value)}"`;
}
