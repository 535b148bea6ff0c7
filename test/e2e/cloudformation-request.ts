/**
 * Builds custom resource requests exactly as CloudFormation sends them, from a synthesized
 * template: every property of the resource verbatim (ServiceToken and ServiceTimeout included),
 * every scalar as a string, intrinsics resolved to concrete strings, OldResourceProperties on
 * Update, and ServiceToken and ServiceTimeout also at the top level. Tests never write
 * ResourceProperties by hand; a hand-edited template is an edit of the template (`handEdited`).
 */
import { randomUUID } from 'crypto';
import type {
  CloudFormationCustomResourceCreateEvent, CloudFormationCustomResourceDeleteEvent, CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { Template } from 'aws-cdk-lib/assertions';

/** The stack every request belongs to; intrinsics such as AWS::Region resolve against it. */
export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Example/5b6f1c20-1a2b-11f0-9c3d-0a1b2c3d4e5f';
export const CUSTOM_RESOURCE_TYPE = 'Custom::ProvisionedProductProperties';
/** Part of every ResponseURL's signature: a secret no log line may contain. */
export const RESPONSE_URL_SECRET = 'presigned-secret';

/**
 * @types/aws-lambda has ServiceTimeout only inside ResourceProperties; real requests carry it at
 * the top level too, where the template sets it.
 */
interface TopLevel { readonly ServiceTimeout?: string }
export type CreateRequest = CloudFormationCustomResourceCreateEvent & TopLevel;
export type UpdateRequest = CloudFormationCustomResourceUpdateEvent & TopLevel;
export type DeleteRequest = CloudFormationCustomResourceDeleteEvent & TopLevel;
export type CloudFormationRequest = CreateRequest | UpdateRequest | DeleteRequest;

/** One resource of a synthesized template, with the template its intrinsics resolve against. */
export interface TemplateResource {
  readonly template: TemplateJson;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

export interface TemplateJson {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
}

export interface RequestOptions {
  /** Reuse one to play a re-delivered request. */
  readonly requestId?: string;
  readonly stackId?: string;
  /**
   * Values for intrinsics the default rules cannot give: `'<LogicalId>'` for a Ref,
   * `'<LogicalId>.<Attribute>'` for a Fn::GetAtt. They win over the default rules.
   */
  readonly resolve?: Record<string, string>;
}

const json = (template: Template | TemplateJson): TemplateJson =>
  (template instanceof Template ? template.toJSON() as TemplateJson : template);

/** The template's resource of `type` with `logicalId`, or its only one when no id is given. */
export function resourceOf(template: Template | TemplateJson, logicalId?: string, type = CUSTOM_RESOURCE_TYPE): TemplateResource {
  const t = json(template);
  const ids = Object.keys(t.Resources).filter((id) => t.Resources[id].Type === type && (logicalId === undefined || id === logicalId));
  if (ids.length !== 1) {
    throw new Error(`expected one ${type}${logicalId ? ` with logical id ${logicalId}` : ''} in the template, found ${ids.length}`);
  }
  const resource = t.Resources[ids[0]];
  return { template: t, logicalId: ids[0], type, properties: resource.Properties ?? {} };
}

/**
 * A user's hand edit of the synthesized template before deploying it: `changes` replace the
 * resource's Properties (undefined removes one), which the construct's synth-time checks never
 * see. Requests are then built from it like from any template, ServiceToken and all.
 */
export function handEdited(resource: TemplateResource, changes: Record<string, unknown>): TemplateResource {
  const properties: Record<string, unknown> = { ...resource.properties, ...changes };
  for (const key of Object.keys(changes)) if (changes[key] === undefined) delete properties[key];
  const Resources = { ...resource.template.Resources, [resource.logicalId]: { Type: resource.type, Properties: properties } };
  return { ...resource, template: { ...resource.template, Resources }, properties };
}

export function createRequest(resource: TemplateResource, options: RequestOptions = {}): CreateRequest {
  return { RequestType: 'Create', ...common(resource, options) };
}

/** An Update from `previous` (the template deployed before) to `resource`. */
export function updateRequest(resource: TemplateResource, previous: { resource: TemplateResource; physicalResourceId: string },
  options: RequestOptions = {}): UpdateRequest {
  return {
    RequestType: 'Update', ...common(resource, options), PhysicalResourceId: previous.physicalResourceId,
    OldResourceProperties: resourceProperties(previous.resource, options),
  };
}

/** A Delete of the resource as `resource` last deployed it (CloudFormation sends its properties). */
export function deleteRequest(resource: TemplateResource, physicalResourceId: string, options: RequestOptions = {}): DeleteRequest {
  return { RequestType: 'Delete', ...common(resource, options), PhysicalResourceId: physicalResourceId };
}

function common(resource: TemplateResource, options: RequestOptions) {
  const stackId = options.stackId ?? STACK_ID;
  const requestId = options.requestId ?? randomUUID();
  const properties = resourceProperties(resource, options);
  return {
    ServiceToken: properties.ServiceToken,
    ...(properties.ServiceTimeout === undefined ? {} : { ServiceTimeout: properties.ServiceTimeout as string }),
    ResponseURL: `https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/${encodeURIComponent(stackId)}`
      + `%7C${resource.logicalId}%7C${requestId}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${RESPONSE_URL_SECRET}-${requestId}`,
    StackId: stackId,
    RequestId: requestId,
    LogicalResourceId: resource.logicalId,
    ResourceType: resource.type,
    ResourceProperties: properties,
  };
}

function resourceProperties(resource: TemplateResource, options: RequestOptions): CreateRequest['ResourceProperties'] {
  const properties = toWire(resource.properties, resource.template, options, resource.logicalId) as Record<string, unknown>;
  if (typeof properties.ServiceToken !== 'string') {
    throw new Error(`resource ${resource.logicalId} has no ServiceToken: CloudFormation would refuse the template`);
  }
  return properties as CreateRequest['ResourceProperties'];
}

/** A template value as CloudFormation sends it: scalars as strings, intrinsics resolved. */
function toWire(value: unknown, template: TemplateJson, options: RequestOptions, where: string): unknown {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v, i) => toWire(v, template, options, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return resolveIntrinsic(value as Record<string, unknown>, template, options, where);
    }
    return Object.fromEntries(keys.map((k) => [k, toWire((value as Record<string, unknown>)[k], template, options, `${where}.${k}`)]));
  }
  throw new Error(`${where}: ${String(value)} is not a template value CloudFormation could send`);
}

