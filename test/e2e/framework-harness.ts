/**
 * Runs the built handler asset through aws-cdk-lib's own provider-framework runtime
 * (custom-resources/lib/provider-framework/runtime), replacing only its outbound calls:
 * - invokeFunction: calls the asset's exported handler, as the Lambda Node.js runtime would,
 *   including the error payload shape ({ errorType, errorMessage, trace }) the runtime sends;
 * - startExecution: plays the waiter state machine (Retry on every error with the synthesized
 *   interval, attempts and backoff; onTimeout when attempts run out);
 * - httpRequest: captures the response the framework would PUT to CloudFormation.
 */
import { randomUUID } from 'crypto';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';

const runtimeDir = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')),
  'custom-resources', 'lib', 'provider-framework', 'runtime');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const outbound = require(path.join(runtimeDir, 'outbound.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const framework = require(path.join(runtimeDir, 'framework.js'));

const ON_EVENT_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:ppp-onEvent';
const IS_COMPLETE_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:ppp-isComplete';
export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Example/5b6f1c20-1a2b-11f0-9c3d-0a1b2c3d4e5f';

/** The waiter's retry policy, as synthesized into the state machine. */
export interface WaiterSettings {
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
}

/** Reads the retry policy of the provider's waiter state machine from a synthesized template. */
export function waiterSettingsFromTemplate(template: Template): WaiterSettings {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) {
    throw new Error(`expected one waiter state machine, found ${machines.length}`);
  }
  const definition = machines[0].Properties.DefinitionString;
  const parts: unknown[] = definition['Fn::Join'] ? definition['Fn::Join'][1] : [definition];
  const json = parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  const retry = JSON.parse(json).States['framework-isComplete-task'].Retry[0];
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

export interface Invocation {
  readonly handler: 'onEvent' | 'isComplete';
  readonly requestId: string;
  readonly start: number;
  readonly end: number;
  readonly error?: string;
}

export interface RequestInput {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
  readonly PhysicalResourceId?: string;
  /** Reuse a RequestId to play a re-delivered request. */
  readonly RequestId?: string;
}

type Handler = (event: unknown) => Promise<unknown>;

export class FrameworkHarness {
  public readonly invocations: Invocation[] = [];
  private readonly handlers: Record<string, Handler>;
  private readonly waiters: Promise<void>[] = [];
  /** Waiting senders per RequestId, first come first served: a request may be delivered twice. */
  private readonly pending = new Map<string, Array<(response: CapturedResponse) => void>>();

  constructor(assetDir: string, private readonly waiter: WaiterSettings) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const asset = require(path.join(assetDir, 'index.js'));
    this.handlers = { [ON_EVENT_ARN]: asset.onEvent, [IS_COMPLETE_ARN]: asset.isComplete };
    process.env.USER_ON_EVENT_FUNCTION_ARN = ON_EVENT_ARN;
    process.env.USER_IS_COMPLETE_FUNCTION_ARN = IS_COMPLETE_ARN;
    process.env.WAITER_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:ppp-waiter';
    outbound.invokeFunction = (req: { FunctionName: string; Payload: string }) => this.invoke(req);
    outbound.startExecution = (req: { input: string }) => {
      this.waiters.push(this.runWaiter(req.input));
      return Promise.resolve({ executionArn: `arn:aws:states:us-east-1:123456789012:execution:ppp-waiter:${randomUUID()}` });
    };
    outbound.httpRequest = (_options: unknown, body: string) => this.capture(body);
  }

  /** Sends one CloudFormation request through the framework and resolves with its response. */
  public async send(input: RequestInput, timeoutMs = 120_000): Promise<CapturedResponse> {
    const requestId = input.RequestId ?? randomUUID();
    const request = {
      ServiceToken: ON_EVENT_ARN,
      ResponseURL: `https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/${encodeURIComponent(STACK_ID)}`
        + `%7COwnership%7C${requestId}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=presigned-secret-${requestId}`,
      StackId: STACK_ID,
      RequestId: requestId,
      LogicalResourceId: 'Ownership',
      ResourceType: 'Custom::ProvisionedProductProperties',
      ...input,
    };
    const response = new Promise<CapturedResponse>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response to ${requestId} within ${timeoutMs} ms`)), timeoutMs);
      const waiting = this.pending.get(requestId) ?? [];
      waiting.push((r) => { clearTimeout(timer); resolve(r); });
      this.pending.set(requestId, waiting);
    });
    await framework.onEvent(request);
    return response;
  }

  /** Waits for every waiter execution started so far to end. */
  public async settle(): Promise<void> {
    await Promise.all(this.waiters);
  }

  public invocationsOf(requestId: string, handler?: Invocation['handler']): Invocation[] {
    return this.invocations.filter((i) => i.requestId === requestId && (!handler || i.handler === handler));
  }

  private async invoke(req: { FunctionName: string; Payload: string }) {
    const handler = this.handlers[req.FunctionName];
    const event = JSON.parse(req.Payload);
    const start = Date.now();
    const record = (error?: string) => this.invocations.push({
      handler: req.FunctionName === ON_EVENT_ARN ? 'onEvent' : 'isComplete', requestId: event.RequestId, start, end: Date.now(), error,
    });
    try {
      const result = await handler(event);
      record();
      return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(result ?? null)) };
    } catch (e) {
      const error = e as Error;
      record(error.message);
      // The Lambda Node.js runtime's error payload for an unhandled error.
      const payload = { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
      return { StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from(JSON.stringify(payload)) };
    }
  }

  /** The waiter state machine: a Task with Retry on States.ALL, then Catch to onTimeout. */
  private async runWaiter(input: string): Promise<void> {
    for (let retries = 0; ; retries++) {
      try {
        await framework.isComplete(JSON.parse(input));
        return;
      } catch (e) {
        if (retries >= this.waiter.maxAttempts) {
          await framework.onTimeout({ Error: 'Retry', Cause: JSON.stringify({ errorMessage: (e as Error).message }) });
          return;
        }
        const delayMs = this.waiter.intervalSeconds * 1000 * this.waiter.backoffRate ** retries;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async capture(body: string): Promise<void> {
    const parsed = JSON.parse(body);
    const resolve = this.pending.get(parsed.RequestId)?.shift();
    resolve?.({ ...parsed, bytes: Buffer.byteLength(body, 'utf8'), at: Date.now() });
  }
}
