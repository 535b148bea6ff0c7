/**
 * Access to the ledger (lib/shared/ledger.ts): one SSM String parameter per governed provisioned
 * product under LEDGER_PARAMETER_PATH, shared by every stack of the account and Region. The
 * handler role reads and writes it (never deletes); the AWS Config rule's role only reads it.
 * The grant is on the library's own path, and its cdk-nag finding is acknowledged with it.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledge } from '../cdk-compat';
import { LEDGER_PARAMETER_PATH } from '../shared/ledger';

/** arn:<partition>:ssm:<region>:<account>:parameter/cdk-provisioned-product-properties/ledger/* of `stack`. */
export function ledgerParametersArn(stack: Stack): string {
  return stack.formatArn({
    service: 'ssm', resource: 'parameter', arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    resourceName: `${LEDGER_PARAMETER_PATH.replace(/^\//, '')}/*`,
  });
}

/**
 * The resource as cdk-nag names it in a finding: the ARN's Fn::Join joined, each Ref as `<name>`
 * (e.g. `arn:<AWS::Partition>:ssm:us-east-1:123456789012:parameter/...`).
 */
function nagResourceOf(stack: Stack, arn: string): string {
  const resolved = stack.resolve(arn) as string | { 'Fn::Join': [string, unknown[]] };
  if (typeof resolved === 'string') return resolved;
  const [separator, parts] = resolved['Fn::Join'];
  return parts.map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`)).join(separator);
}

/** Grants `role` the ledger's `actions`, on the ledger's path only. */
export function grantLedger(role: iam.IRole, stack: Stack, sid: string, actions: string[]): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources: [ledgerParametersArn(stack)] }));
}

/** Acknowledges the path's wildcard (AwsSolutions-IAM5) on that resource only, once `role` holds the grant. */
export function acknowledgeLedger(role: iam.IRole, stack: Stack): void {
  acknowledge(role, {
    id: `AwsSolutions-IAM5[Resource::${nagResourceOf(stack, ledgerParametersArn(stack))}]`,
    reason: `The ledger is one SSM parameter per governed provisioned product, named after the product and created at deploy time, so `
      + `the parameters cannot be listed in advance; the path ${LEDGER_PARAMETER_PATH} is the library's own. No action deletes a parameter.`,
  });
}
