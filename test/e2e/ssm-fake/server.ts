/**
 * SsmFake: SSM Parameter Store's GetParameter, GetParameters, PutParameter, DeleteParameter and
 * GetParametersByPath on 127.0.0.1, speaking the AWS JSON 1.1 protocol (X-Amz-Target
 * AmazonSSM.<operation>; errors as {__type, message}, HTTP 400) to the real @aws-sdk/client-ssm
 * through AWS_ENDPOINT_URL_SSM. The rules of the parameters are in ./parameters, the readings of
 * what AWS leaves open in ./switches. IAM is the test's: `authorize` is asked for each action on
 * each parameter's ARN, and a refusal is AccessDeniedException. Time is the fake's clock (a
 * ManualClock unless the test gives another), so throttling never depends on the machine's speed.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import { LocalServiceFake } from '../local-service-fake';
import { FakeClock, ManualClock } from '../service-catalog-fake/clock';
import { TokenBuckets } from '../service-catalog-fake/throttle';
import { ParameterStore, SsmError, StoredParameter, trimmedName } from './parameters';
import { SSM_OPERATIONS, SsmOperation, SsmSwitchSettings, SsmSwitches, applySsmSwitches, defaultSsmSwitches } from './switches';

export type { StoredParameter } from './parameters';
export type { SsmOperation, SsmSwitchSettings, SsmSwitches } from './switches';

/** Whether IAM lets the caller do `action` (e.g. 'ssm:PutParameter') on `resourceArn`. */
export type Authorize = (action: string, resourceArn: string) => boolean;

export interface SsmFakeOptions extends SsmSwitchSettings {
  /** Default 123456789012. */
  readonly accountId?: string;
  /** Default us-east-1. */
  readonly region?: string;
  /** Default: a ManualClock, which only the test moves. */
  readonly clock?: FakeClock;
  /** Named in AccessDeniedException messages. */
  readonly callerArn?: string;
  /** IAM of the caller; absent: everything is allowed. */
  readonly authorize?: Authorize;
}

export interface SsmCall {
  readonly operation: string;
  readonly input: any;
  /** 'ok', the error answered (ParameterNotFound, AccessDeniedException, ...), or 'throttled'. */
  outcome: string;
}

const TARGET_PREFIX = 'AmazonSSM.';
const BY_PATH_DEFAULT_MAX = 10;

export class SsmFake extends LocalServiceFake {
  static async start(options: SsmFakeOptions = {}): Promise<SsmFake> {
    return LocalServiceFake.listening(new SsmFake(options));
  }

  /** IAM of the caller, settable at any time; undefined allows everything. */
  authorize?: Authorize;
  readonly clock: FakeClock;
  readonly accountId: string;
  readonly region: string;
  private readonly callerArn: string;
  private switches: SsmSwitches;
  private readonly store: ParameterStore;
  private buckets = new TokenBuckets<SsmOperation>();
  private readonly log: SsmCall[] = [];
  private readonly refusals = new Map<string, { errorType: string; count: number }>();

  private constructor(options: SsmFakeOptions) {
    super();
    this.accountId = options.accountId ?? '123456789012';
    this.region = options.region ?? 'us-east-1';
    this.clock = options.clock ?? new ManualClock();
    this.callerArn = options.callerArn ?? `arn:aws:sts::${this.accountId}:assumed-role/handler/session`;
    this.authorize = options.authorize;
    this.switches = applySsmSwitches(defaultSsmSwitches(), Object.fromEntries(Object.entries(options)
      .filter(([key]) => key in defaultSsmSwitches())) as SsmSwitchSettings);
    this.store = new ParameterStore({ switches: () => this.switches, now: () => this.clock.now(), arnOf: (name) => this.parameterArn(name) });
  }

  /** Sets switches (./switches); the others keep their values. */
  configure(settings: SsmSwitchSettings): void {
    this.switches = applySsmSwitches(this.switches, settings);
  }

  /** The ARN IAM sees for a parameter (or a path): arn:<partition>:ssm:<region>:<account>:parameter/<name without its leading slash>. */
  parameterArn(name: string): string {
    const partition = this.region.startsWith('cn-') ? 'aws-cn' : this.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    return `arn:${partition}:ssm:${this.region}:${this.accountId}:parameter/${name.replace(/^\//, '')}`;
  }

