/**
 * HubSpot over HTTP: bearer token, JSON, HubSpot's error body, its limits. A token bucket keeps the app
 * under its burst limit (100 or 110 requests per 10 s; search 5 per second, apart); a 429 is waited out
 * (the window of X-HubSpot-RateLimit-Interval-Milliseconds, growing with each attempt), except the daily
 * limit, which stops everything until it resets. Every request HubSpot answers is counted for the daily
 * accounting the admin sees.
 */
import { CrmDailyLimitError, CrmError } from '../provider';

export interface HubSpotClientOptions {
  /** https://api.hubapi.com, or the sandbox. */
  baseUrl: string;
  /** The current access token (the connection refreshes it before it expires). */
  token: () => Promise<string>;
  /** Requests per 10 s the app may make (110 for a public OAuth app, 100 for a private app). */
  burst: number;
  /** The share of `burst` the bucket allows (headroom for other apps' traffic on a private app). */
  headroom?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Called for each request HubSpot answered, with the daily remaining count when it says. */
  onRequest?: (info: { dailyRemaining?: number; dailyLimit?: number; status: number }) => void;
  /** Attempts for a 429, 423 or 5xx before giving up (default 5). */
  attempts?: number;
}

export interface HubSpotResponse<T> {
  status: number;
  body: T;
}

/** HubSpot's error body, as far as it goes. */
export interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  policyName?: string;
  errors?: { message?: string; code?: string; context?: Record<string, string[]> }[];
  context?: Record<string, string[]>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A token bucket whose tokens come back one window after they were spent: at most `capacity` requests in
 * any rolling window, which is how HubSpot counts its burst limit (a bucket refilled at a steady rate would
 * allow up to twice its size within one rolling window).
 */
export class TokenBucket {
  private spent: number[] = [];
  constructor(
    private readonly capacity: number,
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async take(): Promise<void> {
    for (;;) {
      const t = this.now();
      while (this.spent.length && this.spent[0]! <= t - this.windowMs) this.spent.shift();
      if (this.spent.length < this.capacity) {
        this.spent.push(t);
        return;
      }
      await this.sleep(this.spent[0]! + this.windowMs - t + 1);
    }
  }

  /** After a 429: the window counts as spent from now. */
  drain(): void {
    const t = this.now();
    this.spent = Array.from({ length: this.capacity }, () => t);
  }
}

export class HubSpotClient {
  private readonly burst: TokenBucket;
  private readonly search: TokenBucket;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Requests sent (each attempt): the benchmark's count. */
  requests = 0;

  constructor(private readonly options: HubSpotClientOptions) {
    const now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.fetch = options.fetch ?? fetch;
    const capacity = Math.max(1, Math.floor(options.burst * (options.headroom ?? 0.9)));
    this.burst = new TokenBucket(capacity, 10_000, now, this.sleep);
    this.search = new TokenBucket(4, 1000, now, this.sleep);
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    opts: { query?: Record<string, string>; retryUnsafe?: boolean } = {},
  ): Promise<HubSpotResponse<T>> {
    const isSearch = method === 'POST' && path.endsWith('/search');
    const url = new URL(this.options.baseUrl.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const attempts = this.options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      await (isSearch ? this.search : this.burst).take();
      this.requests += 1;
      let res: Response;
      try {
        res = await this.fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${await this.options.token()}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch (error) {
        // No answer: a write may or may not have happened. Only a caller whose write is idempotent retries.
        if (opts.retryUnsafe === false || attempt >= attempts)
          throw new CrmError(`HubSpot did not answer: ${(error as Error).message}`, 0, true);
        await this.sleep(200 * attempt);
        continue;
      }
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = { message: text.slice(0, 500) };
      }
      const dailyRemaining = res.headers.get('x-hubspot-ratelimit-daily-remaining');
      const dailyLimit = res.headers.get('x-hubspot-ratelimit-daily');
      this.options.onRequest?.({
        status: res.status,
        ...(dailyRemaining !== null ? { dailyRemaining: Number(dailyRemaining) } : {}),
        ...(dailyLimit !== null ? { dailyLimit: Number(dailyLimit) } : {}),
      });
      if (res.ok) return { status: res.status, body: parsed as T };
      const err = (parsed ?? {}) as HubSpotErrorBody;
      const message = err.message ?? `HubSpot answered ${res.status}`;
      if (res.status === 429) {
        if (err.policyName === 'DAILY') {
          this.burst.drain();
          throw new CrmDailyLimitError(message, 429, false, 'RATE_LIMIT');
        }
        if (attempt >= attempts) throw new CrmError(message, 429, true, 'RATE_LIMIT');
        // A search's secondly limit: a second; the burst window: the interval HubSpot names (10 s), and more
        // on each attempt, as HubSpot's own client does.
        const interval = Number(res.headers.get('x-hubspot-ratelimit-interval-milliseconds') ?? 10_000);
        const retryAfter = Number(res.headers.get('retry-after') ?? 0) * 1000;
        const wait = isSearch ? 1000 * attempt : Math.max(interval, retryAfter) * attempt;
        (isSearch ? this.search : this.burst).drain();
        await this.sleep(wait);
        continue;
      }
      const transient = res.status === 423 || res.status >= 500;
      if (transient && attempt < attempts && opts.retryUnsafe !== false) {
        await this.sleep(res.status === 423 ? 2000 : 200 * attempt);
        continue;
      }
      throw new CrmError(describe(err, res.status), res.status, transient, err.category);
    }
  }
}

/** HubSpot's message, with the per-property details when it gives them. */
export function describe(err: HubSpotErrorBody, status: number): string {
  const base = err.message ?? `HubSpot answered ${status}`;
  return base.length > 1000 ? `${base.slice(0, 1000)}…` : base;
}
