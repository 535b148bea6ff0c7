/**
 * ServiceCatalogFake: an HTTP server on 127.0.0.1 that speaks the AWS JSON 1.1 protocol of
 * Service Catalog well enough for the real @aws-sdk/client-service-catalog (./http), and the
 * test's controls: products, records, faults and the call log.
 */
import { isIamPath, parsePrincipalArn } from './arns';
import { FakeClock, SYSTEM_CLOCK } from './clock';
import { Authorize, CallLogEntry, FakeHttpFront, Fault } from './http';
import { OperationName, ProvisionedProductStatus } from './model-constraints';
import { RecordErrorDetail, RecordOutcome } from './records';
import { ProductInit, ProductState, RecordSnapshot, ServiceCatalogState } from './state';
import { FakeSwitchSettings, FakeSwitches, applySwitches, nonNegative, switchSettingsOf } from './switches';

/** Setup of the fake, plus the initial value of any switch of ./switches (all settable later with `configure`). */
export interface ServiceCatalogFakeOptions extends FakeSwitchSettings {
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
  /** IAM of the caller; absent: everything is allowed. */
  readonly authorize?: Authorize;
}

export type { Authorize, CallLogEntry, Fault, FaultKind, UpdateEffect } from './http';

export interface UpdateSummary {
  readonly calls: number;
  readonly created: number;
  readonly replayed: number;
  readonly refused: number;
  readonly replayedRefusals: number;
  readonly throttled: number;
  readonly faulted: number;
}

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
    fake.configure(switchSettingsOf(options));
    fake.authorize = options.authorize;
    fake.port = await fake.front.listen();
    return fake;
  }

  /** `http://127.0.0.1:<port>`: give it to the SDK as `endpoint` or AWS_ENDPOINT_URL_SERVICE_CATALOG. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every request, in arrival order. */
  get calls(): CallLogEntry[] {
    return this.front.calls;
  }

  private readonly front: FakeHttpFront;
  private port = 0;

  /**
   * IAM of the caller, settable at any time: asked for each call's action
   * ('servicecatalog:DescribeRecord'); false answers AccessDeniedException. Undefined allows everything.
   */
  get authorize(): Authorize | undefined {
    return this.front.authorize;
  }

  set authorize(authorize: Authorize | undefined) {
    this.front.authorize = authorize;
  }

  private constructor(private readonly state: ServiceCatalogState) {
    this.front = new FakeHttpFront(state);
  }

  /** Closes the server and every socket (including keep-alive ones) at once. */
  async stop(): Promise<void> {
    await this.front.stop();
  }

  // ---- switches -------------------------------------------------------------------------

  /** Changes switches of ./switches from now on; the others keep their values. Throws on a bad value. */
  configure(settings: FakeSwitchSettings): void {
    this.state.settle();
    this.state.switches = applySwitches(this.state.switches, settings);
  }

  /** The switches as currently set. */
  get switches(): FakeSwitches {
    return this.state.switches;
  }

  // ---- principals -----------------------------------------------------------------------

  /**
   * Registers a principal as created at `createdAt` (default now), usable by the service only
   * `propagatesAfterMs` later (default 0; Infinity: never). Until then an
   * UpdateProvisionedProductProperties naming it (OWNER or LAUNCH_ROLE) answers
   * InvalidParametersException and creates nothing. Unregistered principals are accepted if in
   * the account. A role ARN also registers its path (see registerRolePath). Returns when it is usable.
   */
  addPrincipal(arn: string, options: { propagatesAfterMs?: number; createdAt?: number } = {}): number {
    const principal = parsePrincipalArn(arn);
    if (!principal) throw new Error(`not an IAM user, IAM role or STS assumed-role ARN: ${arn}`);
    const propagatesAfterMs = options.propagatesAfterMs ?? 0;
    nonNegative('propagatesAfterMs', propagatesAfterMs);
    const usableAt = (options.createdAt ?? this.state.now()) + propagatesAfterMs;
    this.state.principalsUsableAt.set(arn, usableAt);
    if (principal.kind === 'role') this.registerRolePath(principal.roleName!, principal.path!);
    return usableAt;
  }

  /**
   * Tells the fake a role's IAM path ('/team/'), which an assumed-role ARN does not carry: with
   * ownerArnForm 'role-and-session', UserArn names the role with this path.
   */
  registerRolePath(roleName: string, path: string): void {
    if (!isIamPath(path)) throw new Error(`an IAM path is '/' or '/a/b/'; got '${path}'`);
    this.state.rolePaths.set(roleName, path);
  }

  // ---- products -------------------------------------------------------------------------

  addProduct(init: ProductInit): void {
    for (const key of ['searchLagMs', 'recordVisibleAfterMs'] as const) if (init[key] !== undefined) nonNegative(key, init[key]);
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
    this.state.searchIndex.remove(id);
  }

  /**
   * Changes how this product behaves from now on: its future records (outcome, duration, read
   * lag), the Search lag of its future changes, and whether Search lists it at all.
   */
  configureProduct(id: string, config: {
    outcome?: RecordOutcome; recordDurationMs?: number; recordVisibleAfterMs?: number; searchLagMs?: number; neverListed?: boolean;
  }): void {
    const product = this.state.getProduct(id);
    if (config.outcome) product.outcome = config.outcome;
    if (config.recordDurationMs !== undefined) product.recordDurationMs = config.recordDurationMs;
    if (config.searchLagMs !== undefined) {
      nonNegative('searchLagMs', config.searchLagMs);
      product.searchLagMs = config.searchLagMs;
    }
    if (config.neverListed !== undefined) product.neverListed = config.neverListed;
    if (config.recordVisibleAfterMs !== undefined) {
      nonNegative('recordVisibleAfterMs', config.recordVisibleAfterMs);
      product.recordVisibleAfterMs = config.recordVisibleAfterMs;
    }
  }

  /** Fake-clock time from which Search shows the product's latest change (its addition or OWNER change). */
  searchCatchesUpAt(id: string): number | undefined {
    this.state.settle();
    return this.state.searchIndex.caughtUpAt(id);
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
    this.front.faults.set(operation, [...(this.front.faults.get(operation) ?? []), ...faults]);
  }

  /**
   * Holds the next call of `operation` before it reaches the service: `arrived` resolves once it
   * is held, and `release()` lets it through, answered from the state at that moment.
   */
  hold(operation: OperationName): { arrived: Promise<void>; release: () => void } {
    let release!: () => void;
    let arrived!: () => void;
    const until = new Promise<void>((resolve) => { release = resolve; });
    const arrival = new Promise<void>((resolve) => { arrived = resolve; });
    this.injectFaults(operation, { kind: 'hold', until, arrived });
    return { arrived: arrival, release };
  }

  /**
   * Runs `action` once, when the first call that `match` accepts has been answered (its outcome
   * known) and before the answer leaves: a test changes the service at a point of the handler's
   * sequence, not after some time.
   */
  onAnswered(match: (call: CallLogEntry) => boolean, action: (call: CallLogEntry) => void): void {
    this.front.observers.add({ match, action });
  }

  /** Sends every answer a 'delay' fault still holds back, now. */
  flushDelayed(): void {
    this.front.flushDelayed();
  }

  pendingFaults(operation: OperationName): number {
    return this.front.faults.get(operation)?.length ?? 0;
  }

  clearFaults(): void {
    this.front.faults.clear();
  }

  callsOf(operation: OperationName): CallLogEntry[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  /** Successful UpdateProvisionedProductProperties calls that created a new record (not replays). */
  writeCalls(): CallLogEntry[] {
    return this.callsOf('UpdateProvisionedProductProperties').filter((c) => c.outcome === 'ok' && !c.replayed);
  }

  /**
   * UpdateProvisionedProductProperties calls so far, by what they did: created a record,
   * replayed one from the token, were refused (any error the service answered; `replayedRefusals`
   * of them from a remembered token), were throttled (by the switch `throttle` or an injected
   * 'throttle' fault), or met another injected fault
   * (server-error, reset) that replaced the answer. Calls still in flight count in `calls` only.
   */
  updateSummary(): UpdateSummary {
    const calls = this.callsOf('UpdateProvisionedProductProperties');
    const count = (keep: (c: CallLogEntry) => boolean) => calls.filter(keep).length;
    return {
      calls: calls.length,
      created: count((c) => c.effect === 'created'),
      replayed: count((c) => c.effect === 'replayed'),
      refused: count((c) => c.effect === 'refused'),
      replayedRefusals: count((c) => c.effect === 'refused' && c.replayed === true),
      throttled: count((c) => c.outcome === 'throttled' || c.outcome === 'throttle'),
      faulted: count((c) => c.effect === undefined && !['throttled', 'throttle', 'pending'].includes(c.outcome)),
    };
  }
}
