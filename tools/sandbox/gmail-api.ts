/**
 * The Gmail API v1 subset the provider uses, shaped as in Google's discovery document
 * (tests/fixtures/reference/gmail-v1.json): messages.send/list/get, history.list, getProfile, threads.get.
 */
import { isRecord, route, type ApiContext, type Route } from './context';
import { gmailError, type Reply } from './errors';
import { createGmailFilter } from './mail-rules';
import { ensureHeaders, fromBase64Url, parseMail, partTree, toBase64Url } from './mime';
import { gmailId, newStoredMessage, snippet, type Mailbox, type StoredMessage } from './store';

/** Parameters every Google API method accepts (the discovery document's top-level `parameters`). */
const STANDARD = [
  '$.xgafv',
  'access_token',
  'alt',
  'callback',
  'fields',
  'key',
  'oauth_token',
  'prettyPrint',
  'quotaUser',
  'uploadType',
  'upload_protocol',
];

/** Query parameters per method, from gmail-v1.json; anything else is refused as Google does. */
export const GMAIL_QUERY: Record<string, string[]> = {
  'messages.send': [],
  'messages.list': ['includeSpamTrash', 'labelIds', 'maxResults', 'pageToken', 'q'],
  'messages.get': ['format', 'metadataHeaders'],
  'history.list': ['historyTypes', 'labelId', 'maxResults', 'pageToken', 'startHistoryId'],
  getProfile: [],
  'threads.get': ['format', 'metadataHeaders'],
  'settings.filters.create': [],
};

const notFound = (): Reply => gmailError(404, 'Requested entity was not found.', 'notFound');
const invalid = (message: string): Reply => gmailError(400, message, 'invalidArgument');

function checkQuery(ctx: ApiContext, operation: string): Reply | undefined {
  const allowed = new Set([...STANDARD, ...(GMAIL_QUERY[operation] ?? [])]);
  for (const key of ctx.query.keys()) {
    if (!allowed.has(key))
      return invalid(`Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter.`);
  }
  return undefined;
}

function checkUser(ctx: ApiContext, userId: string): Reply | undefined {
  if (userId === 'me' || userId.toLowerCase() === ctx.mailbox.address) return undefined;
  return gmailError(403, `Delegation denied for ${ctx.mailbox.address}`, 'forbidden');
}

function uint(ctx: ApiContext, name: string, fallback: number, max: number): number | Reply {
  const v = ctx.query.get(name);
  if (v === null) return fallback;
  if (!/^\d+$/.test(v)) return invalid(`Invalid value at '${name}' (TYPE_UINT32), "${v}"`);
  return Math.min(Number(v), max);
}

type Format = 'minimal' | 'full' | 'raw' | 'metadata';

function formatOf(ctx: ApiContext): Format | Reply {
  const f = (ctx.query.get('format') ?? 'full').toLowerCase();
  if (f === 'minimal' || f === 'full' || f === 'raw' || f === 'metadata') return f;
  return invalid(
    `Invalid value at 'format' (type.googleapis.com/google.apps.gmail.v1.GetMessageRequest.Format), "${f}"`,
  );
}

export function messageResource(
  m: StoredMessage,
  format: Format,
  metadataHeaders: string[] = [],
): Record<string, unknown> {
  const base = {
    id: m.id,
    threadId: m.threadId,
    labelIds: [...m.labelIds],
    snippet: snippet(m),
    sizeEstimate: Buffer.byteLength(m.raw),
    historyId: String(m.historyId),
    internalDate: String(m.internalDate),
  };
  if (format === 'minimal') return base;
  if (format === 'raw') return { ...base, raw: toBase64Url(m.raw) };
  const tree = partTree(m.raw);
  if (format === 'metadata') {
    const wanted = new Set(metadataHeaders.map((h) => h.toLowerCase()));
    const headers =
      wanted.size === 0 ? tree.headers : tree.headers.filter((h) => wanted.has(h.name.toLowerCase()));
    return { ...base, payload: { partId: '', mimeType: tree.mimeType, filename: '', headers } };
  }
  return { ...base, payload: tree };
}

