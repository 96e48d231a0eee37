/**
 * HubSpot's request limits: a rolling 10-second burst per app, a daily count shared by the portal's apps
 * (reset at midnight in the portal's time zone; UTC here), and search's own 5 requests per second per
 * account, which is exempt from the burst. Counted on requests HubSpot accepts.
 */
export interface LimitOptions {
  /** Requests per 10 s per private app (100 on Free and Starter). */
  privateBurst: number;
  /** Requests per 10 s per OAuth app and installing portal (110). */
  oauthBurst: number;
  daily: number;
  searchPerSecond: number;
}

export const DEFAULT_LIMITS: LimitOptions = {
  privateBurst: 100,
  oauthBurst: 110,
  daily: 250_000,
  searchPerSecond: 5,
};

export type Verdict =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; policy: 'DAILY' | 'TEN_SECONDLY_ROLLING' | 'SECONDLY'; headers: Record<string, string> };

const WINDOW_MS = 10_000;

export function createLimits(options: LimitOptions, now: () => number) {
  const burst = new Map<number, number[]>();
  let search: number[] = [];
  let day = '';
  let used = 0;

  const today = () => new Date(now()).toISOString().slice(0, 10);

  return {
    options,
    /** Counts one request of `appId` (search: the portal's secondly limit), or says which limit refused it. */
    take(appId: number, kind: 'oauth' | 'private', isSearch: boolean): Verdict {
      const t = now();
      if (today() !== day) {
        day = today();
        used = 0;
      }
      if (isSearch) {
        search = search.filter((s) => s > t - 1000);
        if (search.length >= options.searchPerSecond) return { ok: false, policy: 'SECONDLY', headers: {} };
        search.push(t);
        used += 1;
        return { ok: true, headers: {} };
      }
      const max = kind === 'private' ? options.privateBurst : options.oauthBurst;
      const recent = (burst.get(appId) ?? []).filter((s) => s > t - WINDOW_MS);
      burst.set(appId, recent);
      const daily: Record<string, string> =
        kind === 'private'
          ? {
              'x-hubspot-ratelimit-daily': String(options.daily),
              'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, options.daily - used)),
            }
          : {};
      const headers = (remaining: number): Record<string, string> => ({
        'x-hubspot-ratelimit-max': String(max),
        'x-hubspot-ratelimit-remaining': String(Math.max(0, remaining)),
        'x-hubspot-ratelimit-interval-milliseconds': String(WINDOW_MS),
        ...daily,
      });
      if (used >= options.daily) return { ok: false, policy: 'DAILY', headers: headers(max - recent.length) };
      if (recent.length >= max) return { ok: false, policy: 'TEN_SECONDLY_ROLLING', headers: headers(0) };
      recent.push(t);
      used += 1;
      if (kind === 'private')
        daily['x-hubspot-ratelimit-daily-remaining'] = String(Math.max(0, options.daily - used));
      return { ok: true, headers: headers(max - recent.length) };
    },
    dailyUsed: () => used,
  };
}
export type Limits = ReturnType<typeof createLimits>;
