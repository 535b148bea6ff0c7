/**
 * The other declarations of a product in the handler's own stack, read with CloudFormation's
 * ListStackResources. They decide restoreOnDelete's hand-over: a Delete restores only when no
 * other live resource of ours declares the product (a replacement keeps the logical id with a new
 * physical id; a rename adds a new logical id before the old one is deleted), and a new resource
 * inherits the originals kept by the one it takes over from.
 */
import { CloudFormationClient, ListStackResourcesCommand, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { RESOURCE_TYPE } from '../../lib/shared/wire-contract';
import { PropertyValues } from '../../lib/shared/declaration';
import { decodePhysicalId } from './physical-id';
import type { HandlerDeps } from '../runtime';
import { callBefore, describeError } from '../service-catalog';

let client: CloudFormationClient | undefined;

/** One client per Lambda container; the endpoint honours AWS_ENDPOINT_URL_CLOUDFORMATION. */
export function cloudFormationClient(): CloudFormationClient {
  client ??= new CloudFormationClient({ retryMode: 'adaptive', maxAttempts: 8 });
  return client;
}

export interface OtherDeclaration {
  readonly logicalResourceId: string;
  readonly physicalResourceId: string;
  /** The originals this declaration keeps for restoreOnDelete, if any. */
  readonly originals?: PropertyValues;
}

export type OtherDeclarations =
  | { readonly kind: 'read'; readonly declarations: readonly OtherDeclaration[] }
  | { readonly kind: 'unknown'; readonly cause: string };

/** Statuses of a resource that is going away, or gone: it declares nothing any more. */
const GOING = /^DELETE_/;

/**
 * The live resources of our type in the stack, other than `self`, that declare `productId`.
 * `unknown` when the stack could not be read: the caller must not guess.
 */
export async function otherDeclarationsOf(deps: HandlerDeps, request: { StackId: string; LogicalResourceId: string; PhysicalResourceId?: string },
  productId: string, deadline: number): Promise<OtherDeclarations> {
  try {
    const summaries: StackResourceSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callBefore(deps, deadline, (o) => deps.cloudFormation.send(new ListStackResourcesCommand({ StackName: request.StackId, NextToken: nextToken }), o));
      summaries.push(...page.StackResourceSummaries ?? []);
      nextToken = page.NextToken || undefined;
    } while (nextToken);
    const declarations = summaries
      .filter((r) => r.ResourceType === RESOURCE_TYPE && r.PhysicalResourceId && !GOING.test(r.ResourceStatus ?? ''))
      .filter((r) => !(r.LogicalResourceId === request.LogicalResourceId && r.PhysicalResourceId === request.PhysicalResourceId))
      .map((r) => ({ logicalResourceId: r.LogicalResourceId!, physicalResourceId: r.PhysicalResourceId!, ...decodePhysicalId(r.PhysicalResourceId) }))
      .filter((r) => r.provisionedProductId === productId)
      .map(({ logicalResourceId, physicalResourceId, originals }) => ({ logicalResourceId, physicalResourceId, originals }));
    return { kind: 'read', declarations };
  } catch (error) {
    const { name, message } = describeError(error);
    deps.log('could not list the stack\'s resources', { stackId: request.StackId, error: `${name}: ${message}` });
    return { kind: 'unknown', cause: `${name}: ${message}` };
  }
}
