import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from './http';

export interface RateLimits {
  /** Requests per minute to /auth/* from one address (0: no limit). */
  authPerMinute: number;
  /** Requests per minute for one tracking token (one email's pixel, link or unsubscribe) (0: no limit). */
  trackingPerTokenPerMinute: number;
  /** Requests per minute to /t/* from one address (0: no limit). */
  trackingPerIpPerMinute: number;
  /** Proxies in front of the server that append to X-Forwarded-For; 0 trusts no such header. */
  trustProxyHops: number;
}

export const NO_LIMITS: RateLimits = {
  authPerMinute: 0,
  trackingPerTokenPerMinute: 0,
  trackingPerIpPerMinute: 0,
  trustProxyHops: 0,
};

/** Keys one limiter remembers at most (about 100 bytes each): an attacker with many addresses cannot grow it. */
export const MAX_KEYS = 100_000;

/**
 * A token bucket per key: `perMinute` requests in a burst, refilled evenly over the minute. In memory, so
 * with several server processes each one counts its own share (see server/README.md).
 */
export function createLimiter(perMinute: number, now: () => number, maxKeys = MAX_KEYS) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const ratePerMs = perMinute / 60_000;
  let calls = 0;
  const sweep = (t: number) => {
    for (const [k, b] of buckets) if (b.tokens + (t - b.at) * ratePerMs >= perMinute) buckets.delete(k);
  };
  return {
    /** 0 when the request may go, else the seconds until it may. */
    take(key: string): number {
      const t = now();
      if (++calls % 10_000 === 0) sweep(t);
      let b = buckets.get(key);
      if (!b && buckets.size >= maxKeys) {
        // Memory is capped: full buckets go first, then the longest untouched (a Map keeps insertion
        // order, and a key is re-inserted on each use below), a tenth at a time.
        sweep(t);
        // Down to 90% at least, so the next sweep is a tenth of the keys away.
        let drop = buckets.size - Math.floor(maxKeys * 0.9);
        for (const k of buckets.keys()) {
          if (drop-- <= 0) break;
          buckets.delete(k);
        }
      }
      b ??= { tokens: perMinute, at: t };
      buckets.delete(key);
      b.tokens = Math.min(perMinute, b.tokens + Math.max(0, t - b.at) * ratePerMs);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000));
    },
    /** Keys remembered now. */
    size: () => buckets.size,
  };
}

/** The client's address: the socket's, or the one the trusted proxies put in X-Forwarded-For. */
export function addressFrom(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
  trustProxyHops: number,
): string {
  if (trustProxyHops > 0) {
    const hops = (forwardedFor ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const address = hops[hops.length - trustProxyHops];
    if (address) return address;
  }
  return socketAddress ?? 'unknown';
}

/** The client's address of a request through the app (addressFrom). */
export function clientAddress(c: Context, trustProxyHops: number): string {
  // An in-process request (tests) has no socket.
  const env = c.env as { incoming?: unknown; server?: unknown } | undefined;
  const socket = env?.incoming || env?.server ? (getConnInfo(c).remote.address ?? 'unknown') : 'unknown';
  return addressFrom(
    trustProxyHops > 0 ? c.req.header('x-forwarded-for') : undefined,
    socket,
    trustProxyHops,
  );
}

interface Limit<In> {
  perMinute: number;
  keyOf: (input: In) => string | undefined;
  what: string;
}

/** Why a request was turned away: the seconds until it may come back, and what it asked too often. */
export interface Refusal {
  wait: number;
  what: string;
}

/**
 * Several limits checked together (no await: the tracking pixel is the hottest path there is): the first
 * refusal, or undefined when the request may go. Undefined when no limit is on.
 */
export function createLimits<In>(
  now: () => number,
  ...limits: Limit<In>[]
): ((input: In) => Refusal | undefined) | undefined {
  const active = limits
    .filter((l) => l.perMinute > 0)
    .map((l) => ({ ...l, limiter: createLimiter(l.perMinute, now) }));
  if (!active.length) return undefined;
  return (input) => {
    for (const { keyOf, limiter, what } of active) {
      const key = keyOf(input);
      const wait = key === undefined ? 0 : limiter.take(key);
      if (wait !== 0) return { wait, what };
    }
    return undefined;
  };
}

/** Answers 429 with Retry-After when `check` refuses the request (its input read from the request). */
export function limitedBy<In>(
  check: ((input: In) => Refusal | undefined) | undefined,
  inputOf: (c: Context) => In,
): MiddlewareHandler {
  if (!check) return (_c, next) => next();
  return (c, next) => {
    const refused = check(inputOf(c));
    if (!refused) return next();
    c.header('retry-after', String(refused.wait));
    return Promise.resolve(
      c.json(
        errorBody('rate_limited', `too many requests ${refused.what}; try again in ${refused.wait} s`),
        429,
      ),
    );
  };
}

/** Answers 429 with Retry-After once a key has used its requests of the minute (createLimits). */
export function rateLimit(now: () => number, ...limits: Limit<Context>[]): MiddlewareHandler {
  return limitedBy(createLimits(now, ...limits), (c) => c);
}
