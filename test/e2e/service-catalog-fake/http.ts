/**
 * The HTTP side of the fake: AWS JSON 1.1 framing, the call log and injected faults, in front of
 * the operation handlers. SigV4 signatures are accepted unchecked.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo, Socket } from 'net';
import {
  OPERATION_INPUT_SHAPES, OPERATIONS, OperationName, TARGET_PREFIX, WrongTypeError, validateInput,
} from './model-constraints';
import { HANDLERS, ServiceError } from './operations';
import { ServiceCatalogState } from './state';
import { TokenBuckets } from './throttle';

export type Fault =
  | { readonly kind: 'throttle' }
  | { readonly kind: 'server-error' }
  | { readonly kind: 'reset' }
  /** IAM refuses the call: AccessDeniedException (HTTP 400, as AWS JSON services answer it), naming the action. */
  | { readonly kind: 'access-denied' }
  | { readonly kind: 'delay'; readonly ms: number }
  /**
   * The call is held before it reaches the service until `until` settles, then answered from the
   * state at that moment: the test orders other events between a call's sending and its effect
   * (explicit ordering, no timer). `arrived` is called when the call is held.
   */
  | { readonly kind: 'hold'; readonly until: Promise<void>; readonly arrived: () => void };
export type FaultKind = Fault['kind'];

/** Whether IAM lets the caller do `action` ('servicecatalog:DescribeRecord'); these actions have no resource-level permissions. */
export type Authorize = (action: string) => boolean;

export interface CallLogEntry {
  /** The operation named by X-Amz-Target (as sent, even if unknown). */
  readonly operation: string;
  readonly input: any;
  /** The fake's clock (epoch ms) when the request arrived. */
  readonly at: number;
  /**
   * 'ok', the error name answered (ValidationException, ...), 'throttled' when the switch
   * `throttle` refused it (ThrottlingException), or the fault kind when an injected fault
   * replaced the answer ('throttle', 'server-error', 'reset'). A 'delay' fault does not replace
   * the answer: see `fault`.
   */
  outcome: string;
  /** The injected fault this call consumed, if any. */
  fault?: FaultKind;
  /** The fake's clock when the response was written (undefined for 'reset'). */
  respondedAt?: number;
  /** For UpdateProvisionedProductProperties: the record created or replayed. */
  recordId?: string;
  /** True when an Update was answered from its idempotency token (a record or a remembered refusal), making no change. */
  replayed?: boolean;
  /**
   * For an UpdateProvisionedProductProperties the service answered (not a fault, not throttled):
   * 'created' a record, 'replayed' an earlier record from the token, or 'refused' (any error).
   */
  effect?: UpdateEffect;
}

export type UpdateEffect = 'created' | 'replayed' | 'refused';

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly errorType?: string;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

export class FakeHttpFront {
  readonly calls: CallLogEntry[] = [];
  /** Per operation, the injected faults still to be consumed, in order. */
  readonly faults = new Map<string, Fault[]>();
  /** One-shot actions on the first answered call each matches (explicit ordering for tests). */
  readonly observers = new Set<{ match: (entry: CallLogEntry) => boolean; action: (entry: CallLogEntry) => void }>();
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  /** Delayed answers, each with what sends it. */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly buckets = new TokenBuckets<OperationName>();
  /** IAM of the caller; undefined allows everything. */
  authorize?: Authorize;

