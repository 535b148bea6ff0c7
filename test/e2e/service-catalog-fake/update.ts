/**
 * UpdateProvisionedProductProperties: the idempotency token, the principal checks and the busy
 * check, then a new record. Whether the token or the state is checked first, and whether a
 * refused call uses up its token, are switches (tokenCheck, refusalConsumesToken): undocumented.
 */
import { parsePrincipalArn } from './arns';
import { Input, OperationResult, ServiceError, findProduct } from './common';
import { PropertyKey, ProvisionedProductStatus } from './model-constraints';
import { statusAt } from './records';
import { ProductState, ServiceCatalogState, StoredRecord } from './state';

/** Statuses in which the service refuses to start another change. */
const BUSY_STATUSES: readonly ProvisionedProductStatus[] = ['UNDER_CHANGE', 'PLAN_IN_PROGRESS'];
/** Refusals a token remembers when refusalConsumesToken is on. */
const CONSUMING_REFUSALS = ['InvalidStateException', 'InvalidParametersException'];

export function updateProvisionedProductProperties(state: ServiceCatalogState, input: Input, now: number): OperationResult {
  const id: string = input.ProvisionedProductId;
  const token: string = input.IdempotencyToken;
  const properties: Record<PropertyKey, string> = input.ProvisionedProductProperties;
  const fingerprint = JSON.stringify([id, Object.entries(properties).sort(([a], [b]) => a.localeCompare(b))]);
  const { tokenCheck, refusalConsumesToken } = state.switches;
  try {
    // 'token-first': a retried request gets the original answer even while the product is busy with that very change.
    const early = tokenCheck === 'token-first' ? replay(state, token, fingerprint, now) : undefined;
    if (early) return early;
    const product = findProduct(state, id);
    checkPropertyValues(state, properties, now);
    checkNotBusy(product);
    const late = tokenCheck === 'state-first' ? replay(state, token, fingerprint, now) : undefined;
    if (late) return late;
    const record = state.startPropertyUpdate(product, properties, token, fingerprint, now);
    return { output: updateOutput(record, 'CREATED'), recordId: record.id };
  } catch (e) {
    if (refusalConsumesToken && e instanceof ServiceError && CONSUMING_REFUSALS.includes(e.errorType) && !state.tokens.has(token)) {
      state.tokens.set(token, { fingerprint, refusal: { errorType: e.errorType, message: e.message } });
    }
    throw e;
  }
}

/** The answer a token remembers, if it is known: its record, or (refusalConsumesToken) its refusal. */
function replay(state: ServiceCatalogState, token: string, fingerprint: string, now: number): OperationResult | undefined {
  const prior = state.tokens.get(token);
  if (!prior) return undefined;
  if (prior.fingerprint !== fingerprint) {
    throw new ServiceError('InvalidParametersException', `IdempotencyToken ${token} has already been used with different parameters.`);
  }
  if ('refusal' in prior) throw new ServiceError(prior.refusal.errorType, prior.refusal.message, 400, true);
  const record = state.records.get(prior.recordId)!;
  return { output: updateOutput(record, statusAt(record, now)), recordId: record.id, replayed: true };
}

function checkNotBusy(product: ProductState): void {
  if (BUSY_STATUSES.includes(product.status)) {
    throw new ServiceError('InvalidStateException',
      `Provisioned product ${product.id} is in status ${product.status}; wait until the current operation completes.`);
  }
}

function updateOutput(record: StoredRecord, status: string): Record<string, unknown> {
  return {
    ProvisionedProductId: record.provisionedProductId,
    ProvisionedProductProperties: record.properties,
    RecordId: record.id,
    Status: status,
  };
}

/**
 * OWNER: IAM user, IAM role or STS assumed-role ARN; LAUNCH_ROLE: IAM role ARN; both in the
 * caller's account, and (for a principal registered with addPrincipal) propagated through IAM.
 */
function checkPropertyValues(state: ServiceCatalogState, properties: Record<PropertyKey, string>, now: number): void {
  const accountId = state.config.accountId;
  for (const [key, value] of Object.entries(properties)) {
    const principal = parsePrincipalArn(value);
    if (key === 'OWNER' && !principal) {
      throw new ServiceError('InvalidParametersException',
        `OWNER must be an IAM user ARN, IAM role ARN or STS assumed-role ARN; got '${value}'.`);
    }
    if (key === 'LAUNCH_ROLE' && principal?.kind !== 'role') {
      throw new ServiceError('InvalidParametersException', `LAUNCH_ROLE must be an IAM role ARN; got '${value}'.`);
    }
    if (principal!.account !== accountId) {
      throw new ServiceError('InvalidParametersException',
        `${key} '${value}' is not in account ${accountId}; only principals of the same account are allowed.`);
    }
    // A principal created moments ago may be refused until IAM propagates it (terraform-provider-aws
    // retries InvalidParametersException on ProvisionProduct for that); the service's wording is undocumented.
    const usableAt = state.principalsUsableAt.get(value);
    if (usableAt !== undefined && now < usableAt) {
      throw new ServiceError('InvalidParametersException', `${key} '${value}' is not a valid principal: it does not exist.`);
    }
  }
}
