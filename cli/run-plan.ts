/**
 * The shell of `plan`: reads the assembly, each stack's deployed state and the live values, then
 * hands them to the pure planner (./plan). Read-only: Describe, List, Get, Search and Scan calls only.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PropertyKey } from '../lib/shared/declaration';
import { stackEnvironment } from '../lib/shared/wire-contract';
import { OtherDeclarations } from '../lambda/deploy/stack-resources';
import { HandlerDeps } from '../lambda/runtime';
import { AssemblyStack } from './assembly';
import { AssemblyDeclaration, RemovedDeclaration, declarationsOf, removedDeclarations } from './declarations';
import { ProductToRead, readLiveProducts, refKey } from './live-reads';
import { PlannedDeclaration, planDeclaration, planRemoved } from './plan';
import { ResolveContext, partitionOf } from './resolve';
import type { TemplateResource } from './template';
import { DeployedStack, Read, readDeployedStack, readExports } from './stack-state';

/** Clients of one region. */
export interface RegionClients {
  readonly serviceCatalog: HandlerDeps;
  readonly cloudFormation: CloudFormationClient;
}

export interface PlanInput {
  readonly stacks: readonly AssemblyStack[];
  /** The region of a stack whose env sets none: --region, or the SDK's default chain. */
  readonly defaultRegion: string;
  readonly clientsFor: (region: string) => RegionClients;
  readonly progress: (message: string) => void;
}

interface StackWork {
  readonly stack: AssemblyStack;
  readonly region: string;
  readonly declarations: AssemblyDeclaration[];
  readonly removed: RemovedDeclaration[];
  readonly notes: string[];
}

export interface PlanResult {
  readonly declarations: PlannedDeclaration[];
  /** One line per read that failed for a whole stack or region (access denied...), also in the reasons. */
  readonly warnings: string[];
}

export async function runPlan(input: PlanInput): Promise<PlanResult> {
  const warnings: string[] = [];
  const exportsByRegion = new Map<string, Promise<Read<ReadonlyMap<string, string>>>>();
  const exportsOf = (region: string) => {
    if (!exportsByRegion.has(region)) exportsByRegion.set(region, readExports(input.clientsFor(region).cloudFormation));
    return exportsByRegion.get(region)!;
  };
  let read = 0;
  const work = await Promise.all(input.stacks.map(async (stack): Promise<StackWork> => {
    const region = stack.region ?? input.defaultRegion;
    const deployed = await readDeployedStack(input.clientsFor(region).cloudFormation, stack.stackName);
    input.progress(`read ${++read}/${input.stacks.length} stacks`);
    const exports = JSON.stringify(stack.template).includes('"Fn::ImportValue"') ? await exportsOf(region) : undefined;
    return stackWork(stack, region, deployed, exports);
  }));
  for (const w of work) warnings.push(...w.notes);

  const declarations: PlannedDeclaration[] = [];
  for (const region of new Set(work.map((w) => w.region))) {
    const inRegion = work.filter((w) => w.region === region);
    const toRead: ProductToRead[] = inRegion.flatMap((w) => [
      // Every declared key is read, those whose declared value is known only after the deploy too: their live value is shown.
      ...w.declarations.filter((d) => d.product.known).map((d) => ({
        product: (d.product as { value: ProductToRead['product'] }).value,
        keys: new Set(Object.keys(d.values) as PropertyKey[]),
      })),
      ...w.removed.filter((r) => r.productId).map((r) => ({ product: { id: r.productId! }, keys: new Set(r.keys) })),
    ]).filter((p) => p.keys.size > 0);
    const live = await readLiveProducts(input.clientsFor(region).serviceCatalog, toRead, {
      region, warn: (line) => warnings.push(line), onProgress: (done, total) => input.progress(`read ${done}/${total} products in ${region}`),
    });
    for (const w of inRegion) {
      const name = w.stack.displayName;
      for (const d of w.declarations) {
        declarations.push(planDeclaration(name, d, d.product.known ? live.get(refKey(d.product.value)) : undefined));
      }
      for (const r of w.removed) {
        declarations.push(planRemoved(name, r, othersOf(r, w.declarations, live), r.productId ? live.get(refKey({ id: r.productId })) : undefined));
      }
    }
  }
  for (const planned of declarations) {
    for (const change of planned.changes) {
      if (change.action === 'unknown' && change.reason && /AccessDenied|not authorized/i.test(change.reason)) {
        const line = `${planned.stack}: ${change.reason}`;
        if (!warnings.some((w) => w === line || change.reason!.includes(w.slice(w.indexOf(': ') + 2)))) warnings.push(line);
      }
    }
  }
  return { declarations, warnings };
}

