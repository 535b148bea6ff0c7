/**
 * Resolves a template value the way the deploy will: a resource of the same stack through its
 * deployed physical id, a parameter through the value the deploy passes, an import through the
 * region's exports, pseudo parameters through the stack's environment. A value that only the
 * deploy will create (a resource not deployed yet, an attribute CloudFormation alone knows, a
 * condition) is not guessed: it is "known after the deploy", with why.
 */
import type { Template } from './template';

export type Resolved =
  | { readonly known: true; readonly value: string }
  /** `unreadable`: the deployed stack could not be read, so the value is unknown rather than known only after the deploy. */
  | { readonly known: false; readonly why: string; readonly unreadable?: boolean };

export interface ResolveContext {
  /** Why the deployed stack's resources or parameters could not be read, if they could not. */
  readonly stackUnreadable?: string;
  /** The assembly's template: resource types, IAM paths, parameters, mappings. */
  readonly template: Template;
  /** The value of each parameter the deploy will use. */
  readonly parameters: ReadonlyMap<string, string>;
  /** Physical ids of the deployed stack's live resources. */
  readonly physicalIds: ReadonlyMap<string, string>;
  /** AWS::AccountId, AWS::Region, AWS::Partition, AWS::URLSuffix, AWS::StackName, AWS::StackId, where known. */
  readonly pseudo: Readonly<Record<string, string | undefined>>;
  /** The region's exports, or why they could not be read. */
  readonly exports: () => ReadonlyMap<string, string> | { readonly unreadable: string };
}

/** Resource attributes whose value follows from the physical id alone (CloudFormation resource reference, "Fn::GetAtt"). */
const DERIVED_ATTRIBUTES: Readonly<Record<string, (id: string, ctx: ResolveContext, props: Record<string, unknown>) => string>> = {
  'AWS::IAM::Role.Arn': (name, ctx, props) => iamArn('role', name, ctx, props),
  'AWS::IAM::User.Arn': (name, ctx, props) => iamArn('user', name, ctx, props),
  // The resource schema's primary identifier is ProvisionedProductId: the physical id is the product's id.
  'AWS::ServiceCatalog::CloudFormationProvisionedProduct.ProvisionedProductId': (id) => id,
};

class NotKnown {
  constructor(readonly why: string, readonly unreadable = false) {}
}

export function resolveValue(ctx: ResolveContext, value: unknown): Resolved {
  try {
    const resolved = evaluate(ctx, value);
    if (typeof resolved === 'string') return { known: true, value: resolved };
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return { known: true, value: String(resolved) };
    return { known: false, why: 'it does not resolve to a string' };
  } catch (error) {
    if (error instanceof NotKnown) return error.unreadable ? { known: false, why: error.why, unreadable: true } : { known: false, why: error.why };
    throw error;
  }
}

function evaluate(ctx: ResolveContext, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluate(ctx, item));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length !== 1 || !(entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
    return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(ctx, v)]));
  }
  const [fn, arg] = entries[0];
  switch (fn) {
    case 'Ref': return ref(ctx, String(arg));
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/s);
      return getAtt(ctx, logicalId, String(evaluate(ctx, attribute)));
    }
    case 'Fn::Join': {
      const [delimiter, items] = arg as [string, unknown];
      return list(evaluate(ctx, items), fn).map(String).join(delimiter);
    }
    case 'Fn::Sub': return sub(ctx, arg);
    case 'Fn::Select': {
      const [index, items] = arg as [unknown, unknown];
      const selected = list(evaluate(ctx, items), fn)[Number(evaluate(ctx, index))];
      if (selected === undefined) throw new NotKnown('Fn::Select has no item at that index');
      return selected;
    }
    case 'Fn::Split': {
      const [delimiter, text] = arg as [string, unknown];
      return String(evaluate(ctx, text)).split(delimiter);
    }
    case 'Fn::FindInMap': {
      const [map, top, second] = (arg as unknown[]).map((part) => String(evaluate(ctx, part)));
      const found = ctx.template.Mappings?.[map]?.[top]?.[second];
      if (found === undefined) throw new NotKnown(`Fn::FindInMap finds no ${map}.${top}.${second}`);
      return found;
    }
    case 'Fn::ImportValue': return importValue(ctx, String(evaluate(ctx, arg)));
    default:
      throw new NotKnown(`${fn} is evaluated by CloudFormation during the deploy`);
  }
}

