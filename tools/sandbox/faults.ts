/** Injected faults per route: a status (with Retry-After), added latency, or a dropped connection. */

export interface FaultSpec {
  /**
   * 'METHOD /path' exactly (e.g. 'POST /gmail/v1/users/me/messages/send'), or a RegExp source matched
   * against the whole 'METHOD /path' (anchored at both ends), or a RegExp object (used as is).
   */
  route: string | RegExp;
  kind: 'status' | 'latency' | 'drop';
  status?: number;
  retryAfterSeconds?: number;
  /** Response body; defaults to the API's own error shape for that status. */
  body?: unknown;
  /** Gmail error `reason` or Graph error `code` for the default body (e.g. 'userRateLimitExceeded'). */
  reason?: string;
  latencyMs?: number;
  /**
   * 'before' (default): the request never takes effect. 'after': a status or drop fault lets the request take
   * effect (the mail is sent), then replaces or drops the answer, as when a connection dies after the accept.
   */
  when?: 'before' | 'after';
  /** How many matching requests it hits; default 1, Infinity for always. */
  times?: number;
}

interface ActiveFault {
  spec: FaultSpec;
  matcher: (key: string) => boolean;
  left: number;
}

function matcherFor(route: string | RegExp): (key: string) => boolean {
  if (route instanceof RegExp) return (key) => route.test(key);
  let re: RegExp | undefined;
  try {
    re = new RegExp(`^(?:${route})$`);
  } catch {
    re = undefined;
  }
  return (key) => key === route || (re?.test(key) ?? false);
}

export class Faults {
  private active: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new Error('fault.times must be positive');
    if (spec.kind === 'status' && !spec.status) throw new Error('a status fault needs a status');
    this.active.push({ spec, matcher: matcherFor(spec.route), left: times });
  }

  clear(): void {
    this.active = [];
  }

  /** Faults for this request, each consumed once; latency ones first so a status or drop can follow a delay. */
  take(method: string, path: string): FaultSpec[] {
    const key = `${method} ${path}`;
    const hits = this.active.filter((f) => f.matcher(key));
    for (const f of hits) f.left -= 1;
    this.active = this.active.filter((f) => f.left > 0);
    return hits
      .map((f) => f.spec)
      .sort((a, b) => (a.kind === 'latency' ? -1 : 0) - (b.kind === 'latency' ? -1 : 0));
  }
}
