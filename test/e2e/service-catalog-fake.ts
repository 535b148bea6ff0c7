/**
 * A local HTTP fake of AWS Service Catalog for end-to-end tests. The implementation lives in
 * ./service-catalog-fake/: model-constraints (input constraints copied from the official model),
 * arns (OWNER / LAUNCH_ROLE rules), clock (the fake's time), records (record timelines), state
 * (products, records, tokens), operations, update and search (the four operations the project
 * calls), http (AWS JSON 1.1, call log, fault injection) and server (the test's controls).
 */
export { ServiceCatalogFake } from './service-catalog-fake/server';
export { ManualClock, SYSTEM_CLOCK } from './service-catalog-fake/clock';
export type { FakeClock } from './service-catalog-fake/clock';
export type {
  CallLogEntry, Fault, FaultKind, ServiceCatalogFakeOptions, UpdateEffect, UpdateSummary,
} from './service-catalog-fake/server';
export type { FakeSwitchSettings, FakeSwitches } from './service-catalog-fake/switches';
export type { ProductInit, ProductState, RecordSnapshot } from './service-catalog-fake/state';
export type { RecordErrorDetail, RecordOutcome, RecordType, StatusChange } from './service-catalog-fake/records';
export type {
  OperationName, PropertyKey, ProvisionedProductStatus, RecordStatus,
} from './service-catalog-fake/model-constraints';