async function send(ctx: ApiContext): Promise<Reply> {
  const box = ctx.mailbox;
  if (ctx.bodyError) return invalid(`Invalid JSON payload received. ${ctx.bodyError}`);
  const body = isRecord(ctx.body) ? ctx.body : {};
  if (typeof body.raw !== 'string' || body.raw === '') {
    return invalid("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
  }
  if (body.threadId !== undefined && typeof body.threadId !== 'string')
    return invalid("Invalid value at 'message.thread_id'");
  let raw = fromBase64Url(body.raw).toString('utf8');
  let parsed = await parseMail(raw);
  if (parsed.to.length + parsed.cc.length + parsed.bcc.length === 0)
    return invalid('Recipient address required');
  const missing: Record<string, string> = {};
  const now = ctx.world.now();
  if (!parsed.messageId) missing['Message-ID'] = `<${gmailId()}.sandbox@mail.gmail.com>`;
  if (!parsed.headers.Date && !Object.keys(parsed.headers).some((k) => k.toLowerCase() === 'date')) {
    missing.Date = new Date(now).toUTCString().replace('GMT', '+0000');
  }
  if (!parsed.from) missing.From = box.address;
  if (Object.keys(missing).length > 0) {
    raw = ensureHeaders(raw, missing);
    parsed = await parseMail(raw);
  }
  const threadId = typeof body.threadId === 'string' && body.threadId !== '' ? body.threadId : undefined;
  if (threadId && box.thread(threadId).length === 0) return notFound();
  const id = gmailId();
  const msg = await newStoredMessage(
    raw,
    { id, threadId: id, labelIds: ['SENT'], folder: 'sentitems', sentAt: now },
    now,
  );
  if (threadId && box.gmailThreadAccepts(threadId, msg.parsed)) msg.threadId = threadId;
  box.add(msg);
  box.addHistory(msg);
  box.sentOrder.push(msg);
  await ctx.world.deliver(box, msg);
  return { status: 200, body: { id: msg.id, threadId: msg.threadId, labelIds: ['SENT'] } };
}

const DAY = 86_400_000;
const UNIT: Record<string, number> = { d: DAY, m: 30 * DAY, y: 365 * DAY };

/** Gmail's after:/before: take a date (YYYY/MM/DD, midnight) or seconds since the epoch. */
function searchDate(v: string): number {
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const [y = 0, mo = 1, d = 1] = v.split(/[/-]/).map(Number);
  return new Date(y, mo - 1, d).getTime();
}

/** `in:` names Gmail's search accepts for system labels. */
const IN_ALIASES: Record<string, string> = { sent: 'sent', drafts: 'draft', draft: 'draft', chats: 'chat' };

function matches(m: StoredMessage, term: string, now: number): boolean {
  // A leading minus negates a term, as in Gmail's search box ("-in:sent").
  if (term.startsWith('-') && term.length > 1) return !matches(m, term.slice(1), now);
  const [, key, value = ''] = /^(?:(\w+):)?(.*)$/.exec(term) ?? [];
  const age = /^(\d+)([dmy])$/.exec(value);
  const v = value.replace(/^"|"$/g, '').toLowerCase();
  switch (key?.toLowerCase()) {
    case 'rfc822msgid': {
      const want = v.replace(/^<|>$/g, '');
      return m.parsed.messageId?.toLowerCase() === `<${want}>`;
    }
    case 'in':
    case 'label': {
      const label = IN_ALIASES[v] ?? v;
      return v === 'anywhere' || m.labelIds.some((l) => l.toLowerCase() === label);
    }
    case 'is':
      if (v === 'read') return !m.labelIds.includes('UNREAD');
      return m.labelIds.some((l) => l.toLowerCase() === v);
    case 'from':
      return m.parsed.from.includes(v);
    case 'to':
      return [...m.parsed.to, ...m.parsed.cc].some((a) => a.includes(v));
    case 'subject':
      return m.parsed.subject.toLowerCase().includes(v);
    case 'thread':
      return m.threadId === value;
    case 'newer_than':
      return !!age && m.internalDate >= now - Number(age[1]) * (UNIT[age[2] ?? 'd'] ?? DAY);
    case 'older_than':
      return !!age && m.internalDate < now - Number(age[1]) * (UNIT[age[2] ?? 'd'] ?? DAY);
    case 'after':
      return m.internalDate >= searchDate(v);
    case 'before':
      return m.internalDate < searchDate(v);
    default:
      return m.raw.toLowerCase().includes(term.replace(/^"|"$/g, '').toLowerCase());
  }
}

function pageOf<T>(items: T[], ctx: ApiContext, size: number): { page: T[]; next?: string } | Reply {
  const token = ctx.query.get('pageToken');
  const start = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) return invalid('Invalid pageToken');
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return { page, next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

function list(ctx: ApiContext): Reply {
  const max = uint(ctx, 'maxResults', 100, 500);
  if (typeof max !== 'number') return max;
  const terms = (ctx.query.get('q') ?? '').match(/\S+:"[^"]*"|"[^"]*"|\S+/g) ?? [];
  const labels = ctx.query.getAll('labelIds');
  const spamTrash = ctx.query.get('includeSpamTrash') === 'true';
  const found = ctx.mailbox.messages
    .filter((m) => spamTrash || !m.labelIds.some((l) => l === 'SPAM' || l === 'TRASH'))
    .filter((m) => labels.every((l) => m.labelIds.includes(l)))
    .filter((m) => terms.every((t) => matches(m, t, ctx.world.now())))
    .sort(
      (a, b) =>
        b.internalDate - a.internalDate || ctx.mailbox.messages.indexOf(b) - ctx.mailbox.messages.indexOf(a),
    );
  const paged = pageOf(found, ctx, max);
  if ('status' in paged) return paged;
  const body: Record<string, unknown> = {};
  if (paged.page.length > 0) body.messages = paged.page.map((m) => ({ id: m.id, threadId: m.threadId }));
  if (paged.next) body.nextPageToken = paged.next;
  body.resultSizeEstimate = found.length;
  return { status: 200, body };
}

function get(ctx: ApiContext, [, id = '']: string[]): Reply {
  const format = formatOf(ctx);
  if (typeof format !== 'string') return format;
  const m = ctx.mailbox.byId.get(id);
  if (!m) return notFound();
  return { status: 200, body: messageResource(m, format, ctx.query.getAll('metadataHeaders')) };
}

function history(ctx: ApiContext): Reply {
  const box: Mailbox = ctx.mailbox;
  const start = ctx.query.get('startHistoryId');
  if (start === null) return invalid('startHistoryId is required');
  if (!/^\d+$/.test(start)) return invalid(`Invalid value at 'start_history_id' (TYPE_UINT64), "${start}"`);
  if (Number(start) < box.historyFloor) return notFound();
  const max = uint(ctx, 'maxResults', 100, 500);
  if (typeof max !== 'number') return max;
  const types = ctx.query.getAll('historyTypes');
  const labelId = ctx.query.get('labelId');
  const records = box.history
    .filter((h) => h.id > Number(start))
    .filter(() => types.length === 0 || types.includes('messageAdded'))
    .filter((h) => labelId === null || h.labelIds.includes(labelId));
  const paged = pageOf(records, ctx, max);
  if ('status' in paged) return paged;
  const body: Record<string, unknown> = {};
  if (paged.page.length > 0) {
    body.history = paged.page.map((h) => {
      const threadId = box.byId.get(h.messageId)?.threadId ?? h.messageId;
      return {
        id: String(h.id),
        messages: [{ id: h.messageId, threadId }],
        messagesAdded: [{ message: { id: h.messageId, threadId, labelIds: h.labelIds } }],
      };
    });
  }
  if (paged.next) body.nextPageToken = paged.next;
  body.historyId = String(box.historyId);
  return { status: 200, body };
}

function profile(ctx: ApiContext): Reply {
  const box = ctx.mailbox;
  return {
    status: 200,
    body: {
      emailAddress: box.address,
      messagesTotal: box.messages.length,
      threadsTotal: new Set(box.messages.map((m) => m.threadId)).size,
      historyId: String(box.historyId),
    },
  };
}

function thread(ctx: ApiContext, [, id = '']: string[]): Reply {
  const format = formatOf(ctx);
  if (typeof format !== 'string' || format === 'raw')
    return typeof format === 'string' ? invalid('Invalid format: raw') : format;
  const messages = ctx.mailbox.thread(id);
  if (messages.length === 0) return notFound();
  return {
    status: 200,
    body: {
      id,
      historyId: String(Math.max(...messages.map((m) => m.historyId))),
      messages: messages.map((m) => messageResource(m, format, ctx.query.getAll('metadataHeaders'))),
    },
  };
}

function guarded(operation: string, handle: Route['handle']): Route['handle'] {
  return (ctx, params) =>
    checkQuery(ctx, operation) ?? checkUser(ctx, params[0] ?? '') ?? handle(ctx, params);
}

export const gmailRoutes: Route[] = [
  route('POST', '/users/{userId}/messages/send', 'messages.send', guarded('messages.send', send)),
  route('GET', '/users/{userId}/messages', 'messages.list', guarded('messages.list', list)),
  route('GET', '/users/{userId}/messages/{id}', 'messages.get', guarded('messages.get', get)),
  route('GET', '/users/{userId}/history', 'history.list', guarded('history.list', history)),
  route('GET', '/users/{userId}/profile', 'getProfile', guarded('getProfile', profile)),
  route('GET', '/users/{userId}/threads/{id}', 'threads.get', guarded('threads.get', thread)),
  route(
    'POST',
    '/users/{userId}/settings/filters',
    'settings.filters.create',
    guarded('settings.filters.create', createGmailFilter),
  ),
];