  constructor(private readonly state: ServiceCatalogState) {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Listens on an ephemeral port of 127.0.0.1 and returns it. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Closes the server and every socket (including keep-alive ones) at once. */
  async stop(): Promise<void> {
    for (const timer of this.timers.keys()) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = this.state.now();
    let rawBody: string;
    try {
      rawBody = await readBody(req);
    } catch {
      return; // the client went away
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(`${TARGET_PREFIX}.`) ? target.slice(TARGET_PREFIX.length + 1) : target;
    const entry: CallLogEntry = { operation, input: parseJson(rawBody), at, outcome: 'pending' };
    this.calls.push(entry);

    const fault = this.faults.get(operation)?.shift();
    if (fault) entry.fault = fault.kind;
    switch (fault?.kind) {
      case 'throttle':
        entry.outcome = 'throttle';
        return this.send(res, entry, errorReply('ThrottlingException', 'Rate exceeded'));
      case 'server-error':
        entry.outcome = 'server-error';
        return this.send(res, entry, errorReply('InternalFailure', 'An internal error occurred.', 500));
      case 'access-denied':
        entry.outcome = 'access-denied';
        return this.send(res, entry, this.accessDenied(operation));
      case 'reset':
        entry.outcome = 'reset';
        req.socket.resetAndDestroy();
        return;
      case 'delay': {
        // The work is done on arrival and only the answer is late, like a slow network path:
        // a client that times out and retries with the same token sees an idempotent replay.
        const reply = this.answer(req, operation, rawBody, entry);
        const timer = setTimeout(() => this.sendDelayed(timer), fault.ms);
        this.timers.set(timer, () => this.send(res, entry, reply));
        return;
      }
      case 'hold':
        fault.arrived();
        void fault.until.then(() => this.send(res, entry, this.answer(req, operation, rawBody, entry)));
        return;
      default:
        return this.send(res, entry, this.answer(req, operation, rawBody, entry));
    }
  }

  private answer(req: http.IncomingMessage, operation: string, rawBody: string, entry: CallLogEntry): Reply {
    // The account's rate limit comes before any check of the request, as at AWS's front door.
    if ((OPERATIONS as readonly string[]).includes(operation)
      && !this.buckets.take(this.state.switches.throttle, operation as OperationName, this.state.now())) {
      entry.outcome = 'throttled';
      return errorReply('ThrottlingException', 'Rate exceeded');
    }
    // IAM decides on the action alone, before the service reads the input.
    const reply = (OPERATIONS as readonly string[]).includes(operation) && this.authorize?.(`servicecatalog:${operation}`) === false
      ? this.accessDenied(operation)
      : this.dispatch(req, operation, rawBody, entry);
    entry.outcome = reply.errorType ?? 'ok';
    if (operation === 'UpdateProvisionedProductProperties') {
      entry.effect = reply.errorType ? 'refused' : entry.replayed ? 'replayed' : 'created';
    }
    return reply;
  }

  /** Protocol checks, model validation, then the operation itself. */
  private dispatch(req: http.IncomingMessage, operation: string, rawBody: string, entry: CallLogEntry): Reply {
    try {
      if (req.method !== 'POST' || !(OPERATIONS as readonly string[]).includes(operation)) {
        throw new ServiceError('UnknownOperationException', `Unknown operation ${operation || '(no X-Amz-Target)'}.`);
      }
      const op = operation as OperationName;
      let input: unknown;
      try {
        input = rawBody === '' ? {} : JSON.parse(rawBody);
        const violations = validateInput(OPERATION_INPUT_SHAPES[op], input);
        if (violations) throw new ServiceError('ValidationException', violations);
      } catch (e) {
        if (e instanceof SyntaxError || e instanceof WrongTypeError) throw new ServiceError('SerializationException', e.message);
        throw e;
      }
      const now = this.state.now();
      this.state.settle(now);
      const result = HANDLERS[op](this.state, input as Record<string, unknown>, now);
      entry.recordId = result.recordId;
      if (result.replayed) entry.replayed = true;
      return { status: 200, body: result.output };
    } catch (e) {
      if (e instanceof ServiceError) {
        if (e.replayed) entry.replayed = true;
        return errorReply(e.errorType, e.message, e.httpStatus);
      }
      return errorReply('InternalFailure', `Fake failed: ${(e as Error).message}`, 500);
    }
  }

  /** AccessDeniedException as IAM answers it for an AWS JSON service: HTTP 400, naming the action. */
  private accessDenied(operation: string): Reply {
    return errorReply('AccessDeniedException', `User: ${this.state.config.callerArn} is not authorized to perform: `
      + `servicecatalog:${operation} because no identity-based policy allows the servicecatalog:${operation} action`);
  }

  /** Sends every delayed answer now, in arrival order: a test's explicit "later". */
  flushDelayed(): void {
    for (const timer of [...this.timers.keys()]) {
      clearTimeout(timer);
      this.sendDelayed(timer);
    }
  }

  private sendDelayed(timer: NodeJS.Timeout): void {
    const send = this.timers.get(timer);
    this.timers.delete(timer);
    send?.();
  }

  private send(res: http.ServerResponse, entry: CallLogEntry, reply: Reply): void {
    if (res.destroyed) return;
    const body = JSON.stringify(reply.body);
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': JSON_CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(body),
      'x-amzn-RequestId': randomUUID(),
    };
    if (reply.errorType) headers['x-amzn-ErrorType'] = reply.errorType;
    // Observers act once the answer is decided and before it leaves: the client sees their effect on its next call.
    for (const observer of [...this.observers]) {
      if (observer.match(entry)) {
        this.observers.delete(observer);
        observer.action(entry);
      }
    }
    res.writeHead(reply.status, headers);
    res.end(body);
    entry.respondedAt = this.state.now();
  }
}

function errorReply(errorType: string, message: string, status = 400): Reply {
  return { status, errorType, body: { __type: errorType, Message: message } };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The call log keeps what was sent even when it is not valid JSON. */
function parseJson(text: string): unknown {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    return text;
  }
}
