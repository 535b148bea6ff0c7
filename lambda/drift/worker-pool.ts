/**
 * A small pool of workers over a list: at most `concurrency` items in progress at once, each
 * item started by the first free worker, in list order. `mayStart` is asked before each item; once
 * it says no, no further item is started and the rest are handed to `notStarted`.
 */
export async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>,
  options: { mayStart?: () => boolean; notStarted?: (item: T) => void } = {}): Promise<void> {
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (next < items.length && !stopped) {
      if (options.mayStart && !options.mayStart()) {
        stopped = true;
        break;
      }
      await work(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  for (const item of items.slice(next)) {
    options.notStarted?.(item);
  }
}
