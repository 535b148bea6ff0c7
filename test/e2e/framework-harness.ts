/**
 * Plays a synthesized provider: aws-cdk-lib's own provider-framework runtime
 * (custom-resources/lib/provider-framework/runtime) with only its outbound calls replaced:
 * - invokeFunction: Lambda's synchronous Invoke of the user functions the template names, each
 *   with its template Timeout (see lambda-emulator.ts);
 * - startExecution: the waiter state machine (Retry on every error with the synthesized
 *   interval, attempts and backoff; onTimeout when attempts run out);
 * - httpRequest: captures the response the framework would PUT to CloudFormation.
 * It cannot hang a suite: every send has a deadline below jest's, and stop() ends every waiter.
 */
import { randomUUID } from 'crypto';
import { setMaxListeners } from 'events';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import type { StackModel } from './cloudformation-fake/stack-model';
import { CloudFormationRequest, TemplateJson, resolveIntrinsic } from './cloudformation-request';
import { Invocation, InvokeResult, LambdaFunction, LambdaHandler, invokeWithTimeout } from './lambda-emulator';

export { STACK_ID } from './cloudformation-request';
export type { Invocation, LambdaHandler } from './lambda-emulator';

const runtimeDir = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')),
  'custom-resources', 'lib', 'provider-framework', 'runtime');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const outbound = require(path.join(runtimeDir, 'outbound.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const framework = require(path.join(runtimeDir, 'framework.js'));

/** Below jest's 60 s testTimeout (jest.config.js), so a missing response fails with its own message. */
export const DEFAULT_SEND_TIMEOUT_MS = 45_000;

/** The waiter's retry policy, as synthesized into the state machine. */
export interface WaiterSettings {
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
}

const asJson = (template: Template | TemplateJson): TemplateJson =>
  (template instanceof Template ? template.toJSON() as TemplateJson : template);

/** Reads the retry policy of the provider's waiter state machine from a synthesized template. */
export function waiterSettingsFromTemplate(template: Template | TemplateJson): WaiterSettings {
  const machines = Object.values(asJson(template).Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) {
    throw new Error(`expected one waiter state machine, found ${machines.length}`);
  }
  const definition = machines[0].Properties!.DefinitionString as any;
  const parts: unknown[] = definition['Fn::Join'] ? definition['Fn::Join'][1] : [definition];
  const text = parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  const retry = JSON.parse(text).States['framework-isComplete-task'].Retry[0];
  return { intervalSeconds: retry.IntervalSeconds, maxAttempts: retry.MaxAttempts, backoffRate: retry.BackoffRate };
}

/** The response the framework PUT to the ResponseURL. */
export interface CapturedResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly RequestId: string;
  readonly Data?: Record<string, string>;
  /** The size of the response body in bytes; CloudFormation rejects more than 4096. */
  readonly bytes: number;
  /** Date.now() when the framework sent it. */
  readonly at: number;
}

export interface HarnessOptions {
  /** The synthesized template whose provider (functions, their timeouts, the waiter) is played. */
  readonly template: Template | TemplateJson;
  /** The asset whose index.js exports the handlers the functions' Handler settings name. */
  readonly assetDir?: string;
  /** Handlers by export name, instead of an asset. */
  readonly handlers?: Record<string, LambdaHandler>;
  /** Overrides of the template's function Timeouts, for tests of the timeout itself. */
  readonly functionTimeoutMs?: { readonly onEvent?: number; readonly isComplete?: number };
  readonly stackId?: string;
  /** CloudFormation's listing of the stack, kept in step with the requests played (for ListStackResources). */
  readonly stack?: StackModel;
}

interface Waiting {
  readonly resolve: (response: CapturedResponse) => void;
  readonly reject: (error: Error) => void;
}

export class FrameworkHarness {
  public readonly invocations: Invocation[] = [];
  public readonly waiter: WaiterSettings;
  /** The framework onEvent function's ARN: the ServiceToken every request must carry. */
  public readonly serviceToken: string;
  private readonly functions = new Map<string, LambdaFunction>();
  private readonly waiters = new Set<Promise<void>>();
  /** Handler and framework work still running, timed-out handlers included. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Waiting senders per RequestId, first come first served: a request may be delivered twice. */
  private readonly pending = new Map<string, Waiting[]>();
  private readonly abort = new AbortController();

  private readonly stack?: StackModel;
  private readonly frameworkEnv: Record<string, string> = {};

  constructor(options: HarnessOptions) {
    // One abort listener per running waiter and per sleep of one: hundreds when hundreds of resources wait at once.
    setMaxListeners(0, this.abort.signal);
    this.stack = options.stack;
    const template = asJson(options.template);
    this.waiter = waiterSettingsFromTemplate(template);
    const resolve = (value: unknown) => resolveIntrinsic(value as Record<string, unknown>, template, { stackId: options.stackId });
    const frameworkOnEvent = frameworkFunction(template, 'framework.onEvent');
    this.serviceToken = resolve({ 'Fn::GetAtt': [frameworkOnEvent.id, 'Arn'] });
    const env = frameworkOnEvent.properties.Environment.Variables;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: Record<string, LambdaHandler> = options.handlers ?? require(path.join(options.assetDir!, 'index.js'));
    for (const [role, variable] of [['onEvent', 'USER_ON_EVENT_FUNCTION_ARN'], ['isComplete', 'USER_IS_COMPLETE_FUNCTION_ARN']] as const) {
      const arn = resolve(env[variable]);
      const properties = template.Resources[env[variable]['Fn::GetAtt'][0]].Properties as any;
      const exportName = String(properties.Handler).split('.').pop()!;
      const handler = exported[exportName];
      if (typeof handler !== 'function') throw new Error(`the asset exports no ${exportName} (Handler ${properties.Handler})`);
      // Lambda's default Timeout is 3 s when the template sets none.
      const timeoutMs = options.functionTimeoutMs?.[role] ?? (properties.Timeout ?? 3) * 1000;
      this.functions.set(arn, { role, arn, name: arn.split(':').pop()!, handler, timeoutMs, memoryMb: properties.MemorySize ?? 128 });
      this.frameworkEnv[variable] = arn;
    }
    this.frameworkEnv.WAITER_STATE_MACHINE_ARN = resolve(env.WAITER_STATE_MACHINE_ARN);
    this.activate();
  }

  /**
   * Makes this harness the one the framework's runtime calls out through (its environment and
   * `outbound` are the process's): the newest harness is active; a test playing two stacks'
   * providers one request at a time activates each before its requests.
   */
  public activate(): void {
    Object.assign(process.env, this.frameworkEnv);
    outbound.invokeFunction = (req: { FunctionName: string; Payload: string }) => this.invokeFunction(req);
    outbound.startExecution = (req: { input: string }) => {
      if (this.abort.signal.aborted) return Promise.reject(new Error('the harness is stopped'));
      const run = this.runWaiter(req.input);
      this.waiters.add(run);
      void run.finally(() => this.waiters.delete(run));
      return Promise.resolve({ executionArn: `${process.env.WAITER_STATE_MACHINE_ARN!.replace(':stateMachine:', ':execution:')}:${randomUUID()}` });
    };
    outbound.httpRequest = (_options: unknown, body: string) => this.capture(body);
  }

  /** Sends one CloudFormation request through the framework and resolves with its response. */
  public async send(request: CloudFormationRequest, timeoutMs = DEFAULT_SEND_TIMEOUT_MS): Promise<CapturedResponse> {
    if (this.abort.signal.aborted) throw new Error('the harness is stopped');
    if (request.ServiceToken !== this.serviceToken) {
      throw new Error(`ServiceToken ${request.ServiceToken} is not this provider's framework onEvent function (${this.serviceToken})`);
    }
    const requestId = request.RequestId;
    let waiting!: Waiting;
    const response = new Promise<CapturedResponse>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response to ${request.RequestType} ${requestId} within ${timeoutMs} ms`)), timeoutMs);
      waiting = { resolve: (r) => { clearTimeout(timer); resolve(r); }, reject: (e) => { clearTimeout(timer); reject(e); } };
      this.pending.set(requestId, [...this.pending.get(requestId) ?? [], waiting]);
    });
    this.stack?.before(request);
    // Not awaited: a slow onEvent must not hold the send past its own deadline.
    this.track(framework.onEvent(structuredClone(request)).catch((e: Error) => waiting.reject(e)));
    const answered = await response;
    this.stack?.after(request, answered);
    return answered;
  }

  /** Lambda's synchronous Invoke, as the framework makes it. */
  public async invokeFunction(req: { FunctionName: string; Payload: string }): Promise<InvokeResult> {
    const fn = this.functions.get(req.FunctionName);
    if (!fn) throw new Error(`ResourceNotFoundException: Function not found: ${req.FunctionName}`);
    if (this.abort.signal.aborted) throw new Error('the harness is stopped');
    return invokeWithTimeout(fn, JSON.parse(req.Payload), (invocation) => this.invocations.push(invocation), (work) => this.track(work));
  }

  /**
   * Waits for the waiter executions started so far, at most `timeoutMs`; past it, stops the
   * harness and throws, naming the requests still waiting.
   */
  public async settle(timeoutMs = DEFAULT_SEND_TIMEOUT_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => { timer = setTimeout(() => resolve('expired'), timeoutMs); });
    const outcome = await Promise.race([Promise.all([...this.waiters]), expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      await this.stop();
      throw new Error(`waiters still running after ${timeoutMs} ms; the harness was stopped`);
    }
  }

  /**
   * Ends every waiter loop and its pending sleep, and fails every send still waiting. Work still
   * running (a handler past its timeout goes on, unlike on Lambda, where the environment is
   * frozen) gets at most `drainMs` to end, so that it does not log after the test file; after
   * that it is left behind. The framework can no longer invoke, wait or answer through this harness.
   */
  public async stop(drainMs = 2_000): Promise<void> {
    this.abort.abort();
    for (const [requestId, waiting] of this.pending) {
      for (const w of waiting) w.reject(new Error(`the harness was stopped before ${requestId} was answered`));
    }
    this.pending.clear();
    await Promise.allSettled([...this.waiters]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => { timer = setTimeout(resolve, drainMs); })]);
    clearTimeout(timer);
  }

  public invocationsOf(requestId: string, handler?: Invocation['handler']): Invocation[] {
    return this.invocations.filter((i) => i.requestId === requestId && (!handler || i.handler === handler));
  }

  /** The waiter state machine: a Task with Retry on States.ALL, then Catch to onTimeout. */
  private async runWaiter(input: string): Promise<void> {
    const signal = this.abort.signal;
    for (let retries = 0; !signal.aborted; retries++) {
      try {
        await untilAborted(framework.isComplete(JSON.parse(input)), signal);
        return;
      } catch (e) {
        if (signal.aborted) return;
        if (retries >= this.waiter.maxAttempts) {
          await untilAborted(framework.onTimeout({ Error: 'Retry', Cause: JSON.stringify({ errorMessage: (e as Error).message }) }), signal)
            .catch(() => undefined);
          return;
        }
        const delayMs = this.waiter.intervalSeconds * 1000 * this.waiter.backoffRate ** retries;
        await sleep(delayMs, signal);
      }
    }
  }

  private track(work: Promise<unknown>): void {
    const settled = work.catch(() => undefined);
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
  }

  private async capture(body: string): Promise<void> {
    // After stop() nobody listens: the response is dropped, as if CloudFormation had moved on.
    const parsed = JSON.parse(body);
    this.pending.get(parsed.RequestId)?.shift()?.resolve({ ...parsed, bytes: Buffer.byteLength(body, 'utf8'), at: Date.now() });
  }
}

/** The single framework function with `handler` (framework.onEvent, ...) in the template. */
function frameworkFunction(template: TemplateJson, handler: string): { id: string; properties: any } {
  const ids = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::Lambda::Function'
    && template.Resources[id].Properties?.Handler === handler);
  if (ids.length !== 1) throw new Error(`expected one provider (a function with Handler ${handler}), found ${ids.length}`);
  return { id: ids[0], properties: template.Resources[ids[0]].Properties };
}

/** Resolves or rejects with `promise`, or rejects once `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A sleep that ends early, and clears its timer, when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
