/**
 * The HubSpot sandbox: one local HTTP server speaking the part of HubSpot's API Threadline's CRM bridge uses
 * (OAuth, CRM objects, search, associations v4, pipelines, owners, properties), with HubSpot's limits, error
 * bodies and per-route faults. The client changes only its base URL to use it. See README.md.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, type FaultSpec } from '../faults';
import { RecordFaults, type RecordFaultSpec } from './record-faults';
import { createAuth, type App } from './auth';
import { findCrmRoute } from './crm-api';
import { faultBody, hubspotError, missingScopes, rateLimited, unauthorized, type Reply } from './errors';
import { createLimits, DEFAULT_LIMITS, type LimitOptions } from './limits';
import { definedTypes, OBJECT_TYPES, type ObjectType } from './objects';
import { Portal, type Owner } from './portal';

export type { FaultSpec } from '../faults';

export interface HubSpotSandboxOptions {
  port?: number;
  host?: string;
  now?: () => number;
  portalId?: number;
  hubDomain?: string;
  limits?: Partial<LimitOptions>;
  /** Whether a property with hasUniqueValue can be created on emails, notes, calls, meetings and tasks. */
  uniqueOnActivities?: boolean;
  /** How long a write takes to show in search (HubSpot's index lag); 0 by default. */
  searchLagMs?: number;
  /** Appends every request as one JSON line `{method, path, query, body}` (default: $HUBSPOT_SANDBOX_LOG). */
  logFile?: string;
  /**
   * Fault-injection tests: called once a request has taken effect (a write is applied), before its answer is
   * sent; the answer waits for the returned promise. A test that kills the caller here leaves HubSpot holding
   * the write while the caller never hears of it.
   */
  onApplied?: (request: { method: string; path: string; status: number }) => void | Promise<void>;
}

export interface SandboxRecord {
  id: string;
  properties: Record<string, string>;
  archived: boolean;
  /** Associated ids by object type. */
  associations: Partial<Record<ObjectType, string[]>>;
}

export interface HubSpotSandbox {
  url: string;
  portalId: number;
  registerApp(opts: { redirectUris: string[]; clientId?: string; clientSecret?: string }): App;
  privateAppToken(scopes?: string[]): string;
  revokeToken(token: string): void;
  refreshTokenActive(token: string): boolean;
  accessTokenActive(token: string): boolean;
  addOwner(owner: { email: string; firstName?: string; lastName?: string; archived?: boolean }): Owner;
  records(type: ObjectType): SandboxRecord[];
  /** Adds a record directly (tests, the demo portal), with optional associations to existing ids. */
  seed(
    type: ObjectType,
    properties: Record<string, string>,
    associations?: { type: ObjectType; id: string }[],
  ): string;
  fault(spec: FaultSpec): void;
  /** Per-record faults: these inputs of a batch create or upsert are refused, the others written (207). */
  refuseRecords(spec: RecordFaultSpec): void;
  clearFaults(): void;
  /** Requests received, in order. */
  requests(): { method: string; path: string; status: number }[];
  dailyUsed(): number;
  stop(): Promise<void>;
}

