/**
 * ServiceCatalogFake: an HTTP server on 127.0.0.1 that speaks the AWS JSON 1.1 protocol of
 * Service Catalog well enough for the real @aws-sdk/client-service-catalog, with a call log and
 * fault injection. SigV4 signatures are accepted unchecked.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo, Socket } from 'net';
import { FakeClock, SYSTEM_CLOCK } from './clock';
import {
  OPERATION_INPUT_SHAPES, OPERATIONS, OperationName, ProvisionedProductStatus, TARGET_PREFIX, WrongTypeError, validateInput,
} from './model-constraints';
import { HANDLERS, ServiceError } from './operations';
import {
  ProductInit, ProductState, RecordErrorDetail, RecordOutcome, RecordSnapshot, ServiceCatalogState,
} from './state';

export interface ServiceCatalogFakeOptions {
  /** The account of the fake; OWNER and LAUNCH_ROLE must belong to it. Default 123456789012. */
  readonly accountId?: string;
  readonly region?: string;
  /** Who the fake believes is calling (used by AccessLevelFilter User/Role and as default owner). */
  readonly callerArn?: string;
  /** Default time a record takes to reach its terminal status. Default 300 ms. */
  readonly defaultRecordDurationMs?: number;
  /**
   * The fake's time: records progress, and everything else the fake times, by this clock.
   * Default: wall-clock time. Give a ManualClock to step through a record deterministically.
   */
  readonly clock?: FakeClock;
}

export type Fault =
  | { readonly kind: 'throttle' }
  | { readonly kind: 'server-error' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'delay'; readonly ms: number };
export type FaultKind = Fault['kind'];

export interface CallLogEntry {
  /** The operation named by X-Amz-Target (as sent, even if unknown). */
  readonly operation: string;
  readonly input: any;
  /** The fake's clock (epoch ms) when the request arrived. */
  readonly at: number;
  /**
   * 'ok', the error name answered (ValidationException, ...), or the fault kind when a fault
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
  /** True when an Update was answered from its idempotency token, making no change. */
  replayed?: boolean;
}

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly errorType?: string;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const DEFAULT_ACCOUNT = '123456789012';

export class ServiceCatalogFake {
  static async start(options: ServiceCatalogFakeOptions = {}): Promise<ServiceCatalogFake> {
    const accountId = options.accountId ?? DEFAULT_ACCOUNT;
    const state = new ServiceCatalogState({
      accountId,
      region: options.region ?? 'us-east-1',
      callerArn: options.callerArn ?? `arn:aws:sts::${accountId}:assumed-role/fake-caller/fake-session`,
      defaultRecordDurationMs: options.defaultRecordDurationMs ?? 300,
      clock: options.clock ?? SYSTEM_CLOCK,
    });
    const fake = new ServiceCatalogFake(state);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** `http://127.0.0.1:<port>`: give it to the SDK as `endpoint` or AWS_ENDPOINT_URL_SERVICE_CATALOG. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  readonly calls: CallLogEntry[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly faults = new Map<string, Fault[]>();
  private port = 0;

  private constructor(private readonly state: ServiceCatalogState) {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Closes the server and every socket (including keep-alive ones) at once. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  // ---- products -------------------------------------------------------------------------

  addProduct(init: ProductInit): void {
    this.state.addProduct(init);
  }

  /** A copy of the product's current state, or undefined if there is no such product. */
  product(id: string): Readonly<ProductState> | undefined {
    this.state.settle();
    const product = this.state.products.get(id);
    return product && { ...product };
  }

  setProductStatus(id: string, status: ProvisionedProductStatus): void {
    this.state.settle();
    this.state.getProduct(id).status = status;
  }

  removeProduct(id: string): void {
    this.state.settle();
    this.state.products.delete(id);
  }

  /** Changes how this product's future records behave (every update from now on). */
  configureProduct(id: string, config: { outcome?: RecordOutcome; recordDurationMs?: number }): void {
    const product = this.state.getProduct(id);
    if (config.outcome) product.outcome = config.outcome;
    if (config.recordDurationMs !== undefined) product.recordDurationMs = config.recordDurationMs;
  }

  /** Sets the outcome (and optionally the duration) of the product's next record only. */
  setNextOutcome(id: string, outcome: RecordOutcome, recordDurationMs?: number): void {
    this.state.getProduct(id).nextOutcome = { outcome, recordDurationMs };
  }

  /** Shorthand: the product's next record FAILS with these errors. */
  failNextRecord(id: string, errors: RecordErrorDetail[] = [{ Code: 'Failed', Description: 'Injected failure' }],
    options: { inErrorFirst?: boolean; productStatusAfter?: 'AVAILABLE' | 'TAINTED' | 'ERROR' } = {}): void {
    this.setNextOutcome(id, { status: 'FAILED', errors, ...options });
  }

  // ---- records --------------------------------------------------------------------------

  record(recordId: string): RecordSnapshot | undefined {
    const now = this.state.now();
    this.state.settle(now);
    const record = this.state.records.get(recordId);
    return record && this.state.snapshot(record, now);
  }

  /** All records in creation order, optionally of one provisioned product. */
  records(provisionedProductId?: string): RecordSnapshot[] {
    const now = this.state.now();
    this.state.settle(now);
    return [...this.state.records.values()]
      .filter((r) => provisionedProductId === undefined || r.provisionedProductId === provisionedProductId)
      .map((r) => this.state.snapshot(r, now));
  }

  /** Ends a non-terminal (e.g. stuck) record now. */
  resolveRecord(recordId: string, outcome: RecordOutcome): void {
    this.state.resolveRecord(recordId, outcome);
  }

  // ---- faults and call log ----------------------------------------------------------------

  /** Queues faults for an operation; each later call consumes one, in order, before normal handling. */
  injectFaults(operation: OperationName, ...faults: Fault[]): void {
    this.faults.set(operation, [...(this.faults.get(operation) ?? []), ...faults]);
  }

  pendingFaults(operation: OperationName): number {
    return this.faults.get(operation)?.length ?? 0;
  }

  clearFaults(): void {
    this.faults.clear();
  }

  callsOf(operation: OperationName): CallLogEntry[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  /** Successful UpdateProvisionedProductProperties calls that created a new record (not replays). */
  writeCalls(): CallLogEntry[] {
    return this.callsOf('UpdateProvisionedProductProperties').filter((c) => c.outcome === 'ok' && !c.replayed);
  }

  // ---- HTTP -------------------------------------------------------------------------------

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
      case 'reset':
        entry.outcome = 'reset';
        req.socket.resetAndDestroy();
        return;
      case 'delay': {
        // The work is done on arrival and only the answer is late, like a slow network path:
        // a client that times out and retries with the same token sees an idempotent replay.
        const reply = this.answer(req, operation, rawBody, entry);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.send(res, entry, reply);
        }, fault.ms);
        this.timers.add(timer);
        return;
      }
      default:
        return this.send(res, entry, this.answer(req, operation, rawBody, entry));
    }
  }

  private answer(req: http.IncomingMessage, operation: string, rawBody: string, entry: CallLogEntry): Reply {
    const reply = this.dispatch(req, operation, rawBody, entry);
    entry.outcome = reply.errorType ?? 'ok';
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
      if (e instanceof ServiceError) return errorReply(e.errorType, e.message, e.httpStatus);
      return errorReply('InternalFailure', `Fake failed: ${(e as Error).message}`, 500);
    }
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
