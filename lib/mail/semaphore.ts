/** At most `limit` calls of `fetch` in flight; a call holds its slot until its whole body has arrived. */
export function limitConcurrency(fetchFn: typeof fetch, limit: number): typeof fetch {
  let active = 0;
  const waiting: (() => void)[] = [];

  const acquire = async (): Promise<void> => {
    if (active < limit) {
      active++;
      return;
    }
    // The releasing call hands its slot over directly, so `active` never exceeds the limit.
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  return async (input, init) => {
    await acquire();
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
      release();
    }
  };
}