/** Every scope the CRM bridge needs; a private-app token gets these unless told otherwise. */
export const ALL_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'sales-email-read',
];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function write(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'access-control-allow-origin': '*', ...reply.headers };
  if (reply.html !== undefined) {
    res.writeHead(reply.status, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(reply.html);
  } else if (reply.body === undefined || reply.status === 204) {
    res.writeHead(reply.status, headers).end();
  } else {
    res
      .writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8', ...headers })
      .end(JSON.stringify(reply.body));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startHubSpotSandbox(opts: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const now = opts.now ?? Date.now;
  const portal = new Portal(
    opts.portalId ?? 24_681_357,
    opts.hubDomain ?? 'threadline-demo.hubspot.test',
    now,
  );
  const installer = { userId: 9_100_001, email: 'admin@threadline-demo.test' };
  const auth = createAuth({ portalId: portal.portalId, hubDomain: portal.hubDomain, now, installer });
  const limits = createLimits({ ...DEFAULT_LIMITS, ...opts.limits }, now);
  const faults = new Faults();
  const recordFaults = new RecordFaults();
  const log: { method: string; path: string; status: number }[] = [];
  const logFile = opts.logFile ?? process.env.HUBSPOT_SANDBOX_LOG;
  let nextOwner = 70_000_001;

  function addOwner(o: { email: string; firstName?: string; lastName?: string; archived?: boolean }): Owner {
    const owner: Owner = {
      id: String(nextOwner),
      userId: nextOwner + 1_000_000,
      email: o.email,
      firstName: o.firstName ?? '',
      lastName: o.lastName ?? '',
      archived: o.archived ?? false,
      createdAt: now(),
    };
    nextOwner += 1;
    portal.owners.push(owner);
    return owner;
  }
  addOwner({ email: installer.email, firstName: 'Portal', lastName: 'Admin' });

  function parseBody(raw: string, contentType: string): { body: unknown; error?: string } {
    if (raw.trim() === '') return { body: undefined };
    if (/application\/x-www-form-urlencoded/i.test(contentType))
      return { body: Object.fromEntries(new URLSearchParams(raw)) };
    try {
      return { body: JSON.parse(raw) as unknown };
    } catch (e) {
      return { body: undefined, error: (e as Error).message };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const raw = await readBody(req);
    const { body, error: bodyError } = parseBody(raw, req.headers['content-type'] ?? '');
    if (logFile && !path.startsWith('/__hubspot/')) {
      const entry = { method, path, query: Object.fromEntries(url.searchParams), body: body ?? null };
      appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
    }
    const entry = { method, path, status: 0 };
    if (!path.startsWith('/__hubspot/')) log.push(entry);
    const reply = (r: Reply) => {
      entry.status = r.status;
      write(res, r);
    };
    if (method === 'OPTIONS') {
      return reply({
        status: 204,
        headers: {
          'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
          'access-control-allow-headers': 'authorization, content-type',
        },
      });
    }
    if (path.startsWith('/__hubspot/')) return reply(control(method, path, body));

    const hits = faults.take(method, path);
    for (const f of hits) {
      if (f.kind === 'latency') await sleep(f.latencyMs ?? 1000);
      if (f.when === 'after') continue;
      if (f.kind === 'drop') return void req.socket.destroy();
      if (f.kind === 'status') return reply(faultReply(f));
    }
    const after = hits.find((f) => f.when === 'after' && f.kind !== 'latency');
    const result = await answer(method, path, url, body, bodyError, req);
    await opts.onApplied?.({ method, path, status: result.status });
    // 'after': the request took effect (the records exist), then the answer is lost or replaced.
    if (after?.kind === 'drop') return void req.socket.destroy();
    reply(after ? faultReply(after) : result);
  }

  function faultReply(f: FaultSpec): Reply {
    const base = faultBody(f.status ?? 500);
    const retry: Record<string, string> =
      f.retryAfterSeconds !== undefined ? { 'retry-after': String(f.retryAfterSeconds) } : {};
    return { status: f.status ?? 500, body: f.body ?? base.body, headers: { ...base.headers, ...retry } };
  }

  async function answer(
    method: string,
    path: string,
    url: URL,
    body: unknown,
    bodyError: string | undefined,
    req: IncomingMessage,
  ): Promise<Reply> {
    const form = new URLSearchParams(
      body && typeof body === 'object' && !Array.isArray(body)
        ? Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)])
        : [],
    );
    // OAuth (the authorize screen lives on app.hubspot.com in production; here on the same host).
    if (path === '/oauth/authorize' && method === 'GET') return auth.authorizePage(url);
    if (path === '/oauth/authorize/consent' && method === 'POST') return auth.consent(form);
    if (
      (path === '/oauth/v1/token' || path === '/oauth/v3/token' || path === '/oauth/2026-03/token') &&
      method === 'POST'
    )
      return auth.token(form);
    if (
      (path === '/oauth/v3/token/introspect' || path === '/oauth/2026-03/token/introspect') &&
      method === 'POST'
    )
      return auth.introspect(form);
    if ((path === '/oauth/v3/token/revoke' || path === '/oauth/2026-03/token/revoke') && method === 'POST')
      return auth.revoke(form);
    let m = /^\/oauth\/v1\/access-tokens\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return auth.accessTokenInfo(decodeURIComponent(m[1]!));
    m = /^\/oauth\/v1\/refresh-tokens\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return auth.refreshTokenInfo(decodeURIComponent(m[1]!));
    if (m && method === 'DELETE') return auth.deleteRefresh(decodeURIComponent(m[1]!));
    if (path === '/oauth/v2/private-apps/get/access-token-info' && method === 'POST')
      return auth.privateTokenInfo(body);

    const found = findCrmRoute(method, path);
    const usage = path === '/account-info/v3/api-usage/daily/private-apps' && method === 'GET';
    if (!found && !usage)
      return hubspotError(404, 'OBJECT_NOT_FOUND', `No route ${method} ${path} in the sandbox`);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = auth.check(bearer);
    if (!grant || grant === 'expired') return unauthorized(grant === 'expired');
    const isSearch = method === 'POST' && /\/search$/.test(path);
    const verdict = limits.take(grant.appId, grant.kind, isSearch);
    if (!verdict.ok) return rateLimited(verdict.policy, verdict.headers);
    const withHeaders = (r: Reply): Reply => ({ ...r, headers: { ...verdict.headers, ...r.headers } });
    if (usage) {
      return withHeaders({
        status: 200,
        body: {
          results: [
            {
              name: 'private-apps-api-calls-daily',
              usageLimit: limits.options.daily,
              currentUsage: limits.dailyUsed(),
              collectedAt: new Date(now()).toISOString(),
              fetchStatus: 'SUCCESS',
              resetsAt: new Date(
                Date.parse(new Date(now()).toISOString().slice(0, 10)) + 86_400_000,
              ).toISOString(),
            },
          ],
        },
      });
    }
    const { route, params } = found!;
    const required = route.scopes(params, ctxOf(method, path, url, body));
    if (required.length && !required.some((s) => grant.scopes.includes(s)))
      return withHeaders(missingScopes(required));
    if (bodyError)
      return withHeaders(hubspotError(400, 'VALIDATION_ERROR', `Invalid input JSON: ${bodyError}`));
    return withHeaders(route.handle(ctxOf(method, path, url, body), params));
  }

  const ctxOf = (method: string, path: string, url: URL, body: unknown) => ({
    method,
    path,
    query: url.searchParams,
    body,
    portal,
    uniqueOnActivities: opts.uniqueOnActivities ?? true,
    searchLagMs: opts.searchLagMs ?? 0,
    recordFaults,
  });

  function recordsOf(type: ObjectType): SandboxRecord[] {
    return portal
      .all(type)
      .sort((a, b) => a.seq - b.seq)
      .map((r) => ({
        id: r.id,
        properties: Object.fromEntries(r.properties),
        archived: r.archived,
        associations: Object.fromEntries(
          OBJECT_TYPES.map((t) => [t, portal.associated(type, r.id, t).map((a) => a.id)]).filter(
            ([, ids]) => (ids as string[]).length > 0,
          ),
        ) as SandboxRecord['associations'],
      }));
  }

  /** `/__hubspot/`: records, faults and tokens for tests and the demo, over HTTP. */
  function control(method: string, path: string, body: unknown): Reply {
    const b = (body ?? {}) as Record<string, unknown>;
    const records = /^\/__hubspot\/records\/([a-z]+)$/.exec(path);
    if (records && method === 'GET') {
      const type = OBJECT_TYPES.find((t) => t === records[1]);
      return type ? { status: 200, body: recordsOf(type) } : { status: 404, body: { error: 'unknown type' } };
    }
    if (path === '/__hubspot/faults' && method === 'POST') {
      try {
        faults.add({
          ...(b as unknown as FaultSpec),
          times: b.times === 'Infinity' ? Infinity : (b.times as number | undefined),
        });
      } catch (e) {
        return { status: 400, body: { error: (e as Error).message } };
      }
      return { status: 204 };
    }
    if (path === '/__hubspot/faults' && method === 'DELETE') {
      faults.clear();
      return { status: 204 };
    }
    if (path === '/__hubspot/private-apps' && method === 'POST')
      return {
        status: 201,
        body: { token: auth.privateAppToken(Array.isArray(b.scopes) ? (b.scopes as string[]) : ALL_SCOPES) },
      };
    if (path === '/__hubspot/owners' && method === 'POST' && typeof b.email === 'string')
      return {
        status: 201,
        body: addOwner({
          email: b.email,
          ...(typeof b.firstName === 'string' ? { firstName: b.firstName } : {}),
        }),
      };
    return { status: 404, body: { error: `unknown control path ${method} ${path}` } };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('[hubspot sandbox]', e);
      if (!res.headersSent) write(res, hubspotError(500, 'INTERNAL_ERROR', String(e)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;

  return {
    url,
    portalId: portal.portalId,
    registerApp: (o) => auth.registerApp(o),
    privateAppToken: (scopes = ALL_SCOPES) => auth.privateAppToken(scopes),
    revokeToken: (t) => auth.revokeToken(t),
    refreshTokenActive: (t) => auth.refreshTokenActive(t),
    accessTokenActive: (t) => auth.accessTokenActive(t),
    addOwner,
    records: recordsOf,
    seed(type, properties, associations = []) {
      const r = portal.insert(type, new Map(Object.entries(properties)));
      for (const a of associations) portal.associate(type, r.id, a.type, a.id, defaultTypes(type, a.type));
      return r.id;
    },
    fault: (spec) => faults.add(spec),
    clearFaults: () => {
      faults.clear();
      recordFaults.clear();
    },
    refuseRecords: (spec) => recordFaults.add(spec),
    requests: () => log.map((e) => ({ ...e })),
    dailyUsed: () => limits.dailyUsed(),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function defaultTypes(from: ObjectType, to: ObjectType) {
  const d = definedTypes(from, to)[0];
  return d ? [{ category: d.category, typeId: d.typeId, label: null }] : [];
}
