/**
 * The mail sandbox: one local HTTP server speaking the Gmail API v1 and Microsoft Graph v1.0 subset the
 * providers use, with injectable inbound mail and faults. Providers only swap their base URL for it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findRoute, type ApiContext } from './context';
import { control } from './control-api';
import {
  gmailError,
  gmailFaultBody,
  gmailUnauthorized,
  graphError,
  graphFaultBody,
  graphUnauthorized,
  type Reply,
} from './errors';
import { Faults, type FaultSpec } from './faults';
import { gmailRoutes } from './gmail-api';
import { graphRoutes } from './graph-api';
import type { Mailbox, StoredMessage } from './store';
import { World, type InjectJson } from './world';
import { createSandboxOAuth, type OAuthReply } from './oauth';
import { demoRoutes } from './demo/routes';
import { ADDRESS_BOOK, DEMO_MAILBOX } from './demo/people';

export type { FaultSpec } from './faults';
export type { InjectJson } from './world';

export interface SandboxOptions {
  /** 0 = random. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The clock stamped on mail (internalDate, receivedDateTime); the simulator passes its virtual clock. */
  now?: () => number;
  /** The mailbox the demo inbox at /demo/ shows (default rep@contoso.example, a Graph mailbox). */
  demoMailbox?: string;
}

export interface SandboxMessage {
  providerMessageId: string;
  threadId: string;
  /** RFC 5322 Message-ID with angle brackets. */
  messageId: string;
  raw: string;
  from: string;
  to: string[];
  subject: string;
  inReplyTo?: string;
  references: string[];
  headers: Record<string, string>;
  labelIds: string[];
  receivedAt: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The query string as sent (`?$filter=...`), empty when none. */
  query: string;
  /** 0 when a drop fault closed the connection without an answer. */
  status: number;
  mailbox?: string;
}

export interface Sandbox {
  url: string;
  gmailBase: string;
  graphBase: string;
  addMailbox(address: string, provider: 'gmail' | 'graph'): void;
  tokenFor(address: string): string;
  inject(to: string, message: string | InjectJson): Promise<{ providerMessageId: string; threadId: string }>;
  fault(spec: FaultSpec): void;
  clearFaults(): void;
  sent(address: string): SandboxMessage[];
  inbox(address: string): SandboxMessage[];
  expireHistory(address: string): void;
  expireDelta(address: string): void;
  requestLog(): RequestLogEntry[];
  /** Highest number of API requests for this mailbox in flight at once (attempts, including refused ones). */
  maxConcurrency(address: string): number;
  hasMailbox(address: string): boolean;
  mailboxes(): { address: string; provider: 'gmail' | 'graph'; token: string }[];
  stop(): Promise<void>;
}

/** Outlook's per-mailbox limit: a fifth concurrent request is throttled. */
const GRAPH_CONCURRENCY = 4;