/** Parts of a stack ARN: arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>. */
function stackParts(stackId: string) {
  const [, partition, , region, account, rest] = stackId.split(':');
  return { partition, region, account, stackName: rest.split('/')[1] };
}

/**
 * Resolves Ref, Fn::GetAtt and Fn::Join. Ref of a pseudo parameter or of a parameter with a
 * default, and the ARN or name of a Lambda function, IAM role or state machine of the template,
 * follow CloudFormation's naming (`<stack>-<logical id>`); anything else must be in `resolve`.
 */
export function resolveIntrinsic(intrinsic: Record<string, unknown>, template: TemplateJson, options: RequestOptions = {},
  where = 'value'): string {
  const stack = stackParts(options.stackId ?? STACK_ID);
  const [fn, arg] = Object.entries(intrinsic)[0];
  const nameOf = (id: string) => `${stack.stackName}-${id}`.slice(0, 64);
  const typeOf = (id: string) => template.Resources[id]?.Type;
  const fail = (what: string): never => {
    throw new Error(`${where}: cannot resolve ${JSON.stringify(intrinsic)} (${what}); give its value in RequestOptions.resolve`);
  };
  if (fn === 'Ref' && typeof arg === 'string') {
    if (options.resolve?.[arg] !== undefined) return options.resolve[arg];
    const pseudo: Record<string, string> = {
      'AWS::AccountId': stack.account, 'AWS::Region': stack.region, 'AWS::Partition': stack.partition,
      'AWS::StackName': stack.stackName, 'AWS::StackId': options.stackId ?? STACK_ID, 'AWS::URLSuffix': 'amazonaws.com',
    };
    if (pseudo[arg] !== undefined) return pseudo[arg];
    const parameter = template.Parameters?.[arg];
    if (parameter?.Default !== undefined) return String(parameter.Default);
    if (typeOf(arg) === 'AWS::Lambda::Function' || typeOf(arg) === 'AWS::IAM::Role') return nameOf(arg);
    if (typeOf(arg) === 'AWS::StepFunctions::StateMachine') return `arn:${stack.partition}:states:${stack.region}:${stack.account}:stateMachine:${nameOf(arg)}`;
    return fail(parameter ? 'a parameter without a default' : `no rule for a Ref of ${typeOf(arg) ?? 'an unknown logical id'}`);
  }
  if (fn === 'Fn::GetAtt' && Array.isArray(arg) && arg.length === 2) {
    const [id, attribute] = arg as [string, string];
    if (options.resolve?.[`${id}.${attribute}`] !== undefined) return options.resolve[`${id}.${attribute}`];
    if (attribute === 'Arn' && typeOf(id) === 'AWS::Lambda::Function') return `arn:${stack.partition}:lambda:${stack.region}:${stack.account}:function:${nameOf(id)}`;
    if (attribute === 'Arn' && typeOf(id) === 'AWS::IAM::Role') return `arn:${stack.partition}:iam::${stack.account}:role/${nameOf(id)}`;
    // The product's provisioning record; a test that plays an update of the product gives the new one in `resolve`.
    if (attribute === 'RecordId' && typeOf(id) === 'AWS::ServiceCatalog::CloudFormationProvisionedProduct') return `rec-${id.toLowerCase().slice(0, 20)}`;
    return fail(`no rule for ${attribute} of ${typeOf(id) ?? 'an unknown logical id'}`);
  }
  if (fn === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
    return (arg[1] as unknown[]).map((part, i) => {
      const resolved = toWire(part, template, options, `${where}[${i}]`);
      return typeof resolved === 'string' ? resolved : fail('a part is not a string');
    }).join(arg[0]);
  }
  return fail(`${fn} is not supported`);
}
