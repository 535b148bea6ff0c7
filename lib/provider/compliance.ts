/**
 * The cdk-nag findings on the provider's resources that do not apply, acknowledged next to each
 * resource with the reason (see lib/cdk-compat.ts for the two forms written). Findings that a
 * configuration satisfies (log group encryption, functions in a VPC, reserved concurrency,
 * managed instead of inline policies) are not acknowledged: configure them
 * (ProvisionedProductProperties.configureProvider) or acknowledge them in your app.
 *
 * Packs: AwsSolutions, and the NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 packs.
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { Acknowledgement, acknowledge } from '../cdk-compat';
import { FrameworkEntryPoint, FrameworkParts } from './framework-parts';

/** The packs with a LambdaDLQ rule, and those with an IAMNoInlinePolicy rule. */
const DLQ_PACKS = ['NIST.800.53.R5', 'HIPAA.Security'];
const INLINE_POLICY_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

const forPacks = (packs: string[], rule: string, reason: string): Acknowledgement[] =>
  packs.map((pack) => ({ id: `${pack}-${rule}`, reason }));

/** cdk-nag's finding for a grant on a function's versions (`<arn>:*`), by the function's resource. */
export function versionsFinding(resource: CfnResource): string {
  return `AwsSolutions-IAM5[Resource::<${Stack.of(resource).getLogicalId(resource)}.Arn>:*]`;
}

/** The handler role: Service Catalog's actions have no resource types; Lambda's VPC actions neither. */
export function acknowledgeHandlerRole(role: iam.IRole, inVpc: boolean): void {
  acknowledge(role, {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Service Catalog defines no resource types for UpdateProvisionedProductProperties, DescribeRecord, '
      + 'DescribeProvisionedProduct and SearchProvisionedProducts (Service Authorization Reference), so they can only be '
      + 'granted on "*". iam:PassRole is not on "*": it lists the declared launch roles.'
      + (inVpc ? ' In a VPC, the network-interface actions Lambda needs are those of AWSLambdaVPCAccessExecutionRole, on "*" as '
        + 'there: their Describe actions have no resource types.' : ''),
  });
}

/** A framework role: the framework grants invoking each handler and its versions. */
export function acknowledgeFrameworkRole(role: iam.IRole, handlers: lambda.Function[], inVpc: boolean): void {
  acknowledge(role, ...handlers.map((fn) => ({
    id: versionsFinding(fn.node.defaultChild as lambda.CfnFunction),
    reason: 'The provider framework grants lambda:InvokeFunction on each handler function and its versions '
      + '(<arn>:*); the wildcard only covers versions and aliases of that one function.',
  })), ...(inVpc ? [{
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'In a VPC, Lambda needs the network-interface actions of AWSLambdaVPCAccessExecutionRole, on "*" as there: '
      + 'their Describe actions have no resource types.',
  }] : []));
}

