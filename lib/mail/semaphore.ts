/** Counts slots; `acquire` waits for one, `release` hands it to the next waiter directly (so none is stolen). */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

// One semaphore per mailbox and service, shared by every provider instance in this context (the runner's and
// the reply watcher's), since the service counts requests per mailbox, not per client object.
const shared = new Map<string, Semaphore>();

export function semaphoreFor(key: string, limit: number): Semaphore {
  let semaphore = shared.get(key);
  if (!semaphore || semaphore.limit !== limit) {
    semaphore = new Semaphore(limit);
    shared.set(key, semaphore);
  }
  return semaphore;
}

/** `fetch` holding a slot of `semaphore` for each call, until its whole body has arrived. */
export function limitConcurrency(fetchFn: typeof fetch, semaphore: Semaphore): typeof fetch {
  return async (input, init) => {
    await semaphore.acquire();
    try {
      const response = await fetchFn(input, init);
      // Buffer the body inside the slot: the server counts a request as in flight until it has answered fully.
      const body = [101, 204, 205, 304].includes(response.status) ? null : await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      semaphore.release();
    }
  };
}
