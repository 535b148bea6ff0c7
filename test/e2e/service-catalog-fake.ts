/**
 * A local HTTP fake of AWS Service Catalog for end-to-end tests. The implementation lives in
 * ./service-catalog-fake/: model-constraints (input constraints copied from the official model),
 * arns (OWNER / LAUNCH_ROLE rules), state (products, records, time-driven progress),
 * operations (the four operations the project calls) and server (HTTP, call log, fault injection).
 */
export { ServiceCatalogFake } from './service-catalog-fake/server';
export { ManualClock, SYSTEM_CLOCK } from './service-catalog-fake/clock';
export type { FakeClock } from './service-catalog-fake/clock';
export type { CallLogEntry, Fault, FaultKind, ServiceCatalogFakeOptions } from './service-catalog-fake/server';
export type {
  ProductInit, ProductState, RecordErrorDetail, RecordOutcome, RecordSnapshot, RecordType, StatusChange,
} from './service-catalog-fake/state';
export type {
  OperationName, PropertyKey, ProvisionedProductStatus, RecordStatus,
} from './service-catalog-fake/model-constraints';