  /** The parameter's latest version as stored (stale reads do not apply), or undefined. */
  parameter(name: string): StoredParameter | undefined {
    return this.store.current(name);
  }

  /** Setup: creates or overwrites a String parameter, visible to every read at once. */
  setParameter(name: string, value: string, options: { type?: StoredParameter['Type']; tier?: StoredParameter['Tier'] } = {}): StoredParameter {
    this.store.put({ Name: name, Value: value, Type: options.type ?? 'String', Tier: options.tier, Overwrite: true });
    this.store.settle(name);
    return this.store.current(name)!;
  }

  /** Every later read of `name` sees its latest version (stale reads still owed are dropped). */
  settle(name: string): void {
    this.store.settle(name);
  }

  /** Setup: removes a parameter, as if it had never been put (reads answer ParameterNotFound at once). */
  removeParameter(name: string): void {
    this.store.delete(name);
    this.store.settle(name);
  }

  /** Every request, in arrival order. */
  calls(): readonly SsmCall[] {
    return this.log;
  }

  /** The next `count` calls of `operation` are refused with `errorType` (e.g. TooManyUpdates, InternalServerError). */
  refuseNext(operation: SsmOperation, errorType: string, count = 1): void {
    this.refusals.set(operation, { errorType, count });
  }

  /** No parameters, calls, pending refusals or throttle state; switches and `authorize` stay as set. */
  reset(): void {
    this.store.clear();
    this.log.length = 0;
    this.refusals.clear();
    this.buckets = new TokenBuckets<SsmOperation>();
  }

