/**
 * The fake's world: provisioned products, their records, and idempotency tokens.
 *
 * Record progress is driven by the fake's clock (wall-clock time unless a test injects a
 * ManualClock): each record carries a precomputed timeline (./records). `settle()` applies the
 * effect of records whose terminal time has passed; every read and write calls it first, so
 * state is always consistent with "now".
 */
import { randomBytes } from 'crypto';
import { FakeClock } from './clock';
import { PropertyKey, ProvisionedProductStatus, RecordStatus } from './model-constraints';
import {
  RecordErrorDetail, RecordOutcome, RecordType, StatusChange, plannedTimeline, statusAt, terminalAt, visibleErrors,
} from './records';
import { SearchIndex } from './search-index';
import { DEFAULT_SWITCHES, FakeSwitches } from './switches';

export interface ProductInit {
  readonly id: string;
  readonly name?: string;
  readonly status?: ProvisionedProductStatus;
  /** Defaults to the fake's caller ARN: whoever provisions a product owns it. */
  readonly ownerArn?: string;
  readonly launchRoleArn?: string;
  /** How long records of this product take to reach their terminal status. */
  readonly recordDurationMs?: number;
  /** How records of this product end; SUCCEEDED by default. */
  readonly outcome?: RecordOutcome;
  readonly productId?: string;
  readonly productName?: string;
  readonly provisioningArtifactId?: string;
  /** This product's Search lag, instead of the fake's `searchLagMs`. */
  readonly searchLagMs?: number;
  /** Search never lists this product: Search missing products that exist was confirmed by AWS (aws-service-catalog-puppet). Default false. */
  readonly neverListed?: boolean;
  /** This product's record read lag, instead of the fake's `recordVisibleAfterMs`. */
  readonly recordVisibleAfterMs?: number;
}

/** The mutable state of one provisioned product; `product(id)` hands out copies. */
export interface ProductState {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly type: string;
  readonly createdAt: number;
  readonly idempotencyToken: string;
  readonly productId: string;
  readonly productName: string;
  readonly provisioningArtifactId: string;
  readonly pathId: string;
  readonly physicalId: string;
  status: ProvisionedProductStatus;
  statusMessage?: string;
  ownerArn: string;
  launchRoleArn?: string;
  lastRecordId: string;
  lastProvisioningRecordId: string;
  lastSuccessfulProvisioningRecordId: string;
  recordDurationMs: number;
  outcome: RecordOutcome;
  /** One-shot outcome (and duration) for the next update only. */
  nextOutcome?: { outcome: RecordOutcome; recordDurationMs?: number };
  /** The record that is changing the product, if any. */
  pendingRecordId?: string;
  /** Per-product overrides of the switches searchLagMs and recordVisibleAfterMs (see ProductInit). */
  searchLagMs?: number;
  recordVisibleAfterMs?: number;
  neverListed: boolean;
}

export interface StoredRecord {
  readonly id: string;
  readonly type: RecordType;
  readonly provisionedProductId: string;
  readonly provisionedProductName: string;
  readonly provisionedProductType: string;
  readonly productId: string;
  readonly provisioningArtifactId: string;
  readonly pathId: string;
  readonly launchRoleArn?: string;
  readonly createdAt: number;
  /** Fake-clock time from which DescribeRecord finds the record. */
  readonly visibleAt: number;
  /** DescribeRecord reads still answered "not found" (switch recordNotFoundReads). */
  notFoundReadsLeft: number;
  timeline: StatusChange[];
  errors: readonly RecordErrorDetail[];
  productStatusAfterFailure: ProvisionedProductStatus;
  readonly properties: Readonly<Record<string, string>>;
  readonly idempotencyToken?: string;
}

/** What tests see of a record (`fake.record(id)`). */
export interface RecordSnapshot {
  readonly recordId: string;
  readonly type: RecordType;
  readonly provisionedProductId: string;
  readonly status: RecordStatus;
  /** Epoch ms of creation. */
  readonly createdAt: number;
  /** Epoch ms from which DescribeRecord finds it (switch recordVisibleAfterMs). */
  readonly visibleAt: number;
  /** Epoch ms at which the record reaches (or reached) its terminal status; undefined while stuck. */
  readonly terminalAt?: number;
  readonly timeline: readonly StatusChange[];
  /** RecordErrors as DescribeRecord shows them now. */
  readonly errors: readonly RecordErrorDetail[];
  readonly properties: Readonly<Record<string, string>>;
  readonly idempotencyToken?: string;
}

