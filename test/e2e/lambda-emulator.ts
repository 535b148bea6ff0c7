/**
 * One synchronous Lambda Invoke, as the Node.js runtime answers it: the handler gets the event
 * and a Lambda-like context, and its function's Timeout is enforced.
 *
 * On a timeout the answer is the runtime's (FunctionError 'Unhandled', errorType
 * 'Sandbox.Timedout'). Real Lambda then freezes the execution environment and discards it, so
 * the handler's code stops. Here it cannot be stopped: its promise runs on in the background, its
 * result is ignored, and `settledAfterTimeoutAt` records when it ended, so a test can see work
 * done past the deadline (calls to the fake after `end`).
 */
import { randomUUID } from 'crypto';
import type { Context } from 'aws-lambda';

export type LambdaHandler = (event: any, context: Context) => Promise<unknown>;

export interface LambdaFunction {
  readonly role: 'onEvent' | 'isComplete';
  readonly arn: string;
  readonly name: string;
  readonly handler: LambdaHandler;
  readonly timeoutMs: number;
  readonly memoryMb: number;
}

export interface Invocation {
  readonly handler: 'onEvent' | 'isComplete';
  /** The CloudFormation RequestId of the event. */
  readonly requestId: string;
  /** Lambda's id of this invocation (context.awsRequestId). */
  readonly awsRequestId: string;
  readonly start: number;
  /** When the invoke answered: the handler's end, or the deadline. */
  readonly end: number;
  /** The error message answered, or 'Sandbox.Timedout'. */
  readonly error?: string;
  readonly timedOut: boolean;
  /** Only for a timed-out invocation: when its handler's promise ended, in the background. */
  settledAfterTimeoutAt?: number;
}

/** What Lambda's Invoke returns to the framework (outbound.invokeFunction). */
export interface InvokeResult {
  readonly StatusCode: number;
  readonly FunctionError?: 'Unhandled';
  readonly Payload: Uint8Array;
}

const payload = (value: unknown) => Buffer.from(JSON.stringify(value ?? null));

/** `track` is given the handler's own promise, which may outlive the invoke's answer. */
export async function invokeWithTimeout(fn: LambdaFunction, event: { RequestId?: string }, record: (i: Invocation) => void,
  track: (work: Promise<unknown>) => void = () => undefined): Promise<InvokeResult> {
  const awsRequestId = randomUUID();
  const start = Date.now();
  const deadline = start + fn.timeoutMs;
  const unsupported = () => { throw new Error('context.done/fail/succeed are not supported: return a promise'); };
  const context: Context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `${new Date(start).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${awsRequestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported, fail: unsupported, succeed: unsupported,
  };
  const base = { handler: fn.role, requestId: event.RequestId ?? '', awsRequestId, start };
  const outcome = Promise.resolve()
    .then(() => fn.handler(event, context))
    .then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
  track(outcome);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), fn.timeoutMs); });
  const first = await Promise.race([outcome, expired]);
  clearTimeout(timer);

  if (first === 'timeout') {
    const invocation: Invocation = { ...base, end: Date.now(), error: 'Sandbox.Timedout', timedOut: true };
    record(invocation);
    void outcome.then(() => { invocation.settledAfterTimeoutAt = Date.now(); });
    const seconds = (fn.timeoutMs / 1000).toFixed(2);
    return {
      StatusCode: 200, FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${awsRequestId} Error: Task timed out after ${seconds} seconds` }),
    };
  }
  if (first.ok) {
    record({ ...base, end: Date.now(), timedOut: false });
    return { StatusCode: 200, Payload: payload(first.value) };
  }
  // The Node.js runtime's error payload for an unhandled error.
  const error = first.error instanceof Error ? first.error : new Error(String(first.error));
  record({ ...base, end: Date.now(), error: error.message, timedOut: false });
  return {
    StatusCode: 200, FunctionError: 'Unhandled',
    Payload: payload({ errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') }),
  };
}
