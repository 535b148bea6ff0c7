/**
 * The parameters of the SSM fake and the rules the API Reference gives for them (PutParameter,
 * GetParameter, GetParameters, GetParametersByPath, DeleteParameter; User Guide "Parameter tiers"):
 * names, values per tier, versions (each put of a parameter increments it; 100 kept; a deleted
 * parameter starts again at 1), hierarchy paths. Errors are thrown as SsmError, answered with HTTP 400.
 */
import type { SsmSwitches } from './switches';

export class SsmError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

export type ParameterType = 'String' | 'StringList' | 'SecureString';
export type ParameterTier = 'Standard' | 'Advanced';

export interface StoredParameter {
  readonly Name: string;
  readonly Type: ParameterType;
  readonly Value: string;
  readonly Version: number;
  readonly Tier: ParameterTier;
  /** Epoch seconds, as the JSON protocol sends a timestamp. */
  readonly LastModifiedDate: number;
}

export interface PutInput {
  readonly Name?: unknown;
  readonly Value?: unknown;
  readonly Type?: unknown;
  readonly Overwrite?: unknown;
  readonly Tier?: unknown;
  readonly Tags?: unknown;
}

/** What the store needs from the fake around it. */
export interface StoreContext {
  switches(): SsmSwitches;
  /** Epoch ms of the fake's clock. */
  now(): number;
  arnOf(name: string): string;
}

const TYPES: readonly string[] = ['String', 'StringList', 'SecureString'];
const TIERS: readonly string[] = ['Standard', 'Advanced', 'Intelligent-Tiering'];
/** Parameter Store keeps the 100 latest versions (ParameterMaxVersionLimitExceeded in the API Reference). */
const KEPT_VERSIONS = 100;
/** User Guide, "Parameter tiers": 4 KB Standard, 8 KB Advanced. */
const VALUE_LIMIT: Record<ParameterTier, number> = { Standard: 4096, Advanced: 8192 };
/** The model's length of a name (2048, of which 1037 are reserved: API Reference, PutParameter Name). */
const MODEL_NAME_LIMIT = 2048;
const NAME_LIMIT = 1011;
const MAX_LEVELS = 15;

const validation = (message: string) => new SsmError('ValidationException', message);

/**
 * A name as the service reads it: leading and trailing spaces removed, inner spaces refused
 * (API Reference: "If the specified name for a parameter contains spaces between characters,
 * the request fails with a ValidationException error").
 */
export function trimmedName(name: unknown, member = 'name'): string {
  if (typeof name !== 'string') throw validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > MODEL_NAME_LIMIT) {
    throw validation(`1 validation error detected: Value '${name}' at '${member}' failed to satisfy constraint: Member must have length between 1 and ${MODEL_NAME_LIMIT}`);
  }
  if (/\s/.test(trimmed)) throw validation(`Parameter name: can't contain spaces: ${trimmed}`);
  return trimmed;
}

export class ParameterStore {
  /** Each parameter's versions, oldest first. */
  private readonly histories = new Map<string, StoredParameter[]>();
  /** After a put: what reads still answer, and for how many more reads (switch staleReadsAfterPut). */
  private readonly stale = new Map<string, { previous: StoredParameter | undefined; reads: number }>();

  constructor(private readonly context: StoreContext) {}

  /** The latest version, as it is (no stale read): for the test's inspection. */
  current(name: string): StoredParameter | undefined {
    const history = this.histories.get(name);
    return history?.[history.length - 1];
  }

  /** What a read of `name` answers, consuming one stale read if a recent put left some. */
  read(name: string): StoredParameter | undefined {
    const lag = this.stale.get(name);
    if (lag && lag.reads > 0) {
      if (--lag.reads === 0) this.stale.delete(name);
      return lag.previous;
    }
    return this.current(name);
  }

  /** `name`, or `name:version` (a label selector finds nothing: the fake has no labels). */
  readSelected(selected: string): { parameter: StoredParameter; selector?: string } | undefined {
    const colon = selected.indexOf(':');
    if (colon < 0) {
      const parameter = this.read(selected);
      return parameter && { parameter };
    }
    const [name, selector] = [selected.slice(0, colon), selected.slice(colon)];
    const history = this.histories.get(name);
    if (!history) return undefined;
    const parameter = /^:\d+$/.test(selector) ? history.find((p) => p.Version === Number(selector.slice(1))) : undefined;
    if (!parameter) throw new SsmError('ParameterVersionNotFound', `Systems Manager could not find version ${selector.slice(1)} of ${name}.`);
    return { parameter, selector };
  }

