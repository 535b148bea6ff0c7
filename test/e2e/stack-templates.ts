/**
 * Templates of a whole stack with several declarations, for request sequences across a stack
 * update: each deploy of the stack is its own synthesized template, and requests are built from
 * the resource of one declaration in it (cloudformation-request.ts).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ProvisionedProductProperties } from '../../lib';
import { CUSTOM_RESOURCE_TYPE, TemplateJson, TemplateResource, resourceOf } from './cloudformation-request';
import { ACCOUNT, DeclarationProps } from './e2e-setup';

/** One deploy of the stack: each declaration under its construct id (the key). */
export function synthesizedStack(declarations: Record<string, DeclarationProps>): TemplateJson {
  const stack = new Stack(new App(), 'Example', { env: { account: ACCOUNT, region: 'us-east-1' } });
  for (const [constructId, props] of Object.entries(declarations)) {
    new ProvisionedProductProperties(stack, constructId, {
      provisionedProductId: props.id, provisionedProductName: props.name, restoreOnDelete: props.restoreOnDelete, owner: props.owner,
      launchRole: props.launchRole ? iam.Role.fromRoleArn(stack, `${constructId}Launch`, props.launchRole) : undefined,
      timeout: props.timeout, checkOnEveryDeploy: props.checkOnEveryDeploy,
    });
  }
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

/** The declaration of construct `constructId` in `template`. */
export function declarationIn(template: TemplateJson, constructId: string): TemplateResource {
  const ids = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === CUSTOM_RESOURCE_TYPE && id.startsWith(constructId));
  if (ids.length !== 1) throw new Error(`expected one declaration of construct ${constructId}, found ${ids.length}`);
  return resourceOf(template, ids[0]);
}
