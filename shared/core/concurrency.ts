/**
 * Runs `fn` over `items` with at most `limit` calls in flight, keeping the input order in the
 * output: one account's hundred clusters cannot starve the others or trip its API rate limits. A
 * rejected call rejects the whole map (callers that must not stop catch inside `fn`).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

/** Splits a list into consecutive chunks of at most `size` (ECR batch APIs take 25 names). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
