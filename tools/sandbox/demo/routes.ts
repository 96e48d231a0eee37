/**
 * The demo inbox, served by the mail sandbox under /demo/: a page with Outlook on the web's structure
 * (client/), its JSON (the mailbox's conversations, polled for live updates) and the "simulate an answer"
 * action. Only for this machine: requests must come from loopback and name a loopback host (so a web page
 * cannot reach it by DNS rebinding), and the action refuses other sites' pages.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Sandbox } from '../server';
import type { SimulateRequest } from './client/types';
import { answeredMessage, simulated } from './simulate';
import { mailboxView } from './view';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLIENT = path.join(HERE, 'client');

export interface DemoOptions {
  /** The mailbox the page shows. */
  mailbox: string;
  directory: Readonly<Record<string, string>>;
  now: () => number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.replace(/^::ffff:/, '');
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function loopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

const simulateBody = z
  .object({
    conversationId: z.string().min(1).max(500),
    contact: z.string().email().max(320),
    kind: z.enum(['reply', 'out_of_office', 'bounce']),
  })
  .strict() satisfies z.ZodType<SimulateRequest>;

// The page's script is TypeScript compiled when first asked for: the client code is typechecked and linted
// with the rest of the repository, and nothing has to be built before `npm start`.
const ASSETS: Record<string, { file: string; type: string; ts?: true }> = {
  'demo.css': { file: 'demo.css', type: 'text/css; charset=utf-8' },
  'main.js': { file: 'main.ts', type: 'text/javascript; charset=utf-8', ts: true },
  'render.js': { file: 'render.ts', type: 'text/javascript; charset=utf-8', ts: true },
};
const compiled = new Map<string, string>();

async function asset(name: string): Promise<{ body: string; type: string } | undefined> {
  const a = ASSETS[name];
  if (!a) return undefined;
  let body = compiled.get(name);
  if (body === undefined) {
    const source = await readFile(path.join(CLIENT, a.file), 'utf8');
    if (a.ts) {
      const ts = (await import('typescript')).default;
      body = ts.transpileModule(source, {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          rewriteRelativeImportExtensions: true,
        },
      }).outputText;
    } else body = source;
    compiled.set(name, body);
  }
  return { body, type: a.type };
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // Scripts only from the page's own files: mail text can never become code, even if escaping failed.
  'content-security-policy': "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type }).end(body);
}
const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, JSON.stringify(body));

function readJson(req: IncomingMessage, limit = 16_384): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error(`body over ${limit} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new Error('body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

export function demoRoutes(sandbox: () => Sandbox, opts: DemoOptions) {
  const page = readFile(path.join(CLIENT, 'index.html'), 'utf8');

  async function simulate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined && !loopbackHost(origin.replace(/^https?:\/\//, '')))
      return json(res, 403, { error: `origin ${origin} may not simulate mail here` });
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      return json(res, 415, { error: 'content-type must be application/json' });
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (e) {
      return json(res, 400, { error: (e as Error).message });
    }
    const parsed = simulateBody.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return json(res, 400, {
        error: `${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`,
      });
    }
    const { conversationId, contact, kind } = parsed.data;
    const box = sandbox();
    const view = await mailboxView(box, opts);
    const conversation = view.conversations.find(
      (c) => c.id === conversationId || c.ewsId === conversationId,
    );
    if (!conversation)
      return json(res, 404, { error: `no conversation ${conversationId} in ${opts.mailbox}` });
    const person = conversation.contacts.find((p) => p.address === contact.toLowerCase());
    if (!person)
      return json(res, 400, { error: `contact: ${contact} is not an outside person of this conversation` });
    const answered = answeredMessage(conversation, person.address, view.address);
    const stored = [...box.sent(view.address), ...box.inbox(view.address)].find(
      (m) => m.providerMessageId === answered?.id,
    );
    if (!answered || !stored?.messageId)
      return json(res, 409, { error: 'nothing in this conversation to answer' });
    const rep = { name: view.name, address: view.address, colleague: true };
    const original = {
      messageId: stored.messageId,
      references: stored.references,
      subject: answered.subject,
      date: answered.date,
    };
    const made = simulated(kind, person, original, rep, opts.now());
    const injected = await box.inject(view.address, made.message);
    json(res, 201, { kind, ...injected });
  }

  /** Answers a request whose path is /demo or under /demo/. */
  return async function handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (!isLoopbackAddress(req.socket.remoteAddress) || !loopbackHost(req.headers.host))
      return json(res, 403, {
        error: 'the demo inbox answers only on this machine (127.0.0.1 or localhost)',
      });
    const method = req.method ?? 'GET';
    if (pathname === '/demo') {
      res.writeHead(308, { location: '/demo/' }).end();
      return;
    }
    if (pathname === '/demo/api/mailbox' && method === 'GET') {
      if (!sandbox().hasMailbox(opts.mailbox))
        return json(res, 404, { error: `no mailbox ${opts.mailbox} in the sandbox: add it (graph) first` });
      return json(res, 200, await mailboxView(sandbox(), opts));
    }
    if (pathname === '/demo/api/simulate' && method === 'POST') return simulate(req, res);
    const assetName = /^\/demo\/assets\/([\w.-]+)$/.exec(pathname)?.[1];
    if (assetName && method === 'GET') {
      const a = await asset(assetName);
      return a ? send(res, 200, a.body, a.type) : json(res, 404, { error: `no asset ${assetName}` });
    }
    // Every other path is the page itself: Outlook keeps the open item in the URL (/mail/inbox/id/<id>).
    if (method === 'GET' && !pathname.startsWith('/demo/api/'))
      return send(res, 200, await page, 'text/html; charset=utf-8');
    json(res, 404, { error: `unknown demo endpoint ${method} ${pathname}` });
  };
}