function list(value: unknown, fn: string): unknown[] {
  if (!Array.isArray(value)) throw new NotKnown(`${fn} of a value that is not a list`);
  return value;
}

function ref(ctx: ResolveContext, name: string): unknown {
  if (name === 'AWS::NoValue') return undefined;
  if (name.startsWith('AWS::')) {
    const pseudo = ctx.pseudo[name];
    if (pseudo === undefined) throw new NotKnown(`${name} is known once the stack is deployed, or set env on the stack`);
    return pseudo;
  }
  if (ctx.template.Parameters?.[name]) {
    const parameter = ctx.parameters.get(name);
    if (parameter === undefined && ctx.stackUnreadable) throw new NotKnown(`parameter ${name}: ${ctx.stackUnreadable}`, true);
    if (parameter === undefined) throw new NotKnown(`parameter ${name} has no value before the deploy`);
    return parameter;
  }
  return physicalId(ctx, name);
}

function physicalId(ctx: ResolveContext, logicalId: string): string {
  const id = ctx.physicalIds.get(logicalId);
  if (id === undefined && ctx.stackUnreadable) throw new NotKnown(`${logicalId}: ${ctx.stackUnreadable}`, true);
  if (id === undefined) {
    const type = ctx.template.Resources?.[logicalId]?.Type;
    throw new NotKnown(`${logicalId}${type ? ` (${type})` : ''} is not deployed yet`);
  }
  return id;
}

function getAtt(ctx: ResolveContext, logicalId: string, attribute: string): string {
  const resource = ctx.template.Resources?.[logicalId];
  const derive = resource && DERIVED_ATTRIBUTES[`${resource.Type}.${attribute}`];
  if (!derive) throw new NotKnown(`${logicalId}.${attribute} is known only after the deploy`);
  return derive(physicalId(ctx, logicalId), ctx, resource.Properties ?? {});
}

/** arn:<partition>:iam::<account>:<kind><path><name>; the path from the template, "/" by default. */
function iamArn(kind: 'role' | 'user', name: string, ctx: ResolveContext, props: Record<string, unknown>): string {
  const iamPath = props.Path === undefined ? '/' : evaluate(ctx, props.Path);
  if (typeof iamPath !== 'string') throw new NotKnown(`the ${kind}'s Path is known only after the deploy`);
  return `arn:${String(ref(ctx, 'AWS::Partition'))}:iam::${String(ref(ctx, 'AWS::AccountId'))}:${kind}${iamPath}${name}`;
}

function sub(ctx: ResolveContext, arg: unknown): string {
  const [text, variables] = Array.isArray(arg) ? arg as [string, Record<string, unknown>] : [String(arg), {}];
  return text.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (variables && name in variables) return String(evaluate(ctx, variables[name]));
    const dot = name.indexOf('.');
    return dot > 0 && !name.startsWith('AWS::') ? getAtt(ctx, name.slice(0, dot), name.slice(dot + 1)) : String(ref(ctx, name));
  });
}

function importValue(ctx: ResolveContext, name: string): string {
  const exports = ctx.exports();
  if ('unreadable' in exports) throw new NotKnown(`the export ${name} could not be read: ${exports.unreadable}`);
  const value = (exports as ReadonlyMap<string, string>).get(name);
  if (value === undefined) throw new NotKnown(`the export ${name} does not exist yet: it is created by the deploy of the stack that exports it`);
  return value;
}

/** AWS::Partition and AWS::URLSuffix of a region, as CloudFormation sets them. */
export function partitionOf(region: string): { partition: string; urlSuffix: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  return { partition: 'aws', urlSuffix: 'amazonaws.com' };
}
