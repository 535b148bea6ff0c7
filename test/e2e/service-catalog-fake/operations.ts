/**
 * The four operations the project calls, on input that already satisfies the model. Each
 * returns the JSON output or throws a ServiceError carrying one of the operation's modeled
 * exceptions. Update and Search have their own modules.
 */
import { Handler, Input, OperationResult, ServiceError, epochSeconds, findProduct } from './common';
import { OperationName } from './model-constraints';
import { statusAt, updatedAt, visibleErrors } from './records';
import { scanProvisionedProducts } from './scan';
import { searchProvisionedProducts } from './search';
import { ProductState, ServiceCatalogState, StoredRecord } from './state';
import { updateProvisionedProductProperties } from './update';

export { ServiceError } from './common';

export const HANDLERS: Readonly<Record<OperationName, Handler>> = {
  UpdateProvisionedProductProperties: updateProvisionedProductProperties,
  DescribeRecord: describeRecord,
  DescribeProvisionedProduct: describeProvisionedProduct,
  SearchProvisionedProducts: searchProvisionedProducts,
  ScanProvisionedProducts: scanProvisionedProducts,
};

function describeRecord(state: ServiceCatalogState, input: Input, now: number): OperationResult {
  const record = state.records.get(input.Id);
  // A record too new to read answers as if it did not exist (switches recordVisibleAfterMs, recordNotFoundReads).
  if (!record || now < record.visibleAt || record.notFoundReadsLeft > 0) {
    if (record && record.notFoundReadsLeft > 0) record.notFoundReadsLeft -= 1;
    throw new ServiceError('ResourceNotFoundException', `Record ${input.Id} not found.`);
  }
  return { output: { RecordDetail: recordDetail(record, now), RecordOutputs: [] } };
}

function describeProvisionedProduct(state: ServiceCatalogState, input: Input): OperationResult {
  const { Id: id, Name: name } = input;
  if ((id === undefined) === (name === undefined)) {
    throw new ServiceError('InvalidParametersException', 'Provide exactly one of Id or Name.');
  }
  const product = id !== undefined
    ? findProduct(state, id)
    : [...state.products.values()].find((p) => p.name === name);
  if (!product) throw new ServiceError('ResourceNotFoundException', `Provisioned product ${name} not found.`);
  return { output: { ProvisionedProductDetail: productDetail(product, state), CloudWatchDashboards: [] } };
}

export function productDetail(p: ProductState, state: ServiceCatalogState): Record<string, unknown> {
  return {
    Name: p.name, Arn: p.arn, Type: p.type, Id: p.id, Status: shownStatus(p, state), StatusMessage: p.statusMessage,
    CreatedTime: epochSeconds(p.createdAt), IdempotencyToken: p.idempotencyToken, LastRecordId: p.lastRecordId,
    LastProvisioningRecordId: p.lastProvisioningRecordId, LastSuccessfulProvisioningRecordId: p.lastSuccessfulProvisioningRecordId,
    ProductId: p.productId, ProvisioningArtifactId: p.provisioningArtifactId, LaunchRoleArn: p.launchRoleArn,
  };
}

function recordDetail(r: StoredRecord, now: number): Record<string, unknown> {
  return {
    RecordId: r.id, ProvisionedProductName: r.provisionedProductName, Status: statusAt(r, now),
    CreatedTime: epochSeconds(r.createdAt), UpdatedTime: epochSeconds(updatedAt(r, now)),
    ProvisionedProductType: r.provisionedProductType, RecordType: r.type, ProvisionedProductId: r.provisionedProductId,
    ProductId: r.productId, ProvisioningArtifactId: r.provisioningArtifactId, PathId: r.pathId,
    RecordErrors: visibleErrors(r, now), RecordTags: [], LaunchRoleArn: r.launchRoleArn,
  };
}

/** The status DescribeProvisionedProduct shows: AVAILABLE while a properties record runs, under that reading (switches.ts). */
function shownStatus(p: ProductState, state: ServiceCatalogState): string {
  return state.switches.statusWhileRecordRuns === 'AVAILABLE' && p.pendingRecordId !== undefined && p.status === 'UNDER_CHANGE' ? 'AVAILABLE' : p.status;
}
