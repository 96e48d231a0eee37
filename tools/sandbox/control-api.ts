/** JSON control endpoints under /__sandbox/ so other processes (browser e2e, the demo) can drive the sandbox. */
import { z } from 'zod';
import type { Reply } from './errors';
import type { Sandbox } from './server';

const address = z.string().email();
const mailboxBody = z.object({ address, provider: z.enum(['gmail', 'graph']) });
const injectBody = z.union([
  z.object({ to: address, raw: z.string().min(1) }).strict(),
  z
    .object({
      to: address,
      from: address,
      subject: z.string(),
      text: z.string(),
      html: z.string().optional(),
      inReplyTo: z.string().optional(),
      references: z.array(z.string()).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      date: z.string().optional(),
    })
    .strict(),
]);
const faultBody = z
  .object({
    route: z.string().min(1),
    kind: z.enum(['status', 'latency', 'drop']),
    status: z.number().int().min(100).max(599).optional(),
    retryAfterSeconds: z.number().nonnegative().optional(),
    body: z.unknown().optional(),
    reason: z.string().optional(),
    latencyMs: z.number().nonnegative().optional(),
    when: z.enum(['before', 'after']).optional(),
    // JSON has no Infinity: the string "Infinity" (or null) means always.
    times: z.union([z.number().int().positive(), z.literal('Infinity'), z.null()]).optional(),
  })
  .strict()
  .refine((f) => f.kind !== 'status' || f.status !== undefined, {
    message: 'a status fault needs status',
    path: ['status'],
  });

function invalid(error: z.ZodError): Reply {
  const issues = error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  const first = issues[0];
  return {
    status: 400,
    body: { error: first ? `${first.field}: ${first.message}` : 'invalid body', issues },
  };
}

function parse<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | { ok: false; reply: Reply } {
  const r = schema.safeParse(body);
  return r.success ? { ok: true, value: r.data } : { ok: false, reply: invalid(r.error) };
}

function unknownMailbox(sandbox: Sandbox, addr: string): Reply | undefined {
  return sandbox.hasMailbox(addr) ? undefined : { status: 404, body: { error: `no mailbox ${addr}` } };
}

export async function control(sandbox: Sandbox, method: string, path: string, body: unknown): Promise<Reply> {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [, resource, addr, action] = parts;
  const key = `${method} ${resource ?? ''}${addr ? '/:address' : ''}${action ? `/${action}` : ''}`;
  switch (key) {
    case 'POST mailboxes': {
      const p = parse(mailboxBody, body);
      if (!p.ok) return p.reply;
      sandbox.addMailbox(p.value.address, p.value.provider);
      return { status: 201, body: { ...p.value, token: sandbox.tokenFor(p.value.address) } };
    }
    case 'GET mailboxes':
      return { status: 200, body: sandbox.mailboxes() };
    case 'POST inject': {
      const p = parse(injectBody, body);
      if (!p.ok) return p.reply;
      const missing = unknownMailbox(sandbox, p.value.to);
      if (missing) return missing;
      const { to, ...message } = p.value;
      const result = await sandbox.inject(to, 'raw' in message ? message.raw : message);
      return { status: 201, body: result };
    }
    case 'POST faults': {
      const p = parse(faultBody, body);
      if (!p.ok) return p.reply;
      const times = p.value.times === 'Infinity' || p.value.times === null ? Infinity : p.value.times;
      sandbox.fault({ ...p.value, times });
      return { status: 201, body: { ok: true } };
    }
    case 'DELETE faults':
      sandbox.clearFaults();
      return { status: 204 };
    case 'GET requests':
      return { status: 200, body: sandbox.requestLog() };
    case 'GET mailboxes/:address/sent':
    case 'GET mailboxes/:address/inbox':
    case 'GET mailboxes/:address/max-concurrency':
    case 'POST mailboxes/:address/expire-history':
    case 'POST mailboxes/:address/expire-delta': {
      const a = addr ?? '';
      const missing = unknownMailbox(sandbox, a);
      if (missing) return missing;
      if (action === 'sent') return { status: 200, body: sandbox.sent(a) };
      if (action === 'inbox') return { status: 200, body: sandbox.inbox(a) };
      if (action === 'max-concurrency')
        return { status: 200, body: { maxConcurrency: sandbox.maxConcurrency(a) } };
      if (action === 'expire-history') sandbox.expireHistory(a);
      else sandbox.expireDelta(a);
      return { status: 204 };
    }
    default:
      return { status: 404, body: { error: `unknown control endpoint ${method} ${path}` } };
  }
}
