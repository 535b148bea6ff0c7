/**
 * The ledgers of the products `plan` reads (lib/shared/ledger.ts), read only: an owner the ledger
 * proves replaces what Search shows, which can be an OWNER change late (how late is undocumented).
 * A ledger that cannot be read (access denied, say) is not used: the owner comes from Search, and
 * the plan says so in a warning line.
 */
import { LedgerReading } from '../lib/shared/ledger';
import { LedgerLookup, readLedgersTwice } from '../lambda/drift/ledger-owner';
import { readLedger } from '../lambda/ledger/store';
import { HandlerDeps } from '../lambda/runtime';

export class PlanLedgers implements LedgerLookup {
  /** Reads the ledgers of `productIds`, 10 per call. */
  public static async read(deps: HandlerDeps, productIds: readonly string[]): Promise<PlanLedgers> {
    const ledgers = new PlanLedgers(deps, await readLedgersTwice(deps, productIds, Infinity));
    for (const reading of ledgers.batched.values()) ledgers.note(reading);
    return ledgers;
  }

  /** Per kind of failure (the call and the error's name): its first cause, and how many products' ledgers it left unread. */
  private readonly unreadable = new Map<string, { cause: string; count: number }>();

  private constructor(private readonly deps: HandlerDeps, private readonly batched: Map<string, LedgerReading>) {}

  /** The product's ledger: from the batch, or read on its own (a product found by name late). */
  public async of(productId: string): Promise<LedgerReading> {
    const known = this.batched.get(productId);
    if (known) return known;
    const reading = await readLedger(this.deps, productId, Infinity);
    this.note(reading);
    this.batched.set(productId, reading);
    return reading;
  }

  public async again(productId: string): Promise<LedgerReading> {
    return readLedger(this.deps, productId, Infinity);
  }

  /** One line per kind of failure in `region`. */
  public warnings(region: string): string[] {
    return [...this.unreadable.values()].map(({ cause, count }) => `the ledger of ${count} product${count === 1 ? '' : 's'} in ${region} `
      + `could not be read (${cause}); the owner is read from SearchProvisionedProducts, which may show a recent change late`);
  }

  private note(reading: LedgerReading): void {
    if (reading.kind !== 'unknown') return;
    // Causes differ by the parameters they name: grouped by call and error name, one line each.
    const kind = reading.cause.split(': ').slice(0, 2).join(': ');
    const seen = this.unreadable.get(kind);
    this.unreadable.set(kind, { cause: seen?.cause ?? reading.cause, count: (seen?.count ?? 0) + 1 });
  }
}
