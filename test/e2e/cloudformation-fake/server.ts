/**
 * CloudFormationFake: the one CloudFormation read the handler makes, ListStackResources, on
 * 127.0.0.1, speaking CloudFormation's AWS Query protocol (a form-encoded POST, an XML answer) to
 * the real @aws-sdk/client-cloudformation through AWS_ENDPOINT_URL_CLOUDFORMATION. The resource
 * table is what tests say CloudFormation shows at that moment of a deploy, following the request
 * sequences of the CloudFormation User Guide: a replacement lists the logical id with its new
 * physical id while the old one is deleted in cleanup; a rename lists the new logical id beside the
 * old one, which is DELETE_IN_PROGRESS; a stack deletion lists every resource DELETE_IN_PROGRESS.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import type { TemplateJson } from '../cloudformation-request';
import { StackReads } from './stack-reads';
import { handlerAllowed } from './template-iam';
import { StackStatuses, describeStacksReply } from './stack-status';
import { LocalServiceFake } from '../local-service-fake';

export interface StackResource {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
  readonly status: string;
}

/** The model's page size is undocumented for ListStackResources; small pages exercise paging. */
const PAGE_SIZE = 2;

export class CloudFormationFake extends LocalServiceFake {
  static async start(): Promise<CloudFormationFake> {
    return LocalServiceFake.listening(new CloudFormationFake());
  }

  /** ListStackResources calls, by StackName. */
  readonly calls: string[] = [];
  /** DescribeStacks, GetTemplate and ListExports (the `plan` command's reads), and actions denied by the test. */
  readonly stackReads = new StackReads();
  private readonly stacks = new Map<string, StackResource[]>();
  /** The template whose IAM is in force for each stack, where a test set one (template-iam.ts). */
  private readonly templates = new Map<string, TemplateJson>();
  /** DescribeStacks: each stack's status, by stack id (see ./stack-status). */
  readonly statuses: StackStatuses = new StackStatuses();

  /** The stack exists (CloudFormation is creating or updating it), with the resources set so far. */
  ensureStack(stackId: string): void {
    if (!this.stacks.has(stackId)) this.stacks.set(stackId, []);
  }

  resource(stackId: string, logicalId: string): StackResource | undefined {
    return this.stacks.get(stackId)?.find((r) => r.logicalId === logicalId);
  }

  /** Sets (or replaces) what the stack lists for a logical id. */
  setResource(stackId: string, resource: StackResource): void {
    const resources = (this.stacks.get(stackId) ?? []).filter((r) => r.logicalId !== resource.logicalId);
    this.stacks.set(stackId, [...resources, resource]);
  }

  /**
   * From now on, the handler's calls on the stack are allowed only as `template`'s IAM allows
   * them (AccessDenied otherwise), as after CloudFormation updated the handler role's policy.
   */
  setTemplateInForce(stackId: string, template: TemplateJson): void {
    this.templates.set(stackId, template);
  }

  /** The template a test set in force for the stack, if any (other fakes apply its IAM too). */
  templateInForce(stackId: string): TemplateJson | undefined {
    return this.templates.get(stackId);
  }

  removeResource(stackId: string, logicalId: string): void {
    this.stacks.set(stackId, (this.stacks.get(stackId) ?? []).filter((r) => r.logicalId !== logicalId));
  }

  protected async handle(_req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const form = new URLSearchParams(body);
    // A stack whose status a drift test set (./stack-status); the plan's deployed stacks otherwise (./stack-reads).
    if (form.get('Action') === 'DescribeStacks' && this.statuses.find(form.get('StackName') ?? '')) {
      return this.reply(res, ...describeStacksReply(this.statuses, form.get('StackName') ?? ''));
    }
    const read = this.stackReads.answer(form.get('Action') ?? '', form);
    if (read) return this.reply(res, read.status, read.body);
    if (form.get('Action') !== 'ListStackResources') {
      return this.reply(res, 400, errorXml('InvalidAction', `The action ${form.get('Action')} is not valid for this web service.`));
    }
    const stackName = form.get('StackName') ?? '';
    this.calls.push(stackName);
    const template = this.templates.get(stackName);
    if (template && !handlerAllowed(template, 'cloudformation:ListStackResources')) {
      return this.reply(res, 403, errorXml('AccessDenied', `User: arn:aws:sts::123456789012:assumed-role/handler/session is not authorized to perform: `
        + `cloudformation:ListStackResources on resource: ${stackName} because no identity-based policy allows the cloudformation:ListStackResources action`));
    }
    const resources = this.stacks.get(stackName);
    if (!resources) {
      return this.reply(res, 400, errorXml('ValidationError', `Stack with id ${stackName} does not exist`));
    }
    const offset = Number(form.get('NextToken') ?? 0);
    const page = resources.slice(offset, offset + PAGE_SIZE);
    const next = offset + PAGE_SIZE < resources.length ? `<NextToken>${offset + PAGE_SIZE}</NextToken>` : '';
    this.reply(res, 200, `<ListStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <ListStackResourcesResult>
    <StackResourceSummaries>${page.map(memberXml).join('')}</StackResourceSummaries>${next}
  </ListStackResourcesResult>
  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>
</ListStackResourcesResponse>`);
  }

  private reply(res: http.ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID() });
    res.end(body);
  }
}

function memberXml(r: StackResource): string {
  return `<member><LogicalResourceId>${escape(r.logicalId)}</LogicalResourceId><PhysicalResourceId>${escape(r.physicalId)}</PhysicalResourceId>`
    + `<ResourceType>${escape(r.type)}</ResourceType><LastUpdatedTimestamp>2026-01-01T00:00:00.000Z</LastUpdatedTimestamp>`
    + `<ResourceStatus>${escape(r.status)}</ResourceStatus><DriftInformation><StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus></DriftInformation></member>`;
}

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>${code}</Code>`
    + `<Message>${escape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
