import { describe, expect, it } from 'vitest';
import { limitConcurrency, semaphoreFor } from './semaphore';

describe('limitConcurrency', () => {
  it('holds a mailbox to its limit across every fetch that shares its semaphore', async () => {
    let inFlight = 0;
    let max = 0;
    const slow = (async () => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return new Response('{}', { status: 200 });
    }) as typeof fetch;
    const runner = limitConcurrency(slow, semaphoreFor('test|a@x', 4));
    const watcher = limitConcurrency(slow, semaphoreFor('test|a@x', 4));
    const other = limitConcurrency(slow, semaphoreFor('test|b@x', 4));
    const calls = Array.from({ length: 10 }, (_, i) => [runner, watcher][i % 2]!('https://x/'));
    await Promise.all(calls);
    expect(max).toBe(4);

    max = 0;
    await Promise.all([...calls.map(() => runner('https://x/')), ...calls.map(() => other('https://x/'))]);
    expect(max).toBe(8);
  });

  it('passes a 202 without a body through', async () => {
    const limited = limitConcurrency(
      (async () => new Response(null, { status: 202 })) as typeof fetch,
      semaphoreFor('t|c', 1),
    );
    expect((await limited('https://x/')).status).toBe(202);
  });
});
