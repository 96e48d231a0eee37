/**
 * The Microsoft Graph v1.0 mail subset the provider uses: drafts (create, update, send), createReply,
 * look-ups by internetMessageId, raw MIME, and delta on a mail folder with expiring links (410).
 */
import { randomBytes } from 'node:crypto';
import { isRecord, route, type ApiContext, type Route } from './context';
import { graphError, type Reply } from './errors';
import {
  draftMime,
  findMessage,
  folderFrom,
  folderId,
  messageJson,
  MESSAGE_PROPERTIES,
  wantsImmutableIds,
} from './graph-shape';
import { messageQuery } from './graph-query';
import { createMailFolder, createMessageRule, getMailFolder } from './mail-rules';
import { parseMail } from './mime';
import {
  graphId,
  type GraphDraft,
  type GraphFolder,
  type Mailbox,
  type Recipient,
  type StoredMessage,
} from './store';

/** Properties a client may write on a draft; other known properties are read-only and ignored, as Graph does. */
const WRITABLE = new Set([
  'subject',
  'body',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'internetMessageHeaders',
  'internetMessageId',
  'importance',
  'from',
  'sender',
  'isRead',
  'categories',
  'flag',
  'isDeliveryReceiptRequested',
  'isReadReceiptRequested',
]);
/** Writable once a message is no longer a draft. */
const WRITABLE_SENT = new Set(['isRead', 'categories', 'flag', 'importance', 'inferenceClassification']);

const notFound = (): Reply =>
  graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
const bad = (code: string, message: string): Reply => graphError(400, code, message);

function selectOf(ctx: ApiContext): string[] | Reply | undefined {
  const raw = ctx.query.get('$select');
  if (raw === null) return undefined;
  const props = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = props.find((p) => !MESSAGE_PROPERTIES.includes(p));
  if (unknown)
    return bad(
      'RequestBroker--ParseUri',
      `Could not find a property named '${unknown}' on type 'microsoft.graph.message'.`,
    );
  return props;
}

function json(ctx: ApiContext, m: StoredMessage, select?: string[]): Record<string, unknown> {
  return messageJson(ctx.mailbox, m, { immutable: wantsImmutableIds(ctx.headers.prefer), select });
}

function recipients(v: unknown, field: string): Recipient[] | Reply {
  if (!Array.isArray(v))
    return bad('RequestBodyRead', `Property '${field}' must be a collection of recipients.`);
  const out: Recipient[] = [];
  for (const r of v) {
    const address = isRecord(r) && isRecord(r.emailAddress) ? r.emailAddress.address : undefined;
    if (typeof address !== 'string' || !address.includes('@')) {
      return bad('ErrorInvalidRecipients', `At least one recipient in '${field}' isn't valid.`);
    }
    const name =
      isRecord(r) && isRecord(r.emailAddress) && typeof r.emailAddress.name === 'string'
        ? r.emailAddress.name
        : undefined;
    out.push({ emailAddress: { address: address.toLowerCase(), ...(name ? { name } : {}) } });
  }
  return out;
}

