/**
 * Graph message resources as the CSDL describes them (tests/fixtures/reference/graph-v1.0-mail.csdl.xml):
 * ids (REST ids change on move, immutable ids do not), folders, `$select`, the JSON of one message.
 */
import { composeMail } from './mime';
import {
  SNIPPET_SOURCE_CHARS,
  type GraphDraft,
  type GraphFolder,
  type Mailbox,
  type Recipient,
  type StoredMessage,
} from './store';

/** Every structural property of `message` and its bases `outlookItem` and `entity`. */
export const MESSAGE_PROPERTIES = [
  'id',
  'categories',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'bccRecipients',
  'body',
  'bodyPreview',
  'ccRecipients',
  'conversationId',
  'conversationIndex',
  'flag',
  'from',
  'hasAttachments',
  'importance',
  'inferenceClassification',
  'internetMessageHeaders',
  'internetMessageId',
  'isDeliveryReceiptRequested',
  'isDraft',
  'isRead',
  'isReadReceiptRequested',
  'parentFolderId',
  'receivedDateTime',
  'replyTo',
  'sender',
  'sentDateTime',
  'subject',
  'toRecipients',
  'uniqueBody',
  'webLink',
];

/** Returned only when asked for with `$select`, as Graph does. */
const SELECT_ONLY = new Set(['internetMessageHeaders', 'uniqueBody']);

/** Exchange's well-known folders (the names Graph accepts in place of their ids). */
export const FOLDERS: GraphFolder[] = [
  'inbox',
  'sentitems',
  'drafts',
  'deleteditems',
  'junkemail',
  'outbox',
  'archive',
];
const FOLDER_NAMES: Record<string, string> = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  drafts: 'Drafts',
  deleteditems: 'Deleted Items',
  junkemail: 'Junk Email',
  outbox: 'Outbox',
  archive: 'Archive',
};

export function folderName(box: Mailbox, folder: GraphFolder): string {
  return FOLDER_NAMES[folder] ?? box.folders.get(folder) ?? folder;
}

export function folderId(box: Mailbox, folder: GraphFolder): string {
  return 'AQMkAD' + Buffer.from(`${box.address}:${folder}`).toString('base64url');
}

/** A well-known name (`inbox`, `SentItems`) or an id from `parentFolderId`. */
export function folderFrom(box: Mailbox, ref: string): GraphFolder | undefined {
  const lower = ref.toLowerCase();
  return [...FOLDERS, ...box.folders.keys()].find((f) =>
    FOLDERS.includes(f) ? f === lower || folderId(box, f) === ref : folderId(box, f) === ref,
  );
}

export function restId(m: StoredMessage): string {
  return 'AAMkAD' + Buffer.from(`${m.id}|${m.restVersion}`).toString('base64url');
}

export function wantsImmutableIds(prefer: string | string[] | undefined): boolean {
  return /IdType\s*=\s*"?ImmutableId"?/i.test([prefer ?? ''].flat().join(','));
}

/** Immutable ids always resolve; a REST id only while the message has not moved since it was issued. */
export function findMessage(box: Mailbox, id: string): StoredMessage | undefined {
  const direct = box.byId.get(id);
  if (direct) return direct;
  if (!id.startsWith('AAMkAD')) return undefined;
  const [immutable, version] = Buffer.from(id.slice(6), 'base64url').toString('utf8').split('|');
  const m = box.byId.get(immutable ?? '');
  return m && String(m.restVersion) === version ? m : undefined;
}

function recipient(address: string, name?: string): Recipient {
  return { emailAddress: { name: name || address, address } };
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div)[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .trim();
}

/** The MIME Exchange would produce for a draft on send. */
export function draftMime(box: Mailbox, m: StoredMessage, draft: GraphDraft, now: number): string {
  const html = draft.body.contentType === 'html' ? draft.body.content : undefined;
  return composeMail({
    from: box.address,
    to: draft.toRecipients.map((r) => r.emailAddress.address),
    cc: draft.ccRecipients.map((r) => r.emailAddress.address),
    subject: draft.subject,
    text: html === undefined ? draft.body.content : htmlToText(html),
    html,
    messageId: m.parsed.messageId ?? '',
    date: new Date(now),
    inReplyTo: draft.inReplyTo,
    references: draft.references,
    headers: Object.fromEntries(draft.internetMessageHeaders.map((h) => [h.name, h.value])),
  });
}

export function messageJson(
  box: Mailbox,
  m: StoredMessage,
  opts: { immutable: boolean; select?: string[] },
): Record<string, unknown> {
  const d = m.draft;
  const p = m.parsed;
  const addr = (list: string[]) => list.map((a) => recipient(a));
  const from = d ? recipient(box.address) : recipient(p.from, p.fromName);
  const body = d
    ? d.body
    : p.html !== undefined
      ? { contentType: 'html', content: p.html }
      : { contentType: 'text', content: p.text };
  // bodyPreview needs 255 characters: a prefix keeps a stranger's megabytes of unclosed tags cheap.
  const bodyText = (
    d ? (d.body.contentType === 'html' ? htmlToText(d.body.content) : d.body.content) : p.text
  ).slice(0, SNIPPET_SOURCE_CHARS);
  const changeKey = Buffer.from(`${m.id}:${m.changeSeq}:${m.modifiedAt}`).toString('base64').slice(-24);
  const all: Record<string, unknown> = {
    id: opts.immutable ? m.id : restId(m),
    createdDateTime: iso(m.createdAt),
    lastModifiedDateTime: iso(m.modifiedAt),
    changeKey,
    categories: [],
    receivedDateTime: iso(m.sentAt ?? m.createdAt),
    sentDateTime: iso(m.sentAt),
    hasAttachments: false,
    internetMessageId: p.messageId ?? null,
    subject: d ? d.subject : p.subject,
    bodyPreview: bodyText.replace(/\s+/g, ' ').trim().slice(0, 255),
    importance: d?.importance ?? 'normal',
    parentFolderId: folderId(box, m.folder),
    conversationId: m.threadId,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: m.isRead,
    isDraft: m.isDraft,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(m.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: 'focused',
    body,
    sender: from,
    from,
    toRecipients: d ? d.toRecipients : addr(p.to),
    ccRecipients: d ? d.ccRecipients : addr(p.cc),
    bccRecipients: d ? d.bccRecipients : addr(p.bcc),
    replyTo: d ? d.replyTo : [],
    flag: { flagStatus: 'notFlagged' },
    internetMessageHeaders: d ? d.internetMessageHeaders : p.headerList,
    uniqueBody: body,
  };
  const keys = opts.select ?? Object.keys(all).filter((k) => !SELECT_ONLY.has(k));
  const out: Record<string, unknown> = { '@odata.etag': `W/"${changeKey}"` };
  for (const k of ['id', ...keys]) if (k in all) out[k] = all[k];
  return out;
}
