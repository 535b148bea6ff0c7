/**
 * What the drift end-to-end tests share: a stack with drift correction "deployed" to the fakes
 * from its synthesized template (the schedule rule's targets in the EventBridge fake, the stack's
 * status in the CloudFormation fake, the function's environment as the template sets it), what
 * EventBridge delivers to each target, the built asset, and the metric lines it logged.
 */
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HANDLER_ASSET_DIR } from '../../lib/provider/handler-functions';
import { TargetInput, deliver, ruleTargetInputs, scheduledEvent } from '../eventbridge-delivery';
import type { TemplateJson } from './cloudformation-request';
import { functionAllowed } from './cloudformation-fake/template-iam';
import type { EndToEnd } from './e2e-setup';

/** The built asset (assets/handler/index.js), as Lambda loads it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const driftAsset = () => require(path.join(HANDLER_ASSET_DIR, 'index.js'));

/** The drift metric lines logged since index `from`, as objects. */
export function driftLinesOf(logs: readonly string[], from: number): any[] {
  return logs.slice(from).filter((l) => l.includes('"message":"drift check"')).map((l) => JSON.parse(l));
}

export interface DeployedDrift {
  readonly stackId: string;
  readonly ruleName: string;
  readonly targets: TargetInput[];
  /** What EventBridge hands target `index` (default 0) for a scheduled event. */
  input(index?: number, event?: Record<string, unknown>): Record<string, unknown>;
  /** Runs the asset's correctDrift as Lambda would: the function's environment from the template and its role's IAM for SSM and Service Catalog, then the input. */
  run(input: Record<string, unknown>): Promise<any>;
}

/**
 * Plays the deploy of `stack` to the fakes (the rule and its targets, the stack UPDATE_COMPLETE)
 * and returns how to run its drift function. Deploying another version of the same stack replaces the targets.
 */
export function deployDrift(e2e: EndToEnd, stack: Stack): DeployedDrift {
  const template = Template.fromStack(stack);
  const stackId = `arn:aws:cloudformation:us-east-1:${stack.account}:stack/${stack.stackName}/0000-drift`;
  const [rule] = Object.values(template.findResources('AWS::Events::Rule')) as any[];
  const ruleName: string = rule.Properties.Name;
  const targets = ruleTargetInputs(template);
  e2e.eventBridge.putRule(ruleName, rule.Properties.Targets.map((t: any) => ({
    Id: t.Id, Arn: `arn:aws:lambda:us-east-1:${stack.account}:function:drift`, InputTransformer: { InputPathsMap: t.InputTransformer.InputPathsMap, InputTemplate: t.InputTransformer.InputTemplate },
  })));
  e2e.cloudFormation.statuses.set(stackId, 'UPDATE_COMPLETE');
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))
    .find((f: any) => f.Properties.Handler === 'index.correctDrift') as any;
  const environment = resolveEnvironment(fn.Properties.Environment.Variables, stackId);
  return {
    stackId, ruleName, targets,
    input: (index = 0, event = scheduledEvent()) => deliver(targets[index], event),
    run: async (input) => {
      // The function reads its environment when a run starts; jest gives each test file its own process.env.
      Object.assign(process.env, environment);
      return asFunctionRole(e2e, template.toJSON() as TemplateJson, 'index.correctDrift', stackId, () => driftAsset().correctDrift(input));
    },
  };
}

/** Runs `call` with the SSM and Service Catalog fakes applying the IAM of function `handler`'s role in `template`, then restores the fakes' own. */
export async function asFunctionRole<T>(e2e: EndToEnd, template: TemplateJson, handler: string, stackId: string, call: () => Promise<T>): Promise<T> {
  const previous = { ssm: e2e.ssm.authorize, serviceCatalog: e2e.fake.authorize };
  e2e.ssm.authorize = (action, resourceArn) => functionAllowed(template, handler, action, resourceArn, stackId);
  e2e.fake.authorize = (action) => functionAllowed(template, handler, action, undefined, stackId);
  try {
    return await call();
  } finally {
    e2e.ssm.authorize = previous.ssm;
    e2e.fake.authorize = previous.serviceCatalog;
  }
}

/** The function's environment as CloudFormation resolves it: literals, and AWS::StackId. */
function resolveEnvironment(variables: Record<string, unknown>, stackId: string): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([key, value]) => {
    if (typeof value === 'string') return [key, value];
    if (JSON.stringify(value) === JSON.stringify({ Ref: 'AWS::StackId' })) return [key, stackId];
    throw new Error(`the drift function's ${key} has a value this helper does not resolve: ${JSON.stringify(value)}`);
  }));
}