function stackWork(stack: AssemblyStack, region: string, deployed: DeployedStack, exports: Read<ReadonlyMap<string, string>> | undefined): StackWork {
  const notes: string[] = [];
  const isDeployed = deployed.kind === 'deployed';
  const env = isDeployed ? stackEnvironment(deployed.stackId) : { account: stack.account, partition: partitionOf(region).partition };
  const { urlSuffix } = partitionOf(region);
  const physicalIds = new Map<string, string>();
  let stackUnreadable: string | undefined;
  if (deployed.kind === 'unreadable') {
    stackUnreadable = deployed.why;
    notes.push(`${stack.displayName}: ${deployed.why}`);
  } else if (isDeployed) {
    if (deployed.resources.ok) {
      for (const r of deployed.resources.value) {
        if (r.LogicalResourceId && r.PhysicalResourceId && !/^DELETE_/.test(r.ResourceStatus ?? '')) physicalIds.set(r.LogicalResourceId, r.PhysicalResourceId);
      }
    } else {
      stackUnreadable = deployed.resources.why;
      notes.push(`${stack.displayName}: ${deployed.resources.why}`);
    }
    if (!deployed.template.ok) notes.push(`${stack.displayName}: ${deployed.template.why} (declarations removed from the assembly are not shown)`);
  }
  // As the CDK CLI deploys: the assembly's values, else the previous values, else the template's defaults.
  const parameters = new Map<string, string>();
  for (const [name, parameter] of Object.entries(stack.template.Parameters ?? {})) {
    const value = stack.parameters[name] ?? (isDeployed ? deployed.parameters.get(name) : undefined)
      ?? (parameter.Default !== undefined && !parameter.Type.startsWith('AWS::SSM::') ? String(parameter.Default) : undefined);
    if (value !== undefined) parameters.set(name, value);
  }
  const ctx: ResolveContext = {
    template: stack.template,
    stackUnreadable,
    parameters,
    physicalIds,
    pseudo: {
      'AWS::AccountId': env.account,
      'AWS::Region': region,
      'AWS::Partition': env.partition,
      'AWS::URLSuffix': urlSuffix,
      'AWS::StackName': stack.stackName,
      'AWS::StackId': isDeployed ? deployed.stackId : undefined,
    },
    exports: () => (exports === undefined ? new Map() : exports.ok ? exports.value : { unreadable: exports.why }),
  };
  const deployedTemplate = isDeployed && deployed.template.ok ? deployed.template.value : undefined;
  const pathOf = (logicalId: string, resource: TemplateResource) => constructPath(stack, logicalId, resource);
  const declarations = declarationsOf(stack.template, ctx, env, deployedTemplate, pathOf);
  const removed = (deployedTemplate ? removedDeclarations(stack.template, deployedTemplate, isDeployed && deployed.resources.ok ? deployed.resources.value : undefined, pathOf) : [])
    .map((r) => ({ ...r, stackId: isDeployed ? deployed.stackId : undefined }));
  return { stack, region, declarations, removed, notes };
}

/**
 * The construct path of a resource, without the CustomResource's own `Resource/Default` levels:
 * from the template's `aws:cdk:path` metadata (the CDK CLI's default; a deployed template has it
 * for declarations since removed), else from the assembly's metadata.
 */
function constructPath(stack: AssemblyStack, logicalId: string, resource: TemplateResource): string {
  const metadata = resource.Metadata?.['aws:cdk:path'];
  const full = typeof metadata === 'string' ? metadata : stack.pathOf.get(logicalId);
  return full ? full.replace(/\/Resource\/Default$|\/Default$/, '') : `${stack.displayName}/${logicalId}`;
}

/**
 * The declarations of the product that remain after the deploy, as the removed one's Delete will
 * see them (ListStackResources during cleanup): those of the assembly naming the product. One whose
 * product is known only after the deploy may be it: then it is unknown, and nothing is restored.
 */
function othersOf(removed: RemovedDeclaration, remaining: readonly AssemblyDeclaration[], live: Map<string, { id?: string }>): OtherDeclarations {
  if (remaining.some((d) => !d.product.known)) return { kind: 'unknown', cause: 'a declaration of the stack names a product known only after the deploy' };
  const declarations = remaining.filter((d) => d.product.known
    && (d.product.value.id ?? live.get(refKey(d.product.value))?.id) === removed.productId)
    .map((d) => ({ logicalResourceId: d.logicalId, physicalResourceId: removed.productId! }));
  return { kind: 'read', declarations };
}
