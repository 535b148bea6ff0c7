/**
 * Whether a template's IAM lets one of its functions' roles call an action, on a resource or on
 * any. CloudFormation updates a template's AWS::IAM::Policy resources in the update phase,
 * before the custom resources whose functions depend on them (User Guide, "Update behaviors of
 * stack resources"), so every later request of the operation, cleanup Deletes included, runs
 * under the new template's policy. The fakes apply the template a test says is in force.
 *
 * Only Allow statements with Action and Resource are read (the library writes no Deny, NotAction
 * or NotResource); wildcards `*` and `?` match as IAM matches them, actions case-insensitively.
 */
import { STACK_ID, TemplateJson, resolveIntrinsic } from '../cloudformation-request';

interface Statement { readonly Effect?: string; readonly Action?: string | string[]; readonly Resource?: unknown }
type PolicyDocument = { Statement: Statement[] };

/** The handler the onEvent function runs; the drift function's is index.correctDrift, the Config rule's index.evaluateCompliance. */
export const ON_EVENT_HANDLER = 'index.onEvent';

/** The role (logical id) of the template's function whose Handler is `handler`. */
function roleOf(template: TemplateJson, handler: string): string {
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Handler === handler);
  const role = (fn?.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
  if (!role) throw new Error(`the template has no function ${handler} with a role of the template`);
  return role;
}

/** Every statement that applies to the role: its inline policies, the AWS::IAM::Policy resources attached to it, its managed policies of the template. */
function statementsOf(template: TemplateJson, roleId: string): Statement[] {
  const role = template.Resources[roleId]?.Properties as { Policies?: { PolicyDocument: PolicyDocument }[]; ManagedPolicyArns?: unknown[] } | undefined;
  const inline = (role?.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
  const managed = new Set((role?.ManagedPolicyArns ?? []).map((arn) => (arn as { Ref?: string }).Ref).filter((id) => id !== undefined));
  const attached = Object.entries(template.Resources)
    .filter(([id, r]) => (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
      && ((r.Properties?.Roles as { Ref?: string }[] | undefined)?.some((ref) => ref.Ref === roleId) || managed.has(id)))
    .flatMap(([, r]) => (r.Properties!.PolicyDocument as PolicyDocument).Statement);
  return [...inline, ...attached];
}

/** IAM's wildcard match: `*` any run of characters, `?` one. */
function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const regex = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`, ignoreCase ? 'i' : '').test(value);
}

/** A statement's resources as ARNs, with Ref, Fn::GetAtt and Fn::Join resolved as CloudFormation would for the stack. */
function resourcesOf(statement: Statement, template: TemplateJson, stackId: string): string[] {
  return [statement.Resource ?? []].flat().map((resource) => (typeof resource === 'string'
    ? resource : resolveIntrinsic(resource as Record<string, unknown>, template, { stackId }, 'a policy resource')));
}

/**
 * Whether the template's policies let the role of function `handler` call `action` on
 * `resourceArn` (on anything, when no ARN is given: ListStackResources' grant is scoped to the stack).
 */
export function functionAllowed(template: TemplateJson, handler: string, action: string, resourceArn?: string, stackId = STACK_ID): boolean {
  return statementsOf(template, roleOf(template, handler)).some((s) => s.Effect === 'Allow'
    && [s.Action ?? []].flat().some((pattern) => matches(pattern, action, true))
    && (resourceArn === undefined || resourcesOf(s, template, stackId).some((pattern) => matches(pattern, resourceArn))));
}

/** Whether the template's policies let the handler (onEvent's role) call `action`, on `resourceArn` if given. */
export function handlerAllowed(template: TemplateJson, action: string, resourceArn?: string, stackId = STACK_ID): boolean {
  return functionAllowed(template, ON_EVENT_HANDLER, action, resourceArn, stackId);
}