export interface StateConfig {
  readonly accountId: string;
  readonly region: string;
  readonly callerArn: string;
  readonly defaultRecordDurationMs: number;
  readonly clock: FakeClock;
}

export type TokenMemory =
  | { readonly fingerprint: string; readonly recordId: string }
  | { readonly fingerprint: string; readonly refusal: { readonly errorType: string; readonly message: string } };

/** Random id in the service's style: prefix plus 13 lowercase alphanumerics. */
export function newId(prefix: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(13);
  return `${prefix}-${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

export class ServiceCatalogState {
  readonly products = new Map<string, ProductState>();
  /** Insertion-ordered, so iteration is creation order. */
  readonly records = new Map<string, StoredRecord>();
  /** IdempotencyToken -> the request it first came with and the record it created (or, with refusalConsumesToken, its refusal). */
  readonly tokens = new Map<string, TokenMemory>();
  readonly searchIndex = new SearchIndex();
  /** Role name -> IAM path ('/team/'), for UserArn forms that name the role of a session. */
  readonly rolePaths = new Map<string, string>();
  /** Principal ARN -> fake-clock time from which IAM lets the service use it (see addPrincipal). */
  readonly principalsUsableAt = new Map<string, number>();
  /** The behaviours AWS does not document, as currently switched (see ./switches). */
  switches: FakeSwitches = DEFAULT_SWITCHES;

  constructor(readonly config: StateConfig) {}

  now(): number {
    return this.config.clock.now();
  }

  addProduct(init: ProductInit, now = this.now()): ProductState {
    if (this.products.has(init.id)) throw new Error(`product ${init.id} already exists`);
    const { accountId, region } = this.config;
    const name = init.name ?? `sc-product-${init.id}`;
    const provisioningRecordId = newId('rec');
    const product: ProductState = {
      id: init.id,
      name,
      arn: `arn:aws:servicecatalog:${region}:${accountId}:stack/${name}/${init.id}`,
      type: 'CFN_STACK',
      createdAt: now,
      idempotencyToken: newId('token'),
      productId: init.productId ?? newId('prod'),
      productName: init.productName ?? 'fake-product',
      provisioningArtifactId: init.provisioningArtifactId ?? newId('pa'),
      pathId: newId('lpv3'),
      physicalId: `arn:aws:cloudformation:${region}:${accountId}:stack/SC-${accountId}-${init.id}/${newId('stack')}`,
      status: init.status ?? 'AVAILABLE',
      ownerArn: init.ownerArn ?? this.config.callerArn,
      launchRoleArn: init.launchRoleArn,
      lastRecordId: provisioningRecordId,
      lastProvisioningRecordId: provisioningRecordId,
      lastSuccessfulProvisioningRecordId: provisioningRecordId,
      recordDurationMs: init.recordDurationMs ?? this.config.defaultRecordDurationMs,
      outcome: init.outcome ?? { status: 'SUCCEEDED' },
      searchLagMs: init.searchLagMs,
      neverListed: init.neverListed ?? false,
      recordVisibleAfterMs: init.recordVisibleAfterMs,
    };
    this.products.set(product.id, product);
    const additionLag = this.switches.searchLagAppliesTo === 'changes' && init.searchLagMs === undefined ? 0 : this.searchLag(product);
    this.searchIndex.change(product.id, product.ownerArn, now, additionLag);
    // The product was provisioned before the test started: give it its finished PROVISION_PRODUCT record.
    this.records.set(provisioningRecordId, {
      ...recordBase(product, provisioningRecordId, 'PROVISION_PRODUCT', now),
      visibleAt: now,
      notFoundReadsLeft: 0,
      timeline: [{ status: 'CREATED', at: now }, { status: 'IN_PROGRESS', at: now }, { status: 'SUCCEEDED', at: now }],
      errors: [],
      productStatusAfterFailure: 'AVAILABLE',
      properties: {},
    });
    return product;
  }

  getProduct(id: string): ProductState {
    const product = this.products.get(id);
    if (!product) throw new Error(`no product ${id} in the fake`);
    return product;
  }

  /** Applies the effect of every record whose terminal time has passed. */
  settle(now = this.now()): void {
    for (const product of this.products.values()) {
      if (product.pendingRecordId === undefined) continue;
      const record = this.records.get(product.pendingRecordId)!;
      const end = terminalAt(record);
      if (end === undefined || end > now) continue;
      if (statusAt(record, now) === 'SUCCEEDED') {
        if ('OWNER' in record.properties) {
          product.ownerArn = record.properties.OWNER;
          this.searchIndex.change(product.id, product.ownerArn, end, this.searchLag(product));
        }
        if ('LAUNCH_ROLE' in record.properties) product.launchRoleArn = record.properties.LAUNCH_ROLE;
        product.status = 'AVAILABLE';
        product.statusMessage = undefined;
      } else {
        product.status = record.productStatusAfterFailure;
        product.statusMessage = product.status === 'AVAILABLE' ? undefined : record.errors[0]?.Description;
      }
      product.pendingRecordId = undefined;
    }
  }

  searchLag(product: ProductState): number {
    return product.searchLagMs ?? this.switches.searchLagMs;
  }

  /** Creates the record of an UpdateProvisionedProductProperties call and marks the product UNDER_CHANGE. */
  startPropertyUpdate(product: ProductState, properties: Record<PropertyKey, string>, token: string, fingerprint: string, now: number): StoredRecord {
    const planned = product.nextOutcome ?? { outcome: product.outcome, recordDurationMs: undefined };
    product.nextOutcome = undefined;
    const duration = planned.recordDurationMs ?? product.recordDurationMs;
    const id = newId('rec');
    const record: StoredRecord = {
      ...recordBase(product, id, 'UPDATE_PROVISIONED_PRODUCT_PROPERTIES', now),
      visibleAt: now + (product.recordVisibleAfterMs ?? this.switches.recordVisibleAfterMs),
      notFoundReadsLeft: this.switches.recordNotFoundReads,
      timeline: plannedTimeline(planned.outcome, now, duration),
      errors: 'status' in planned.outcome && planned.outcome.status === 'FAILED' ? planned.outcome.errors ?? [] : [],
      productStatusAfterFailure: 'status' in planned.outcome && planned.outcome.status === 'FAILED'
        ? planned.outcome.productStatusAfter ?? 'AVAILABLE' : 'AVAILABLE',
      properties: { ...properties },
      idempotencyToken: token,
    };
    this.records.set(id, record);
    this.tokens.set(token, { fingerprint, recordId: id });
    product.lastRecordId = id;
    product.pendingRecordId = id;
    product.status = 'UNDER_CHANGE';
    return record;
  }

  /** Ends a record now with the given outcome (e.g. to release a stuck record). */
  resolveRecord(recordId: string, outcome: RecordOutcome, now = this.now()): void {
    this.settle(now);
    const record = this.records.get(recordId);
    if (!record) throw new Error(`no record ${recordId} in the fake`);
    if (terminalAt(record) !== undefined && terminalAt(record)! <= now) throw new Error(`record ${recordId} already ended`);
    if ('stuck' in outcome) throw new Error('resolveRecord needs a terminal outcome');
    const past = record.timeline.filter((c) => c.at <= now);
    if (outcome.status === 'FAILED') {
      record.errors = outcome.errors ?? [];
      record.productStatusAfterFailure = outcome.productStatusAfter ?? 'AVAILABLE';
    }
    record.timeline = [...past, { status: outcome.status, at: now }];
    this.settle(now);
  }

  snapshot(record: StoredRecord, now: number): RecordSnapshot {
    return {
      recordId: record.id,
      type: record.type,
      provisionedProductId: record.provisionedProductId,
      status: statusAt(record, now),
      createdAt: record.createdAt,
      visibleAt: record.visibleAt,
      terminalAt: terminalAt(record),
      timeline: [...record.timeline],
      errors: visibleErrors(record, now),
      properties: record.properties,
      idempotencyToken: record.idempotencyToken,
    };
  }
}

function recordBase(product: ProductState, id: string, type: RecordType, now: number) {
  return {
    id,
    type,
    provisionedProductId: product.id,
    provisionedProductName: product.name,
    provisionedProductType: product.type,
    productId: product.productId,
    provisioningArtifactId: product.provisioningArtifactId,
    pathId: product.pathId,
    launchRoleArn: product.launchRoleArn,
    createdAt: now,
  };
}