function toSandboxMessage(m: StoredMessage): SandboxMessage {
  const p = m.parsed;
  return {
    providerMessageId: m.id,
    threadId: m.threadId,
    messageId: p.messageId ?? '',
    raw: m.raw,
    from: p.from,
    to: p.to,
    subject: p.subject,
    ...(p.inReplyTo ? { inReplyTo: p.inReplyTo } : {}),
    references: p.references,
    headers: p.headers,
    labelIds: [...m.labelIds],
    receivedAt: m.internalDate,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function write(res: ServerResponse, reply: Reply, api: 'gmail' | 'graph' | 'control'): void {
  const headers: Record<string, string> = { 'access-control-allow-origin': '*', ...reply.headers };
  if (reply.text !== undefined) {
    res.writeHead(reply.status, headers).end(reply.text);
  } else if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
  } else {
    headers['content-type'] ??=
      api === 'graph'
        ? 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'
        : 'application/json; charset=UTF-8';
    res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const world = new World(opts.now ?? Date.now);
  const faults = new Faults();
  const log: RequestLogEntry[] = [];
  /** Set once listening; links (Graph nextLink, deltaLink) use the Host the client used, else this. */
  let baseUrl = '';

  async function api(
    req: IncomingMessage,
    res: ServerResponse,
    kind: 'gmail' | 'graph',
    path: string,
    url: URL,
  ) {
    const method = req.method ?? 'GET';
    const auth =
      /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ??
      url.searchParams.get('access_token') ??
      undefined;
    const tokenBox = world.mailboxForToken(auth);
    const box = tokenBox?.provider === kind ? tokenBox : undefined;
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      query: url.search,
      status: 0,
      ...(box ? { mailbox: box.address } : {}),
    };
    log.push(entry);
    const reply = (r: Reply) => {
      entry.status = r.status;
      write(res, r, kind);
    };
    if (box) {
      box.inFlight += 1;
      box.maxInFlight = Math.max(box.maxInFlight, box.inFlight);
      res.on('close', () => (box.inFlight -= 1));
    }
    const rawBody = await readBody(req);
    if (box) {
      if (kind === 'graph' && box.inFlight > GRAPH_CONCURRENCY) {
        return reply(
          graphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', {
            'retry-after': '1',
          }),
        );
      }
    }

    const drop = (): void => void req.socket.destroy();
    const hits = faults.take(method, url.pathname);
    const faultReply = (f: FaultSpec): Reply => {
      const status = f.status ?? 500;
      const base = kind === 'gmail' ? gmailFaultBody(status, f.reason) : graphFaultBody(status, f.reason);
      const retry: Record<string, string> =
        f.retryAfterSeconds !== undefined ? { 'retry-after': String(f.retryAfterSeconds) } : {};
      return { status, body: f.body ?? base.body, headers: { ...base.headers, ...retry } };
    };
    for (const f of hits) {
      if (f.kind === 'latency') await sleep(f.latencyMs ?? 1000);
      if (f.when === 'after') continue;
      if (f.kind === 'drop') return drop();
      if (f.kind === 'status') return reply(faultReply(f));
    }
    // 'after' faults let the request take effect, then lose or replace the answer: the mail left, the client can't know.
    const after = hits.find((f) => f.when === 'after' && f.kind !== 'latency');

    if (!box) return reply(kind === 'gmail' ? gmailUnauthorized() : graphUnauthorized(auth !== undefined));

    let sub = path;
    if (kind === 'graph') {
      // /users/{id or address}/... is the same mailbox as /me/... when it names the token's own mailbox.
      const u = /^\/users\/([^/]+)(\/.*)?$/.exec(sub);
      if (u && decodeURIComponent(u[1] ?? '').toLowerCase() === box.address) sub = `/me${u[2] ?? ''}`;
    }
    const found = findRoute(kind === 'gmail' ? gmailRoutes : graphRoutes, method, sub);
    if (!found) {
      return reply(
        kind === 'gmail'
          ? gmailError(
              404,
              `Not found: ${method} ${url.pathname} is not part of the sandbox's Gmail API.`,
              'notFound',
            )
          : graphError(
              400,
              'BadRequest',
              `Resource not found for the segment '${sub.split('/').pop() ?? ''}'.`,
            ),
      );
    }
    let body: unknown;
    let bodyError: string | undefined;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch (e) {
        bodyError = (e as Error).message;
      }
    }

    const ctx: ApiContext = {
      method,
      path: sub,
      query: url.searchParams,
      headers: req.headers,
      mailbox: box,
      body,
      bodyError,
      origin: req.headers.host ? `http://${req.headers.host}` : baseUrl,
      world,
    };
    try {
      const result = await found.route.handle(ctx, found.params);
      if (after?.kind === 'drop') return drop();
      reply(after ? faultReply(after) : result);
    } catch (e) {
      console.error('[sandbox]', method, url.pathname, e);
      reply(
        kind === 'gmail'
          ? gmailError(500, 'Internal error encountered.', 'backendError')
          : graphError(500, 'InternalServerError', String(e)),
      );
    }
  }

  const oauth = createSandboxOAuth({
    hasMailbox: (address) => world.mailboxes.has(address.toLowerCase()),
    tokenFor: (address) => world.tokenFor(address),
    issuer: () => baseUrl,
  });
  const sendOAuth = (res: ServerResponse, r: OAuthReply): void => {
    const body = r.body === undefined ? '' : JSON.stringify(r.body);
    res
      .writeHead(r.status, {
        ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
        'access-control-allow-origin': '*',
        'cache-control': 'no-store',
        ...r.headers,
      })
      .end(body);
  };
  const demo = demoRoutes(() => sandbox, {
    mailbox: opts.demoMailbox ?? DEMO_MAILBOX,
    directory: ADDRESS_BOOK,
    now: opts.now ?? Date.now,
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    if (req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
          'access-control-allow-headers': 'authorization, content-type, prefer',
          'access-control-max-age': '600',
        })
        .end();
      return;
    }
    // Fire and forget: the catch answers any failure with a 500, so the request never hangs unanswered.
    const done = (p: Promise<void>): void =>
      void p.catch((e: unknown) => {
        console.error('[sandbox]', e);
        if (!res.headersSent) res.writeHead(500).end();
      });
    if (path.startsWith('/gmail/v1/'))
      return done(api(req, res, 'gmail', path.slice('/gmail/v1'.length), url));
    if (path.startsWith('/graph/v1.0/'))
      return done(api(req, res, 'graph', path.slice('/graph/v1.0'.length), url));
    if (path === '/oauth/authorize' && req.method === 'GET') return sendOAuth(res, oauth.authorize(url));
    if (path === '/oauth/token' && req.method === 'POST') {
      return done(
        readBody(req).then(async (text) => sendOAuth(res, await oauth.token(new URLSearchParams(text)))),
      );
    }
    if (path === '/.well-known/openid-configuration' && req.method === 'GET')
      return sendOAuth(res, oauth.discovery());
    if (path === '/oauth/jwks' && req.method === 'GET')
      return done(oauth.jwks().then((r) => sendOAuth(res, r)));
    if (path === '/demo' || path.startsWith('/demo/')) return done(demo(req, res, path));
    if (path.startsWith('/__sandbox/')) {
      return done(
        readBody(req).then(async (text) => {
          let body: unknown;
          try {
            body = text.trim() === '' ? undefined : JSON.parse(text);
          } catch {
            return write(res, { status: 400, body: { error: '(body): not JSON' } }, 'control');
          }
          write(res, await control(sandbox, req.method ?? 'GET', path, body), 'control');
        }),
      );
    }
    write(
      res,
      {
        status: 404,
        body: { error: `unknown path ${path}; APIs live under /gmail/v1, /graph/v1.0, /__sandbox, /demo` },
      },
      'control',
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  const url = baseUrl;
  const mailbox = (address: string): Mailbox => world.mailbox(address);
  const gmailInbox = (m: StoredMessage) => m.labelIds.includes('INBOX');

  const sandbox: Sandbox = {
    url,
    gmailBase: `${url}/gmail/v1`,
    graphBase: `${url}/graph/v1.0`,
    addMailbox: (address, provider) => {
      const box = world.addMailbox(address, provider);
      if (box.provider !== provider) throw new Error(`${address} is already a ${box.provider} mailbox`);
    },
    tokenFor: (address) => world.tokenFor(address),
    inject: async (to, message) => {
      const m = await world.inject(to, message);
      return { providerMessageId: m.id, threadId: m.threadId };
    },
    fault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    sent: (address) => mailbox(address).sentOrder.map(toSandboxMessage),
    inbox: (address) => {
      const box = mailbox(address);
      return box.messages
        .filter((m) => (box.provider === 'gmail' ? gmailInbox(m) : m.folder === 'inbox'))
        .map(toSandboxMessage);
    },
    expireHistory: (address) => {
      const box = mailbox(address);
      box.historyFloor = box.historyId;
    },
    expireDelta: (address) => {
      mailbox(address).deltaGeneration += 1;
    },
    requestLog: () => log.map((e) => ({ ...e })),
    maxConcurrency: (address) => mailbox(address).maxInFlight,
    hasMailbox: (address) => world.mailboxes.has(address.toLowerCase()),
    mailboxes: () =>
      [...world.mailboxes.values()].map((b) => ({
        address: b.address,
        provider: b.provider,
        token: world.tokenFor(b.address),
      })),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
  return sandbox;
}
