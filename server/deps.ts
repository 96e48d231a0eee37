import type { IssuerConfig, SignupPolicy } from './env';
import type { Db } from './db/database';
import type { Logger } from './log';
import type { RateLimits } from './rate-limit';
import type { BatcherOptions } from './tracking/batcher';
import type { CrmConfig } from './crm/config';

/** Everything the app needs from outside; tests pass their own (clock included). */
export interface AppDeps {
  db: Db;
  /** Extra connections for the statements of an analytics answer to run side by side (Database.readers). */
  readers?: Db;
  log: Logger;
  publicUrl: string;
  sessionSecret: Uint8Array;
  trackingSecret: Uint8Array;
  issuers: IssuerConfig[];
  bodyLimitBytes: number;
  now: () => number;
  /** Limits on the public endpoints; none when absent (tests). */
  rateLimits?: RateLimits;
  /** Who may start a team without an invite; open when absent (tests). */
  signup?: SignupPolicy;
  /** How long pixel and click links count (default a year); unsubscribe links work forever. */
  trackingLinkTtlMs?: number;
  /** Tuning of the opens and clicks batcher (tests and benchmarks). */
  tracking?: BatcherOptions;
  /** The CRM bridge: HubSpot's addresses, the OAuth app, the token key (server/crm/config.ts). */
  crm?: CrmConfig;
}