/** Applies a message body (create, PATCH, createReply's `message`) to a draft; returns an error reply if refused. */
function applyProps(m: StoredMessage, props: Record<string, unknown>): Reply | undefined {
  const d = m.draft;
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith('@')) continue;
    if (!MESSAGE_PROPERTIES.includes(key)) {
      return bad(
        'RequestBodyRead',
        `The property '${key}' does not exist on type 'microsoft.graph.message'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
    if (!WRITABLE.has(key)) continue;
    if (!d || !m.isDraft) {
      if (WRITABLE_SENT.has(key) && key === 'isRead') m.isRead = value === true;
      else if (!WRITABLE_SENT.has(key))
        return bad(
          'ErrorInvalidPropertyUpdateSentMessage',
          `Update of '${key}' is not allowed on a message that is not a draft.`,
        );
      continue;
    }
    switch (key) {
      case 'subject':
        if (typeof value !== 'string') return bad('RequestBodyRead', "Property 'subject' must be a string.");
        d.subject = value;
        break;
      case 'body': {
        const type =
          isRecord(value) && typeof value.contentType === 'string' ? value.contentType.toLowerCase() : 'text';
        const content = isRecord(value) && typeof value.content === 'string' ? value.content : '';
        if (type !== 'text' && type !== 'html') return bad('RequestBodyRead', `Invalid bodyType '${type}'.`);
        d.body = { contentType: type, content };
        break;
      }
      case 'toRecipients':
      case 'ccRecipients':
      case 'bccRecipients':
      case 'replyTo': {
        const list = recipients(value, key);
        if (!Array.isArray(list)) return list;
        d[key] = list;
        break;
      }
      case 'internetMessageHeaders': {
        if (!Array.isArray(value))
          return bad('RequestBodyRead', "Property 'internetMessageHeaders' must be a collection.");
        const headers: { name: string; value: string }[] = [];
        for (const h of value) {
          const name = isRecord(h) && typeof h.name === 'string' ? h.name : '';
          // Graph accepts only custom headers on a message it composes: names must start with x- or X-.
          if (!/^x-/i.test(name)) {
            return bad(
              'InvalidInternetMessageHeader',
              `The internet message header name '${name}' should start with 'x-' or 'X-'.`,
            );
          }
          headers.push({ name, value: isRecord(h) && typeof h.value === 'string' ? h.value : '' });
        }
        d.internetMessageHeaders = headers;
        break;
      }
      case 'internetMessageId':
        if (typeof value !== 'string' || !/^<[^<>\s@]+@[^<>\s@]+>$/.test(value)) {
          return bad(
            'ErrorInvalidInternetMessageId',
            'The internetMessageId must be an RFC 2822 msg-id such as <id@domain>.',
          );
        }
        m.parsed.messageId = value;
        break;
      case 'importance':
        if (typeof value === 'string' && ['low', 'normal', 'high'].includes(value.toLowerCase())) {
          d.importance = value.toLowerCase() as GraphDraft['importance'];
        }
        break;
      case 'isRead':
        m.isRead = value === true;
        break;
      default:
        break;
    }
  }
  return undefined;
}

function emptyDraft(): GraphDraft {
  return {
    subject: '',
    body: { contentType: 'text', content: '' },
    toRecipients: [],
    ccRecipients: [],
    bccRecipients: [],
    replyTo: [],
    internetMessageHeaders: [],
    references: [],
    importance: 'normal',
  };
}

async function newDraft(ctx: ApiContext, conversationId?: string): Promise<StoredMessage> {
  const box = ctx.mailbox;
  const now = ctx.world.now();
  const id = graphId('AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A');
  const messageId = `<${randomBytes(16).toString('hex').toUpperCase()}@${box.address.split('@')[1] ?? 'sandbox'}>`;
  const parsed = await parseMail(`Message-ID: ${messageId}\r\nFrom: ${box.address}\r\n\r\n`);
  return {
    id,
    threadId: conversationId ?? graphId('AAQkAD'),
    raw: '',
    parsed,
    labelIds: ['DRAFT'],
    internalDate: now,
    historyId: 0,
    changeSeq: 0,
    enteredSeq: 0,
    folder: 'drafts',
    restVersion: 1,
    isDraft: true,
    isRead: true,
    draft: emptyDraft(),
    createdAt: now,
    modifiedAt: now,
  };
}

async function createDraft(ctx: ApiContext): Promise<Reply> {
  if (ctx.bodyError || !isRecord(ctx.body))
    return bad('RequestBodyRead', 'The request body must be a JSON message resource.');
  const m = await newDraft(ctx);
  const refused = applyProps(m, ctx.body);
  if (refused) return refused;
  ctx.mailbox.add(m);
  ctx.mailbox.touch(m, ctx.world.now(), true);
  return { status: 201, body: json(ctx, m) };
}

function getOne(ctx: ApiContext, [id = '']: string[]): Reply {
  const select = selectOf(ctx);
  if (select && !Array.isArray(select)) return select;
  const m = findMessage(ctx.mailbox, id);
  return m ? { status: 200, body: json(ctx, m, select) } : notFound();
}

function update(ctx: ApiContext, [id = '']: string[]): Reply {
  const m = findMessage(ctx.mailbox, id);
  if (!m) return notFound();
  if (ctx.bodyError || !isRecord(ctx.body))
    return bad('RequestBodyRead', 'The request body must be a JSON object.');
  const refused = applyProps(m, ctx.body);
  if (refused) return refused;
  ctx.mailbox.touch(m, ctx.world.now());
  return { status: 200, body: json(ctx, m) };
}

function rawValue(ctx: ApiContext, [id = '']: string[]): Reply {
  const m = findMessage(ctx.mailbox, id);
  if (!m) return notFound();
  const text = m.draft && m.isDraft ? draftMime(ctx.mailbox, m, m.draft, m.modifiedAt) : m.raw;
  return { status: 200, text, headers: { 'content-type': 'text/plain' } };
}

async function send(ctx: ApiContext, [id = '']: string[]): Promise<Reply> {
  const box = ctx.mailbox;
  const m = findMessage(box, id);
  if (!m) return notFound();
  if (!m.isDraft || !m.draft) return bad('ErrorInvalidOperation', 'Only a draft can be sent.');
  const d = m.draft;
  if (d.toRecipients.length + d.ccRecipients.length + d.bccRecipients.length === 0) {
    return bad('ErrorInvalidRecipients', 'At least one recipient is not valid., Recipient is missing.');
  }
  const now = ctx.world.now();
  m.raw = draftMime(box, m, d, now);
  m.parsed = await parseMail(m.raw);
  m.draft = undefined;
  m.isDraft = false;
  m.folder = 'sentitems';
  m.labelIds = ['SENT'];
  m.restVersion += 1;
  m.sentAt = now;
  m.internalDate = now;
  box.touch(m, now, true);
  box.sentOrder.push(m);
  await ctx.world.deliver(box, m);
  return { status: 202 };
}

async function createReply(ctx: ApiContext, [id = '']: string[]): Promise<Reply> {
  const box = ctx.mailbox;
  const original = findMessage(box, id);
  if (!original) return notFound();
  if (ctx.bodyError) return bad('RequestBodyRead', ctx.bodyError);
  const body = isRecord(ctx.body) ? ctx.body : {};
  const params = Object.fromEntries(Object.entries(body).map(([k, v]) => [k.toLowerCase(), v]));
  const unknown = Object.keys(params).find((k) => k !== 'message' && k !== 'comment');
  if (unknown)
    return bad(
      'RequestBodyRead',
      `The parameter '${unknown}' in the request payload is not a valid parameter for the operation 'createReply'.`,
    );
  const message = isRecord(params.message) ? params.message : {};
  const comment = typeof params.comment === 'string' ? params.comment : undefined;
  if (comment !== undefined && message.body !== undefined) {
    return bad(
      'ErrorInvalidArgument',
      'Specify either a comment or the body property of the message parameter, not both.',
    );
  }
  const m = await newDraft(ctx, original.threadId);
  const d = m.draft as GraphDraft;
  const o = messageJson(box, original, { immutable: true });
  const subject = String(o.subject ?? '');
  d.subject = /^re:/i.test(subject) ? subject : `RE: ${subject}`;
  // Replying to one's own sent message addresses it to oneself, as Outlook does: set recipients explicitly.
  d.toRecipients = [o.from as Recipient];
  const quoted = String((o.body as { content?: string }).content ?? '');
  d.body = {
    contentType: 'html',
    content: `<html><body>${comment ?? ''}<hr><div>${quoted}</div></body></html>`,
  };
  const originalId = original.parsed.messageId;
  if (originalId) {
    d.inReplyTo = originalId;
    d.references = [...original.parsed.references, originalId];
  }
  const refused = applyProps(m, message);
  if (refused) return refused;
  box.add(m);
  box.touch(m, ctx.world.now(), true);
  return { status: 201, body: json(ctx, m) };
}

function listMessages(ctx: ApiContext, folder?: GraphFolder): Reply {
  const select = selectOf(ctx);
  if (select && !Array.isArray(select)) return select;
  const query = messageQuery(ctx.query, (m) => folderId(ctx.mailbox, m.folder));
  if ('status' in query) return query;
  const top = Math.min(Number(ctx.query.get('$top') ?? 10) || 10, 1000);
  const skip = Number(ctx.query.get('$skip') ?? 0) || 0;
  const found = query.sort(
    ctx.mailbox.messages.filter((m) => (folder ? m.folder === folder : true)).filter(query.filter),
  );
  const page = found.slice(skip, skip + top);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.origin}/graph/v1.0/$metadata#users('${ctx.mailbox.address}')/messages`,
    value: page.map((m) => json(ctx, m, select)),
  };
  if (skip + top < found.length) {
    const next = new URLSearchParams(ctx.query);
    next.set('$skip', String(skip + top));
    next.set('$top', String(top));
    body['@odata.nextLink'] = `${ctx.origin}/graph/v1.0${ctx.path}?${next.toString()}`;
  }
  return { status: 200, body };
}

