/** What every API route handler receives, and the tiny router both APIs share. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './errors';
import type { Mailbox } from './store';
import type { World } from './world';

export interface ApiContext {
  method: string;
  /** Path below the API's base, e.g. `/users/me/messages/send` or `/me/messages`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  mailbox: Mailbox;
  /** Parsed JSON body, `undefined` when empty; `bodyError` set when it was not JSON. */
  body: unknown;
  bodyError?: string;
  /** `http://host:port` as the client reached us, for absolute links (Graph nextLink/deltaLink). */
  origin: string;
  world: World;
}

export interface Route {
  method: string;
  /** Path template below the API base, `{name}` for segments: `/users/{userId}/messages/{id}`. */
  path: string;
  pattern: RegExp;
  /** The documented operation, for the contract test and the README: `messages.send`, `createReply`... */
  operation: string;
  handle(ctx: ApiContext, params: string[]): Promise<Reply> | Reply;
}

export function route(method: string, path: string, operation: string, handle: Route['handle']): Route {
  const source = path.replace(/[.$]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)');
  return { method, path, pattern: new RegExp(`^${source}$`), operation, handle };
}

export function findRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: string[] } | undefined {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (m) return { route: r, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
