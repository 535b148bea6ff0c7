/**
 * What SearchProvisionedProducts sees: an index of each product's OWNER that catches up with a
 * change only after a lag. AWS confirmed Search can miss products that exist
 * (aws-service-catalog-puppet moved from Search to Scan for it); the lag's length is undocumented.
 * The index lags what this project reads from Search (the product's presence and its owner);
 * the other attributes Search returns are read live.
 */

interface IndexEntry {
  readonly ownerArn: string;
  /** Fake-clock time from which Search shows this entry. */
  readonly visibleAt: number;
}

export type LagReading = 'stale-owner' | 'unlisted';

export class SearchIndex {
  private readonly entries = new Map<string, IndexEntry[]>();

  /** A product was added, or its OWNER changed, at `changedAt`; Search shows it `lagMs` later. */
  change(productId: string, ownerArn: string, changedAt: number, lagMs: number): void {
    const list = this.entries.get(productId) ?? [];
    list.push({ ownerArn, visibleAt: changedAt + lagMs });
    this.entries.set(productId, list);
  }

  remove(productId: string): void {
    this.entries.delete(productId);
  }

  /**
   * The owner Search shows for the product at `now`, or undefined when Search does not list it:
   * never indexed yet, or (reading 'unlisted') its latest change is not indexed yet.
   */
  ownerShown(productId: string, now: number, reading: LagReading): string | undefined {
    const list = this.entries.get(productId) ?? [];
    const shown = list.filter((e) => e.visibleAt <= now).pop();
    if (!shown) return undefined;
    if (shown !== list[list.length - 1] && reading === 'unlisted') return undefined;
    return shown.ownerArn;
  }

  /** When Search catches up with the product's latest change (for tests). */
  caughtUpAt(productId: string): number | undefined {
    const list = this.entries.get(productId);
    return list && Math.max(...list.map((e) => e.visibleAt));
  }
}
