/**
 * What a drift run may act on, and when it may write. The function takes its declarations from
 * its event, and anyone allowed lambda:InvokeFunction can send one; so the run acts only on a
 * payload that is, now, the input of one of the schedule rule's targets: the rule is the stack's
 * own, named in the function's environment, and ListTargetsByRule shows the inputs CloudFormation
 * deployed, resolved. The same reads, made again before each write with the stack's status
 * (DescribeStacks), order a run that lasts up to 14 minutes against a deploy or a stack deletion:
 * no write while the stack is being changed, after it is gone, or once a deploy has replaced the
 * declarations the run holds.
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, ListTargetsByRuleCommand, Target } from '@aws-sdk/client-eventbridge';
import { DRIFT_RULE_NAME_ENV, DRIFT_STACK_ID_ENV, DriftCorrectionEvent, declarationsDigest } from '../../lib/shared/drift-payload';
import { HandlerDeps } from '../runtime';
import { callBefore, describeError, isRetryableLater } from '../service-catalog';

/** What the guard found. `unreadable` is pending when `retryable`, else for a person to fix. */
export type GuardVerdict =
  | { readonly kind: 'in-force' }
  /** The payload is not the input of any of the rule's targets: it was not made by the stack (or no longer is). */
  | { readonly kind: 'not-in-force'; readonly digest: string; readonly targets: number }
  /** The stack is being created, updated, rolled back or deleted: the deploy decides now. */
  | { readonly kind: 'stack-changing'; readonly status: string }
  /** The stack, or its rule, is gone: the deletion has restored what it restores. */
  | { readonly kind: 'stack-gone'; readonly cause: string }
  | { readonly kind: 'unreadable'; readonly retryable: boolean; readonly cause: string };

export interface StackGuard {
  /** The stack's name, from the function's environment: the refusal metric's dimension (never the event's word for it). */
  readonly stackName?: string;
  /** Whether the event's declarations are in force now; before each write, also whether the stack is at rest. */
  check(event: DriftCorrectionEvent, beforeWrite: boolean, deadline: number): Promise<GuardVerdict>;
}

/** Statuses after which the stack's resources are being deleted or are gone (CloudFormation User Guide, "Stack status codes"). */
const GONE_STATUSES: readonly string[] = ['DELETE_COMPLETE', 'DELETE_FAILED', 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED'];

let eventBridge: EventBridgeClient | undefined;

/** One client per Lambda container; the endpoint honours AWS_ENDPOINT_URL_EVENTBRIDGE. */
export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({ retryMode: 'adaptive', maxAttempts: 8 });
  return eventBridge;
}

/** The guard of the function's own stack and rule, as its environment names them; without them, nothing is in force. */
export function stackGuardFromEnvironment(deps: HandlerDeps, env: NodeJS.ProcessEnv = process.env): StackGuard {
  const ruleName = env[DRIFT_RULE_NAME_ENV];
  const stackId = env[DRIFT_STACK_ID_ENV];
  if (!ruleName || !stackId) {
    return { check: async (event) => ({ kind: 'not-in-force', digest: declarationsDigest(event), targets: 0 }) };
  }
  return new RuleTargetsGuard(deps, eventBridgeClient(), ruleName, stackId);
}

/** arn:aws:cloudformation:region:account:stack/NAME/guid -> NAME. */
function stackNameOf(stackId: string): string | undefined {
  return /:stack\/([^/]+)\//.exec(stackId)?.[1];
}

class RuleTargetsGuard implements StackGuard {
  /** Once the stack is gone or the declarations replaced, they stay so for the rest of the run: no more reads. */
  private final?: GuardVerdict;
  readonly stackName?: string;

  constructor(private readonly deps: HandlerDeps, private readonly eventBridge: EventBridgeClient,
    private readonly ruleName: string, private readonly stackId: string) {
    this.stackName = stackNameOf(stackId);
  }

  async check(event: DriftCorrectionEvent, beforeWrite: boolean, deadline: number): Promise<GuardVerdict> {
    if (this.final) return this.final;
    try {
      if (beforeWrite) {
        const status = await this.stackStatus(deadline);
        if (status === undefined || GONE_STATUSES.includes(status)) return this.settle({ kind: 'stack-gone', cause: `the stack is ${status ?? 'gone'}` });
        if (status.endsWith('_IN_PROGRESS')) return { kind: 'stack-changing', status };
      }
      const targets = await this.targets(deadline);
      if (targets === undefined) return this.settle({ kind: 'stack-gone', cause: `the rule ${this.ruleName} is gone` });
      const digest = declarationsDigest(event);
      const inForce = targets.some((t) => {
        const declared = declaredInput(t);
        return declared !== undefined && declarationsDigest(declared) === digest;
      });
      return inForce ? { kind: 'in-force' } : this.settle({ kind: 'not-in-force', digest, targets: targets.length });
    } catch (error) {
      const { name, message } = describeError(error);
      return { kind: 'unreadable', retryable: isRetryableLater(error), cause: `${name}: ${message}` };
    }
  }

  private settle(verdict: GuardVerdict): GuardVerdict {
    this.final = verdict;
    return verdict;
  }

  /** undefined when CloudFormation no longer knows the stack. */
  private async stackStatus(deadline: number): Promise<string | undefined> {
    try {
      const output = await callBefore(this.deps, deadline, (o) => this.deps.cloudFormation.send(new DescribeStacksCommand({ StackName: this.stackId }), o));
      return output.Stacks?.[0]?.StackStatus;
    } catch (error) {
      // CloudFormation's answer for a stack it does not know (AWS Query error code ValidationError).
      const { name, message } = describeError(error);
      if (name === 'ValidationError' && /does not exist/.test(message)) return undefined;
      throw error;
    }
  }

  /** Every target of the rule; undefined when the rule does not exist. */
  private async targets(deadline: number): Promise<Target[] | undefined> {
    const targets: Target[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const output = await callBefore(this.deps, deadline, (o) => this.eventBridge.send(new ListTargetsByRuleCommand({ Rule: this.ruleName, NextToken: nextToken }), o));
        targets.push(...output.Targets ?? []);
        nextToken = output.NextToken || undefined;
      } while (nextToken);
    } catch (error) {
      if (describeError(error).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
    return targets;
  }
}

/**
 * A target's input template with the event's fields (`<id>`, `<time>`, which stand unquoted)
 * blanked: the declarations it delivers. undefined for a target that is not of this shape.
 */
export function declaredInput(target: Target): DriftCorrectionEvent | undefined {
  const template = target.InputTransformer?.InputTemplate;
  if (!template) return undefined;
  try {
    return JSON.parse(template.replace(/<[A-Za-z0-9_-]+>/g, 'null')) as DriftCorrectionEvent;
  } catch {
    return undefined;
  }
}