function folderList(ctx: ApiContext, [ref = '']: string[]): Reply {
  const folder = folderFrom(ctx.mailbox, ref);
  return folder ? listMessages(ctx, folder) : notFound();
}

interface DeltaState {
  /** Generation: expireDelta bumps the mailbox's, so every outstanding link answers 410. */
  g: number;
  f: GraphFolder;
  since: number;
  until: number;
  off: number;
  select?: string[];
  /** Delta's `changeType` filter. */
  ct?: 'created' | 'updated' | 'deleted';
}

function encodeState(s: DeltaState): string {
  return Buffer.from(JSON.stringify(s)).toString('base64url');
}

function decodeState(token: string): DeltaState | undefined {
  try {
    const s: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return isRecord(s) && typeof s.g === 'number' && typeof s.since === 'number'
      ? (s as unknown as DeltaState)
      : undefined;
  } catch {
    return undefined;
  }
}

function pageSize(prefer: string | string[] | undefined): number {
  const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec([prefer ?? ''].flat().join(','));
  return m ? Math.max(1, Number(m[1])) : 10;
}

function delta(ctx: ApiContext, [ref = '']: string[]): Reply {
  const box: Mailbox = ctx.mailbox;
  const folder = folderFrom(box, ref);
  if (!folder) return notFound();
  const skip = ctx.query.get('$skiptoken');
  const dt = ctx.query.get('$deltatoken');
  let state: DeltaState;
  const token = skip ?? dt;
  if (token !== null) {
    const s = decodeState(token);
    if (!s || s.f !== folder) return bad('ErrorInvalidSyncStateData', 'The sync state data is invalid.');
    if (s.g !== box.deltaGeneration) {
      return graphError(
        410,
        'SyncStateNotFound',
        `The sync state generation is not found; generation=${s.g};[highest=${box.deltaGeneration}].`,
      );
    }
    state = skip !== null ? s : { ...s, since: s.since, until: box.changeSeq, off: 0 };
  } else {
    const select = selectOf(ctx);
    if (select && !Array.isArray(select)) return select;
    const ct = ctx.query.get('changeType') ?? undefined;
    if (ct !== undefined && ct !== 'created' && ct !== 'updated' && ct !== 'deleted') {
      return bad('BadRequest', `Invalid changeType '${ct}': use created, updated or deleted.`);
    }
    state = { g: box.deltaGeneration, f: folder, since: 0, until: box.changeSeq, off: 0, select, ct };
  }
  const size = pageSize(ctx.headers.prefer);
  const changed = box.messages
    .filter((m) => m.folder === folder && m.changeSeq > state.since && m.changeSeq <= state.until)
    .filter((m) => {
      // Nothing is ever deleted in the sandbox; created means it entered the folder within this window.
      if (state.ct === 'deleted') return false;
      const entered = m.enteredSeq > state.since;
      return state.ct === 'created' ? entered : state.ct === 'updated' ? !entered : true;
    })
    .sort((a, b) => a.changeSeq - b.changeSeq);
  const page = changed.slice(state.off, state.off + size);
  const base = `${ctx.origin}/graph/v1.0/me/mailFolders/${encodeURIComponent(ref)}/messages/delta`;
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.origin}/graph/v1.0/$metadata#Collection(message)`,
    value: page.map((m) => ({ '@odata.type': '#microsoft.graph.message', ...json(ctx, m, state.select) })),
  };
  if (state.off + size < changed.length) {
    body['@odata.nextLink'] = `${base}?$skiptoken=${encodeState({ ...state, off: state.off + size })}`;
  } else {
    body['@odata.deltaLink'] =
      `${base}?$deltatoken=${encodeState({ ...state, since: state.until, until: state.until, off: 0 })}`;
  }
  return { status: 200, body, headers: { 'preference-applied': `odata.maxpagesize=${size}` } };
}

