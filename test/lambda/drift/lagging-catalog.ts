/**
 * A Service Catalog for unit tests of the ledger's readers whose Search never shows an OWNER change
 * (the adversarial reading of its lag, test/e2e/service-catalog-fake/switches.ts): each product
 * keeps the owner Search listed first, while a properties update changes its real owner and makes a
 * new record, its LastRecordId. Records end as `recordStatus` says (SUCCEEDED by default).
 */
import {
  DescribeProvisionedProductCommand, DescribeRecordCommand, SearchProvisionedProductsCommand, ServiceCatalogClient,
  ServiceCatalogServiceException, UpdateProvisionedProductPropertiesCommand,
} from '@aws-sdk/client-service-catalog';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { Ledger, ledgerParameterName, serializeLedger } from '../../../lib/shared/ledger';
import { memorySsm } from '../ssm-memory';

export interface CatalogProduct {
  readonly name?: string;
  /** What Search shows, for good. */
  readonly searchOwner: string;
  owner: string;
  lastRecordId?: string;
}

export function laggingCatalog() {
  const sc = mockClient(ServiceCatalogClient);
  const products = new Map<string, CatalogProduct>();
  const recordStatus = new Map<string, string>();
  let records = 0;
  sc.on(SearchProvisionedProductsCommand).callsFake((input) => {
    const id = input.Filters.SearchQuery[0].slice(3);
    const product = products.get(id);
    return { ProvisionedProducts: product ? [{ Id: id, UserArn: product.searchOwner, UserArnSession: product.searchOwner }] : [] };
  });
  sc.on(DescribeProvisionedProductCommand).callsFake((input) => {
    const id = input.Id ?? [...products].find(([, p]) => p.name === input.Name)?.[0];
    const product = id === undefined ? undefined : products.get(id);
    if (!product) throw new ServiceCatalogServiceException({ name: 'ResourceNotFoundException', $fault: 'client', $metadata: {}, message: 'no such product' });
    return { ProvisionedProductDetail: { Id: id, Name: product.name, Status: 'AVAILABLE', LastRecordId: product.lastRecordId } };
  });
  sc.on(UpdateProvisionedProductPropertiesCommand).callsFake((input) => {
    const product = products.get(input.ProvisionedProductId)!;
    const recordId = `rec-${++records}`;
    product.owner = input.ProvisionedProductProperties.OWNER ?? product.owner;
    product.lastRecordId = recordId;
    return { RecordId: recordId, Status: 'CREATED' };
  });
  sc.on(DescribeRecordCommand).callsFake((input) => ({ RecordDetail: { RecordId: input.Id, Status: recordStatus.get(input.Id) ?? 'SUCCEEDED' } }));
  return {
    sc, products, recordStatus,
    add(id: string, product: CatalogProduct): void {
      products.set(id, product);
    },
    /** DescribeRecord calls, by record id. */
    describedRecords: (): string[] => sc.commandCalls(DescribeRecordCommand).map((c) => c.args[0].input.Id!),
    updates: (): string[] => sc.commandCalls(UpdateProvisionedProductPropertiesCommand).map((c) => c.args[0].input.ProvisionedProductId!),
    searches: (): number => sc.commandCalls(SearchProvisionedProductsCommand).length,
  };
}

/** The parameters of a memory SSM client (memorySsm, as fakeDeps gives one). */
export function parametersOf(ssm: SSMClient): Map<string, string> {
  const { parameters } = ssm as Partial<ReturnType<typeof memorySsm>>;
  if (!parameters) throw new Error('not a memorySsm() client');
  return parameters;
}

/** Puts `ledger` as the product's ledger parameter. */
export function putLedger(ssm: SSMClient, productId: string, ledger: Ledger): void {
  parametersOf(ssm).set(ledgerParameterName(productId), serializeLedger(productId, ledger));
}
