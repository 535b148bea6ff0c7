/** What every handler uses from the outside world; tests replace the clock and the sleep. */
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { serviceCatalogClient } from './service-catalog';

/** A failure to report as it is: the message is written for the operator. */
export class DeployFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployFailure';
  }
}

export interface HandlerDeps {
  readonly client: ServiceCatalogClient;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** One structured (JSON) log line. */
  readonly log: (message: string, details?: Record<string, unknown>) => void;
}

export function runtimeDeps(): HandlerDeps {
  return {
    client: serviceCatalogClient(),
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: (message, details) => console.log(JSON.stringify({ message, ...details })),
  };
}