async function sendMail(ctx: ApiContext): Promise<Reply> {
  if (ctx.bodyError || !isRecord(ctx.body))
    return bad('RequestBodyRead', 'The request body must be a JSON object.');
  const params = Object.fromEntries(Object.entries(ctx.body).map(([k, v]) => [k.toLowerCase(), v]));
  if (!isRecord(params.message)) return bad('ErrorInvalidArgument', "The 'Message' parameter is required.");
  const m = await newDraft(ctx);
  const refused = applyProps(m, params.message);
  if (refused) return refused;
  ctx.mailbox.add(m);
  return send({ ...ctx, body: undefined }, [m.id]);
}

export const graphRoutes: Route[] = [
  route('POST', '/me/messages', 'user.messages (create)', createDraft),
  route('GET', '/me/messages', 'user.messages (list)', (ctx) => listMessages(ctx)),
  route('GET', '/me/messages/{id}', 'user.messages (get)', getOne),
  route('PATCH', '/me/messages/{id}', 'user.messages (update)', update),
  route('GET', '/me/messages/{id}/$value', 'message media', rawValue),
  route('POST', '/me/messages/{id}/send', 'send', send),
  route('POST', '/me/messages/{id}/createReply', 'createReply', createReply),
  route('POST', '/me/sendMail', 'sendMail', sendMail),
  route('GET', '/me/mailFolders/{id}/messages', 'mailFolder.messages (list)', folderList),
  route('GET', '/me/mailFolders/{id}/messages/delta', 'delta', delta),
  route('POST', '/me/mailFolders', 'user.mailFolders (create)', createMailFolder),
  route('GET', '/me/mailFolders/{id}', 'user.mailFolders (get)', getMailFolder),
  route('POST', '/me/mailFolders/{id}/messageRules', 'mailFolder.messageRules (create)', createMessageRule),
];