/** What cdk-nag finds in aws-cdk-lib's provider framework, which this construct cannot change. */
export function acknowledgeFramework(provider: IConstruct, framework: FrameworkParts): void {
  acknowledge(provider,
    ...(['isComplete', 'onTimeout'] as const).map((entryPoint) => ({
      id: versionsFinding(framework.functions[entryPoint].resource),
      reason: 'The framework\'s waiter state machine may invoke the framework\'s isComplete and onTimeout functions '
        + 'and their versions (<arn>:*); the wildcard only covers versions and aliases of those functions.',
    })),
    {
      id: 'AwsSolutions-SF1',
      reason: 'The waiter state machine only re-invokes isComplete every 5 s. Every poll and decision is logged by the '
        + 'handlers in the provider\'s log group (and the framework functions\' fatal errors); state machine logging would add '
        + 'logs:*LogDelivery permissions on "*" and no information.',
    },
    {
      id: 'AwsSolutions-SF2',
      reason: 'aws-cdk-lib\'s Provider offers no X-Ray setting for its waiter state machine, a retry loop of a single '
        + 'task; the handler log has the timings.',
    },
  );
  acknowledge(framework.waiterRole,
    ...forPacks(INLINE_POLICY_PACKS, 'IAMNoInlinePolicy', 'aws-cdk-lib\'s Provider creates the waiter state machine\'s role '
      + 'and its policy itself, with no prop to replace either; the policy only allows lambda:InvokeFunction on the '
      + 'framework\'s isComplete and onTimeout functions of this stack. The roles this provider creates can use managed '
      + 'policies instead (managedPoliciesOnly).'));
  const invokedBy: Record<FrameworkEntryPoint, string> = {
    onEvent: 'CloudFormation invokes it for each custom resource request. A request it cannot answer fails the '
      + 'stack operation through the resource\'s ServiceTimeout (timeout + 2 minutes, at most 1 hour), and CloudFormation never reads a '
      + 'request from a queue, so a DLQ would hold events nobody can act on; the failure is in the provider\'s log group.',
    isComplete: 'The waiter state machine invokes it synchronously (a Task with Retry and Catch), so a failure '
      + 'returns to the state machine, never to a dead-letter queue, which only receives failed asynchronous invocations.',
    onTimeout: 'The waiter state machine invokes it synchronously (the Catch of the isComplete task), so a '
      + 'failure returns to the state machine, never to a dead-letter queue, which only receives failed asynchronous invocations.',
  };
  for (const [entryPoint, reason] of Object.entries(invokedBy) as [FrameworkEntryPoint, string][]) {
    acknowledge(framework.functions[entryPoint].construct, ...forPacks(DLQ_PACKS, 'LambdaDLQ', reason));
  }
}

/** Our onEvent and isComplete handlers, which the framework invokes synchronously. */
export function acknowledgeHandler(fn: lambda.Function): void {
  acknowledge(fn, ...forPacks(DLQ_PACKS, 'LambdaDLQ', 'The provider framework\'s functions invoke this handler synchronously '
    + '(RequestResponse) and turn its error into the FAILED response to CloudFormation, so a dead-letter queue, which only '
    + 'receives failed asynchronous invocations, would never receive anything.'));
}

/** The drift-correction function, which EventBridge invokes on the schedule. */
export function acknowledgeDriftHandler(fn: lambda.Function): void {
  acknowledge(fn, ...forPacks(DLQ_PACKS, 'LambdaDLQ', 'EventBridge invokes it on the schedule with the rule\'s fixed input '
    + '(2 retries). Each product\'s failure is logged with the DriftCorrectionFailed metric to alarm on, and the next run '
    + 're-checks every declaration, so a dead-letter queue would only hold copies of the same fixed input.'));
}

/** The AWS Config rule's function, which Config invokes asynchronously with a ResultToken. */
export function acknowledgeComplianceHandler(fn: lambda.Function): void {
  acknowledge(fn, ...forPacks(DLQ_PACKS, 'LambdaDLQ', 'AWS Config invokes it for each periodic or change-triggered '
    + 'evaluation; the next periodic evaluation re-evaluates every declared product, and a failed one shows in Config as the '
    + 'rule\'s evaluation error. A dead-letter queue would hold Config events whose ResultToken nothing can use later.'));
}

/** The Config rule function's own role: read-only Service Catalog actions and config:PutEvaluations have no resource types. */
export function acknowledgeComplianceRole(role: iam.IRole, inVpc: boolean): void {
  acknowledge(role, {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Service Catalog defines no resource types for DescribeProvisionedProduct and SearchProvisionedProducts, and '
      + 'AWS Config none for PutEvaluations (Service Authorization Reference), so they can only be granted on "*". '
      + 'GetComplianceDetailsByConfigRule is on "*" too: the rule\'s ARN would make the role depend on the rule, which depends on '
      + 'the function and so on the role. The role has no Service Catalog write action.'
      + (inVpc ? ' In a VPC, the network-interface actions Lambda needs are those of AWSLambdaVPCAccessExecutionRole, on "*" as '
        + 'there: their Describe actions have no resource types.' : ''),
  });
}
