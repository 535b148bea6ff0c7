/**
 * The stack reads of the `plan` command, for the CloudFormation fake: DescribeStacks, GetTemplate
 * and ListExports, in CloudFormation's AWS Query protocol (CloudFormation API Reference: the
 * operations' request parameters and response elements; errors as `<ErrorResponse>`). A stack
 * that does not exist answers ValidationError "Stack with id X does not exist", as CloudFormation
 * does; an action the test denies answers AccessDenied (HTTP 403), as IAM refuses it.
 */
import { randomUUID } from 'crypto';

export interface DeployedStackState {
  readonly stackName: string;
  readonly stackId: string;
  readonly status: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** The template CloudFormation keeps, returned by GetTemplate as it was deployed. */
  readonly template: unknown;
}

export interface Reply {
  readonly status: number;
  readonly body: string;
}

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
/** Undocumented page sizes: small ones exercise paging. */
const EXPORTS_PAGE_SIZE = 2;

export class StackReads {
  /** Every stack-read call, by action and StackName. */
  readonly calls: Array<{ readonly action: string; readonly stackName?: string }> = [];
  /** Actions answered with AccessDenied: 'GetTemplate' for every stack, 'GetTemplate:<StackName or id>' for one; ListStackResources too. */
  readonly denied = new Set<string>();
  private readonly stacks = new Map<string, DeployedStackState>();
  private readonly exports = new Map<string, { value: string; stackId: string }>();

  setStack(stack: DeployedStackState): void {
    this.stacks.set(stack.stackId, stack);
  }

  setExport(name: string, value: string, stackId: string): void {
    this.exports.set(name, { value, stackId });
  }

  /** A stack by name or id, as CloudFormation accepts either. */
  stack(nameOrId: string): DeployedStackState | undefined {
    return this.stacks.get(nameOrId) ?? [...this.stacks.values()].find((s) => s.stackName === nameOrId);
  }

  /** The answer to one of these actions, or undefined for any other action. */
  answer(action: string, form: URLSearchParams): Reply | undefined {
    if (!['DescribeStacks', 'GetTemplate', 'ListExports', 'ListStackResources'].includes(action)) return undefined;
    const stackName = form.get('StackName') ?? undefined;
    if (action !== 'ListStackResources') this.calls.push({ action, stackName });
    const target = stackName === undefined ? undefined : this.stack(stackName);
    if (this.denied.has(action) || [stackName, target?.stackName, target?.stackId].some((name) => name && this.denied.has(`${action}:${name}`))) {
      return errorReply(403, 'AccessDenied', `User: arn:aws:sts::123456789012:assumed-role/planner/cli is not authorized to perform: cloudformation:${action}`
        + ` on resource: ${stackName ?? '*'} because no identity-based policy allows the cloudformation:${action} action`);
    }
    if (action === 'ListStackResources') return undefined;
    if (action === 'ListExports') return this.listExports(form.get('NextToken'));
    const stack = target;
    if (!stack) return errorReply(400, 'ValidationError', `Stack with id ${stackName} does not exist`);
    return action === 'DescribeStacks' ? describeStacks(stack) : getTemplate(stack);
  }

  private listExports(token: string | null): Reply {
    const all = [...this.exports.entries()];
    const offset = Number(token ?? 0);
    const page = all.slice(offset, offset + EXPORTS_PAGE_SIZE);
    const next = offset + EXPORTS_PAGE_SIZE < all.length ? `<NextToken>${offset + EXPORTS_PAGE_SIZE}</NextToken>` : '';
    const members = page.map(([name, e]) => `<member><ExportingStackId>${escapeXml(e.stackId)}</ExportingStackId>`
      + `<Name>${escapeXml(name)}</Name><Value>${escapeXml(e.value)}</Value></member>`).join('');
    return ok('ListExports', `<Exports>${members}</Exports>${next}`);
  }
}

function describeStacks(stack: DeployedStackState): Reply {
  const parameters = Object.entries(stack.parameters ?? {}).map(([key, value]) =>
    `<member><ParameterKey>${escapeXml(key)}</ParameterKey><ParameterValue>${escapeXml(value)}</ParameterValue></member>`).join('');
  return ok('DescribeStacks', `<Stacks><member><StackName>${escapeXml(stack.stackName)}</StackName><StackId>${escapeXml(stack.stackId)}</StackId>`
    + `<CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>${stack.status}</StackStatus>`
    + `<Parameters>${parameters}</Parameters><Outputs></Outputs><Tags></Tags><DisableRollback>false</DisableRollback>`
    + '<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation></member></Stacks>');
}

function getTemplate(stack: DeployedStackState): Reply {
  return ok('GetTemplate', `<TemplateBody>${escapeXml(JSON.stringify(stack.template))}</TemplateBody>`
    + '<StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>');
}

function ok(action: string, result: string): Reply {
  return {
    status: 200,
    body: `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result>`
      + `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function errorReply(status: number, code: string, message: string): Reply {
  return {
    status,
    body: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code>`
      + `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