  protected handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    const entry: SsmCall = { operation, input: parseJson(body), outcome: 'pending' };
    this.log.push(entry);
    try {
      if (!(SSM_OPERATIONS as readonly string[]).includes(operation)) throw new SsmError('UnknownOperationException', `Unknown operation ${operation || '(no X-Amz-Target)'}.`);
      const op = operation as SsmOperation;
      // The account's rate limit comes before anything else, as at AWS's front door.
      if (!this.buckets.take(this.switches.throttle, op, this.clock.now())) {
        entry.outcome = 'throttled';
        throw new SsmError('ThrottlingException', 'Rate exceeded');
      }
      this.injectedRefusal(op);
      if (typeof entry.input !== 'object' || entry.input === null) throw new SsmError('SerializationException', 'The request body is not a JSON object.');
      const output = this.operate(op, entry.input);
      entry.outcome = 'ok';
      this.reply(res, 200, output);
    } catch (caught) {
      // A fault of the fake or of the test's hook: the caller sees a server error, the log says why.
      const e = caught instanceof SsmError ? caught : new SsmError('InternalServerError', `Fake failed: ${(caught as Error).message}`, 500);
      if (entry.outcome === 'pending') entry.outcome = e.type;
      this.reply(res, e.status, { __type: e.type, message: e.message });
    }
  }

  private operate(op: SsmOperation, input: Record<string, any>): object {
    switch (op) {
      case 'GetParameter': {
        const name = trimmedName(input.Name);
        this.allow('ssm:GetParameter', name);
        const found = this.store.readSelected(name);
        if (!found) throw new SsmError('ParameterNotFound', `Parameter ${name} not found.`);
        return { Parameter: this.shown(found.parameter, found.selector) };
      }
      case 'GetParameters': return this.getParameters(input.Names);
      case 'PutParameter':
        if (typeof input.Name === 'string') this.allow('ssm:PutParameter', input.Name.trim());
        return this.store.put(input);
      case 'DeleteParameter': {
        const name = trimmedName(input.Name);
        this.allow('ssm:DeleteParameter', name);
        this.store.delete(name);
        return {};
      }
      case 'GetParametersByPath': return this.byPath(input);
    }
  }

  /** GetParameters: 1-10 names; missing ones (and, under a switch, denied ones) in InvalidParameters; found ones alphabetically. */
  private getParameters(names: unknown): object {
    if (!Array.isArray(names) || names.length < 1 || names.length > 10) {
      throw new SsmError('ValidationException', `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1 (got ${Array.isArray(names) ? names.length : 'none'})`);
    }
    const asked = [...new Set(names.map((n) => (typeof n === 'string' ? n.trim() : String(n))))];
    const denied = asked.filter((name) => !this.allowed('ssm:GetParameters', name));
    if (denied.length > 0 && this.switches.getParametersDenied === 'whole-call') this.allow('ssm:GetParameters', denied[0]);
    const parameters: object[] = [];
    const invalid: string[] = [];
    for (const name of asked) {
      let found: ReturnType<ParameterStore['readSelected']>;
      try {
        found = denied.includes(name) ? undefined : this.store.readSelected(trimmedName(name, 'names'));
      } catch (e) {
        if (!(e instanceof SsmError)) throw e;
      }
      if (found) parameters.push(this.shown(found.parameter, found.selector));
      else invalid.push(name);
    }
    parameters.sort((a: any, b: any) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
    return { Parameters: parameters, InvalidParameters: invalid };
  }

  /** GetParametersByPath: the path's parameters (every level if Recursive), alphabetically, pages of at most MaxResults (1-10). */
  private byPath(input: Record<string, any>): object {
    const path = input.Path;
    if (typeof path !== 'string' || !path.startsWith('/') || path.length > 2048) {
      throw new SsmError('ValidationException', 'The parameter path must begin with a forward slash (/) and have at most 2048 characters.');
    }
    if (input.ParameterFilters !== undefined) throw new SsmError('ValidationException', 'This fake does not model ParameterFilters.');
    const max = input.MaxResults ?? BY_PATH_DEFAULT_MAX;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw new SsmError('ValidationException', `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`);
    }
    const recursive = input.Recursive === true;
    const after = input.NextToken === undefined ? '' : afterOf(input.NextToken, path, recursive);
    this.allow('ssm:GetParametersByPath', path);
    const size = Math.min(max, this.switches.byPathPageLimit);
    const names = this.store.namesUnder(path, recursive).filter((name) => name > after);
    const page: object[] = [];
    let last = after;
    for (const name of names) {
      if (page.length === size) break;
      last = name;
      const parameter = this.store.read(name);
      if (parameter) page.push(this.shown(parameter));
    }
    const more = names.some((name) => name > last);
    return { Parameters: page, ...(more ? { NextToken: tokenOf(path, recursive, last) } : {}) };
  }

  private shown(parameter: StoredParameter, selector?: string): object {
    const { Tier: _tier, ...shown } = parameter;
    return { ...shown, ARN: this.parameterArn(parameter.Name), DataType: 'text', ...(selector ? { Selector: selector } : {}) };
  }

  private allowed(action: string, name: string): boolean {
    return this.authorize?.(action, this.parameterArn(name)) ?? true;
  }

  /** AccessDeniedException unless `authorize` allows `action` on the parameter (or path) `name`. */
  private allow(action: string, name: string): void {
    if (this.allowed(action, name)) return;
    throw new SsmError('AccessDeniedException', `User: ${this.callerArn} is not authorized to perform: ${action} on resource: `
      + `${this.parameterArn(name)} because no identity-based policy allows the ${action} action`, this.switches.accessDeniedStatus);
  }

  private injectedRefusal(op: SsmOperation): void {
    const refusal = this.refusals.get(op);
    if (!refusal) return;
    if (--refusal.count <= 0) this.refusals.delete(op);
    const status = refusal.errorType === 'InternalServerError' ? 500 : 400;
    throw new SsmError(refusal.errorType, refusal.errorType === 'TooManyUpdates'
      ? 'There are concurrent updates for a resource that supports one update at a time.' : `Injected ${refusal.errorType}`, status);
  }

  private reply(res: http.ServerResponse, status: number, body: object): void {
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID() });
    res.end(JSON.stringify(body));
  }
}

/** NextToken: opaque to the caller; here the last name of the previous page, for that path and recursion. */
function tokenOf(path: string, recursive: boolean, after: string): string {
  return Buffer.from(JSON.stringify({ path, recursive, after })).toString('base64');
}

function afterOf(token: unknown, path: string, recursive: boolean): string {
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8'));
    if (decoded.path === path && decoded.recursive === recursive && typeof decoded.after === 'string') return decoded.after;
  } catch {
    // not a token of ours
  }
  throw new SsmError('InvalidNextToken', 'The specified token isn\'t valid.');
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    return text;
  }
}
