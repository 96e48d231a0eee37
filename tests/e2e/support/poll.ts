/**
 * Polls `read` until it gives `expected`, else fails naming what it last saw: expect.poll's check for the
 * support code the benchmarks share with the tests (vitest cannot be imported outside its runner).
 */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  expected: T,
  timeout = 5_000,
): Promise<void> {
  const end = Date.now() + timeout;
  let seen: T | undefined;
  for (;;) {
    seen = await read().catch(() => undefined);
    if (seen === expected) return;
    if (Date.now() > end)
      throw new Error(`${what}: expected ${JSON.stringify(expected)}, saw ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