  put(input: PutInput): { Version: number; Tier: ParameterTier } {
    const name = this.validName(input.Name);
    if (typeof input.Value !== 'string' || input.Value.length === 0) {
      throw validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
    if (input.Type !== undefined && !TYPES.includes(input.Type as string)) throw validation(`Type ${String(input.Type)} is not one of ${TYPES.join(', ')}`);
    if (input.Tier !== undefined && !TIERS.includes(input.Tier as string)) throw validation(`Tier ${String(input.Tier)} is not one of ${TIERS.join(', ')}`);
    const current = this.current(name);
    const overwrite = input.Overwrite === true;
    if (overwrite && Array.isArray(input.Tags) && input.Tags.length > 0) {
      throw validation('Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag. '
        + 'To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.');
    }
    if (current && !overwrite) {
      throw new SsmError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    // API Reference, PutParameter Type: required to create a parameter, not to update one.
    if (!current && input.Type === undefined) throw validation('A parameter type is required when you create a parameter.');
    const type = (input.Type as ParameterType | undefined) ?? current!.Type;
    if (current && type !== current.Type) {
      throw new SsmError('HierarchyTypeMismatchException', `Parameter Store doesn't support changing a parameter type in a hierarchy: ${name} is ${current.Type}.`);
    }
    const tier = this.tierFor(input.Value, input.Tier as string | undefined, current);
    const switches = this.context.switches();
    if (current && switches.samePut === 'same-version' && current.Value === input.Value && current.Tier === tier) {
      return { Version: current.Version, Tier: tier };
    }
    const stored: StoredParameter = {
      Name: name, Type: type, Value: input.Value, Version: (current?.Version ?? 0) + 1, Tier: tier,
      LastModifiedDate: this.context.now() / 1000,
    };
    this.histories.set(name, [...(this.histories.get(name) ?? []), stored].slice(-KEPT_VERSIONS));
    if (switches.staleReadsAfterPut > 0) {
      // The reads still see what the first unseen put replaced.
      const previous = this.stale.has(name) ? this.stale.get(name)!.previous : current;
      this.stale.set(name, { previous, reads: switches.staleReadsAfterPut });
    }
    return { Version: stored.Version, Tier: tier };
  }

  /** Every read of `name` sees its latest version from now on (no stale read left). */
  settle(name: string): void {
    this.stale.delete(name);
  }

  delete(name: string): void {
    if (!this.histories.delete(name)) throw new SsmError('ParameterNotFound', `Parameter ${name} not found.`);
    this.stale.delete(name);
  }

  /** Names under `path` (every level when `recursive`), alphabetically: what a listing may show. */
  namesUnder(path: string, recursive: boolean): string[] {
    const prefix = path === '/' ? '/' : `${path.replace(/\/+$/, '')}/`;
    return [...this.histories.keys()].filter((name) => name.startsWith(prefix) && name.length > prefix.length
      && (recursive || !name.slice(prefix.length).includes('/'))).sort();
  }

  /** Everything gone: parameters and pending stale reads. */
  clear(): void {
    this.histories.clear();
    this.stale.clear();
  }

  /** The name rules of PutParameter Name (API Reference, "Naming Constraints"). */
  private validName(raw: unknown): string {
    const name = trimmedName(raw);
    if (name.includes('/') && !name.startsWith('/')) {
      throw validation('Parameter name: if formed as a path, it must begin with a slash (/)');
    }
    const parts = (name.startsWith('/') ? name.slice(1) : name).split('/');
    if (parts.some((part) => !/^[a-zA-Z0-9_.-]+$/.test(part))) {
      throw validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of '
        + 'sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_');
    }
    if (/^(aws|ssm)/i.test(parts[0])) throw validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
    // How levels are counted is undocumented: every part, the name's last one included.
    if (parts.length > MAX_LEVELS) {
      throw new SsmError('HierarchyLevelLimitExceededException', `A hierarchy can have a maximum of ${MAX_LEVELS} levels; ${name} has ${parts.length}.`);
    }
    const counted = this.context.switches().nameLimitCounts === 'arn-and-name' ? this.context.arnOf(name) : name;
    if (counted.length > NAME_LIMIT) {
      throw validation(`Parameter name ${name} is ${counted.length} characters long${counted === name ? '' : ' with its ARN'}; the maximum is ${NAME_LIMIT}.`);
    }
    return name;
  }

  /** The tier a put gives, within its value limit (User Guide, "Parameter tiers"). */
  private tierFor(value: string, asked: string | undefined, current: StoredParameter | undefined): ParameterTier {
    const size = this.context.switches().valueLimitCounts === 'utf8-bytes' ? Buffer.byteLength(value, 'utf8') : value.length;
    const unit = this.context.switches().valueLimitCounts === 'utf8-bytes' ? 'bytes' : 'characters';
    if (asked === 'Intelligent-Tiering') return size > VALUE_LIMIT.Standard || current?.Tier === 'Advanced' ? 'Advanced' : 'Standard';
    const tier = (asked ?? current?.Tier ?? 'Standard') as ParameterTier;
    if (tier === 'Standard' && current?.Tier === 'Advanced') {
      throw validation(`${current.Name} is an advanced parameter; an advanced parameter can't be reverted to a standard parameter.`);
    }
    if (size > VALUE_LIMIT[tier]) {
      throw validation(tier === 'Standard'
        ? `Standard tier parameters support a maximum parameter value of ${VALUE_LIMIT.Standard} ${unit}. To create a larger parameter value, `
          + 'upgrade the parameter to use the advanced-parameter tier. For more information, see '
          + 'https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html'
        : `Advanced tier parameters support a maximum parameter value of ${VALUE_LIMIT.Advanced} ${unit}.`);
    }
    return tier;
  }
}
