/** What every operation handler shares: the modeled error, the result, and lookups. */
import { ProductState, ServiceCatalogState } from './state';

export class ServiceError extends Error {
  /** `replayed`: the refusal was answered from an idempotency token (switch refusalConsumesToken). */
  constructor(readonly errorType: string, message: string, readonly httpStatus = 400, readonly replayed = false) {
    super(message);
  }
}

export interface OperationResult {
  readonly output: Record<string, unknown>;
  /** The record an Update created or replayed. */
  readonly recordId?: string;
  /** True when an Update was answered from its idempotency token, without a change. */
  readonly replayed?: boolean;
}

export type Input = Record<string, any>;
export type Handler = (state: ServiceCatalogState, input: Input, now: number) => OperationResult;

export function findProduct(state: ServiceCatalogState, id: string): ProductState {
  const product = state.products.get(id);
  if (!product) throw new ServiceError('ResourceNotFoundException', `Provisioned product ${id} not found.`);
  return product;
}

/** The service's JSON timestamps: epoch seconds, fractional. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
