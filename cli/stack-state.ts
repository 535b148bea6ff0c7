/**
 * What CloudFormation shows of a deployed stack, read with Describe/List/Get calls only:
 * DescribeStacks (status, parameters, the stack id), ListStackResources (physical ids) and
 * GetTemplate (the deployed declarations), and the region's exports (ListExports).
 * A refused or failed read is kept with its reason: the plan goes on without it.
 */
import {
  CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, ListExportsCommand, ListStackResourcesCommand, StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { errorText } from './errors';
import type { Template } from './template';

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

export type DeployedStack =
  | { readonly kind: 'not-deployed' }
  | { readonly kind: 'unreadable'; readonly why: string }
  | {
    readonly kind: 'deployed';
    readonly stackId: string;
    readonly status: string;
    /** Parameter values of the deployed stack (SSM parameters resolved); NoEcho ones are left out. */
    readonly parameters: ReadonlyMap<string, string>;
    readonly resources: Read<readonly StackResourceSummary[]>;
    readonly template: Read<Template>;
  };

/** The stack exists but was never deployed: a change set was created and not executed. */
const NEVER_DEPLOYED = 'REVIEW_IN_PROGRESS';
const MASKED = '****';

export async function readDeployedStack(cloudFormation: CloudFormationClient, stackName: string): Promise<DeployedStack> {
  let stack;
  try {
    stack = (await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  } catch (error) {
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message)) return { kind: 'not-deployed' };
    return { kind: 'unreadable', why: `cloudformation:DescribeStacks failed: ${errorText(error)}` };
  }
  if (!stack?.StackId || stack.StackStatus === NEVER_DEPLOYED) return { kind: 'not-deployed' };
  const parameters = new Map<string, string>();
  for (const p of stack.Parameters ?? []) {
    const value = p.ResolvedValue ?? p.ParameterValue;
    if (p.ParameterKey && value !== undefined && value !== MASKED) parameters.set(p.ParameterKey, value);
  }
  const [resources, template] = await Promise.all([
    attempt('ListStackResources', () => listResources(cloudFormation, stack.StackId!)),
    attempt('GetTemplate', () => deployedTemplate(cloudFormation, stack.StackId!)),
  ]);
  return { kind: 'deployed', stackId: stack.StackId, status: stack.StackStatus ?? '', parameters, resources, template };
}

async function listResources(cloudFormation: CloudFormationClient, stackId: string): Promise<StackResourceSummary[]> {
  const resources: StackResourceSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudFormation.send(new ListStackResourcesCommand({ StackName: stackId, NextToken: nextToken }));
    resources.push(...page.StackResourceSummaries ?? []);
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return resources;
}

async function deployedTemplate(cloudFormation: CloudFormationClient, stackId: string): Promise<Template> {
  const body = (await cloudFormation.send(new GetTemplateCommand({ StackName: stackId, TemplateStage: 'Original' }))).TemplateBody ?? '{}';
  try {
    return JSON.parse(body) as Template;
  } catch {
    // The CDK deploys JSON; a YAML template was deployed by another tool.
    throw new Error('the deployed template is not JSON');
  }
}

/** The region's exports, by name. */
export async function readExports(cloudFormation: CloudFormationClient): Promise<Read<ReadonlyMap<string, string>>> {
  return attempt('ListExports', async () => {
    const exports = new Map<string, string>();
    let nextToken: string | undefined;
    do {
      const page = await cloudFormation.send(new ListExportsCommand({ NextToken: nextToken }));
      for (const e of page.Exports ?? []) if (e.Name && e.Value !== undefined) exports.set(e.Name, e.Value);
      nextToken = page.NextToken || undefined;
    } while (nextToken);
    return exports;
  });
}

async function attempt<T>(action: string, read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, why: `cloudformation:${action} failed: ${errorText(error)}` };
  }
}
