/**
 * Reads a cloud assembly (the output of `cdk synth`) with the cloud assembly schema's own types:
 * every CloudFormation stack, in nested assemblies (stages) too, with its template and the
 * construct path of each logical id.
 */
import { existsSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import type {
  ArtifactManifest, ArtifactType, AssemblyManifest, AwsCloudFormationStackProperties, MetadataEntry, NestedCloudAssemblyProperties,
} from '@aws-cdk/cloud-assembly-schema';
import { CliError } from './errors';
import type { Template } from './template';

const STACK: `${ArtifactType.AWS_CLOUDFORMATION_STACK}` = 'aws:cloudformation:stack';
const NESTED: `${ArtifactType.NESTED_CLOUD_ASSEMBLY}` = 'cdk:cloud-assembly';
const LOGICAL_ID = 'aws:cdk:logicalId';
const UNKNOWN_ACCOUNT = 'unknown-account';
const UNKNOWN_REGION = 'unknown-region';

export interface AssemblyStack {
  /** The hierarchical id the CDK CLI shows and matches (`Stage/Stack`). */
  readonly displayName: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** The account and region of `env`, where the app set them. */
  readonly account?: string;
  readonly region?: string;
  readonly template: Template;
  /** Parameter values the assembly passes to the deploy (CfnParameter values given at synth). */
  readonly parameters: Readonly<Record<string, string>>;
  /** Construct path by logical id, from the stack's metadata. */
  readonly pathOf: ReadonlyMap<string, string>;
}

export function readAssembly(dir: string): AssemblyStack[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError(`no cloud assembly at ${dir}: run "cdk synth" first, or give its folder with --app DIR`);
  }
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new CliError(`${dir} is not a cloud assembly (it has no manifest.json): give the folder "cdk synth" wrote (--app DIR, default cdk.out)`);
  }
  return stacksOf(dir, readJson<AssemblyManifest>(manifestFile, 'the assembly manifest'));
}

function stacksOf(dir: string, manifest: AssemblyManifest): AssemblyStack[] {
  return Object.entries(manifest.artifacts ?? {}).flatMap(([id, artifact]) => {
    if (artifact.type === NESTED) {
      const nested = path.join(dir, (artifact.properties as NestedCloudAssemblyProperties).directoryName);
      return stacksOf(nested, readJson<AssemblyManifest>(path.join(nested, 'manifest.json'), `the nested assembly ${id}`));
    }
    return artifact.type === STACK ? [stackOf(dir, id, artifact)] : [];
  });
}

function stackOf(dir: string, id: string, artifact: ArtifactManifest): AssemblyStack {
  const properties = artifact.properties as AwsCloudFormationStackProperties;
  const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '') ?? [];
  return {
    displayName: artifact.displayName ?? id,
    stackName: properties.stackName ?? id,
    account: account && account !== UNKNOWN_ACCOUNT ? account : undefined,
    region: region && region !== UNKNOWN_REGION ? region : undefined,
    template: readJson<Template>(path.join(dir, properties.templateFile), `the template of ${id}`),
    parameters: properties.parameters ?? {},
    pathOf: pathsByLogicalId(artifact.metadata ?? {}),
  };
}

function pathsByLogicalId(metadata: Record<string, MetadataEntry[]>): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of entries) {
      if (entry.type === LOGICAL_ID && typeof entry.data === 'string') paths.set(entry.data, constructPath.replace(/^\//, ''));
    }
  }
  return paths;
}

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new CliError(`cannot read ${what} (${file}): ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * The stacks whose hierarchical id (or stack name) matches one of `patterns`, as the CDK CLI's
 * glob: `*` within one level, `**` across levels. No pattern: every stack.
 */
export function selectStacks(stacks: readonly AssemblyStack[], patterns: readonly string[]): AssemblyStack[] {
  if (patterns.length === 0) return [...stacks];
  const selected = stacks.filter((s) => patterns.some((p) => globMatches(p, s.displayName) || globMatches(p, s.stackName)));
  if (selected.length === 0) {
    const known = stacks.map((s) => s.displayName).join(', ') || 'none';
    throw new CliError(`no stack matches ${patterns.map((p) => `"${p}"`).join(' ')} (stacks in the assembly: ${known})`);
  }
  return selected;
}

export function globMatches(pattern: string, name: string): boolean {
  const source = pattern.split(/(\*\*|\*|\?)/).map((part) => {
    if (part === '**') return '.*';
    if (part === '*') return '[^/]*';
    if (part === '?') return '[^/]';
    return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`^${source}$`).test(name);
}
