/**
 * Whether a template's IAM lets the handler's functions call a CloudFormation action on their own
 * stack. CloudFormation updates a template's AWS::IAM::Policy resources in the update phase,
 * before the custom resources whose functions depend on them (User Guide, "Update behaviors of
 * stack resources"), so every later request of the operation, cleanup Deletes included, runs
 * under the new template's policy. The fake applies the template a test says is in force.
 */
import type { TemplateJson } from '../cloudformation-request';

interface Statement { readonly Effect?: string; readonly Action?: string | string[] }

/** The role of the handler's onEvent function (Handler index.onEvent), by logical id. */
function handlerRoleOf(template: TemplateJson): string | undefined {
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Handler === 'index.onEvent');
  const role = fn?.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
  return role?.['Fn::GetAtt']?.[0];
}

/** Every statement that applies to the role: its inline policies and the AWS::IAM::Policy resources attached to it. */
function statementsOf(template: TemplateJson, roleId: string): Statement[] {
  const role = template.Resources[roleId]?.Properties as { Policies?: { PolicyDocument: { Statement: Statement[] } }[] } | undefined;
  const inline = (role?.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
  const attached = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties?.Roles as { Ref?: string }[] | undefined)?.some((ref) => ref.Ref === roleId))
    .flatMap((r) => (r.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
  return [...inline, ...attached];
}

/** Whether the template's policies allow the handler `action` (resources are not checked: ours are scoped to the stack). */
export function handlerAllowed(template: TemplateJson, action: string): boolean {
  const roleId = handlerRoleOf(template);
  if (!roleId) throw new Error('the template has no handler function (Handler index.onEvent) with a role of the template');
  return statementsOf(template, roleId).some((s) => s.Effect === 'Allow' && [s.Action ?? []].flat().includes(action));
}
