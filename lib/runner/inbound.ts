import { Temporal } from 'temporal-polyfill';
import type { Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import { MailError, type InboundRef, type MailProvider } from '../mail/provider';
import { classify, parseHeaders, parseInbound } from '../replies';
import type { Classification, ParsedHeaders } from '../replies';
import { applyContactSignal, type ContactSignal } from './actions';
import type { RunnerDeps } from './deps';
import { replyText } from './reply-text';

/**
 * One inbound message, read safely (issue 12): a cheap look first (its thread, then its header block), the
 * body only when the message can matter to an enrolled contact; the message is recorded as seen before its
 * body is parsed, and one that throws or runs past the time budget is recorded as unreadable and pauses the
 * enrollments it concerns for the rep's attention. Nothing here can hold up the cycle, the cursor or a send.
 */

/** What reading one message may cost before it counts as unreadable (wall time, not the virtual clock). */
export const READ_BUDGET_MS = 5_000;

export interface ReadOptions {
  /** Default READ_BUDGET_MS. */
  budgetMs?: number;
  /** Monotonic milliseconds, to measure the budget; default performance.now. */
  stopwatch?: () => number;
}

export type InboundKind = Classification['kind'] | 'unreadable' | 'skipped';

export interface InboundOutcome {
  kind: InboundKind;
  signals: { email: string; kind: InboundKind }[];
}

const live = (e: Enrollment) => e.status === 'active' || e.status === 'paused';
const inboundId = (mailbox: string, providerMessageId: string) => `${mailbox}:${providerMessageId}`;
/** The one message being read in a mailbox, kept until it is done: a worker that dies reading it leaves it here. */
export const readingKey = (mailbox: string) => `watch-reading:${mailbox}`;

interface Reading {
  providerMessageId: string;
  from?: string;
  contactEmails: string[];
  /** How many times a worker has started reading this message (1 for the first). */
  attempts?: number;
}

/**
 * A worker can die for reasons of its own (the browser ends it) while reading an ordinary reply; a message
 * that kills it this many times running is the cause, and counts as unreadable.
 */
export const MAX_READ_ATTEMPTS = 3;

/** Our own Message-IDs (runner/context.ts messageIdFor): a message naming one answers that enrollment's email. */
const OUR_MESSAGE_ID = /^<tl\.([A-Za-z0-9.-]+)\.\d+@[^<>@\s]+>$/;

const MAILER = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/;

function header(h: ParsedHeaders, name: string): string | undefined {
  return h.headers.find((f) => f.name === name)?.value;
}

/** From the header block alone: a delivery report, an automatic reply, a complaint, a challenge. */
function looksAutomatic(h: ParsedHeaders): boolean {
  if (h.contentType === 'multipart/report') return true;
  if (h.from && MAILER.test(h.from.address)) return true;
  const auto = header(h, 'auto-submitted')?.trim().toLowerCase();
  if (auto && auto !== 'no') return true;
  return ['x-autoreply', 'x-autorespond', 'x-failed-recipients', 'x-auto-response-suppress'].some(
    (n) => header(h, n) !== undefined,
  );
}

async function contactsOfEnrollments(deps: RunnerDeps, enrollments: Enrollment[]): Promise<Contact[]> {
  const contacts = await deps.db.contacts.bulkGet([
    ...new Set(enrollments.filter(live).map((e) => e.contactId)),
  ]);
  return contacts.filter((c): c is Contact => c !== undefined);
}

async function enrolledContactByEmail(deps: RunnerDeps, email: string): Promise<Contact | undefined> {
  const contact = await deps.db.contacts.where('email').equals(email).first();
  if (!contact) return undefined;
  const enrollments = await deps.db.enrollments.where('contactId').equals(contact.id).toArray();
  return enrollments.some(live) ? contact : undefined;
}

/** The enrollments whose emails a message names in In-Reply-To / References (a challenge often does). */
async function namedEnrollments(deps: RunnerDeps, h: ParsedHeaders): Promise<Enrollment[]> {
  const ids = [
    ...new Set([h.inReplyTo, ...h.references].flatMap((id) => OUR_MESSAGE_ID.exec(id ?? '')?.[1] ?? [])),
  ];
  if (ids.length === 0) return [];
  // messageIdFor replaced characters outside [A-Za-z0-9.-]; the ids we make never have any.
  return (await deps.db.enrollments.bulkGet(ids.slice(0, 20))).filter(
    (e): e is Enrollment => e !== undefined,
  );
}

/** Who a message can concern, decided without reading its body; empty when it cannot matter. */
interface Triage {
  threadContacts: Contact[];
  sender?: Contact;
  from?: string;
  /** A DSN, complaint or other automatic message: read it even with nobody to match yet (a bounce names its recipient). */
  automatic: boolean;
}

async function triage(
  deps: RunnerDeps,
  provider: MailProvider,
  mailbox: string,
  ref: InboundRef,
): Promise<Triage | undefined> {
  const threadContacts = await contactsOfEnrollments(
    deps,
    await deps.db.enrollments.where('threadId').equals(ref.threadId).toArray(),
  );
  // In one of our threads: it matters whoever wrote it, no need to look further before reading it.
  if (threadContacts.length > 0) return { threadContacts, automatic: false };
  const h = parseHeaders((await provider.getHeaders(ref.providerMessageId)).headerBlock);
  const from = h.from?.address;
  if (from === mailbox.toLowerCase()) return undefined;
  const sender = from ? await enrolledContactByEmail(deps, from) : undefined;
  const named = threadContacts.length
    ? []
    : await contactsOfEnrollments(deps, await namedEnrollments(deps, h));
  const contacts = threadContacts.length ? threadContacts : named;
  const automatic = looksAutomatic(h);
  if (contacts.length === 0 && !sender && !automatic) return undefined;
  return { threadContacts: contacts, ...(sender ? { sender } : {}), ...(from ? { from } : {}), automatic };
}

function signalOf(
  c: Classification,
  contact: Contact,
  ref: InboundRef,
  from: string | undefined,
  text: string | undefined,
): ContactSignal | undefined {
  switch (c.kind) {
    case 'human_reply':
      return text ? { type: 'reply', text } : { type: 'reply' };
    case 'auto_reply':
      return { type: 'auto_reply' };
    case 'out_of_office':
      return {
        type: 'out_of_office',
        // Back on that day: the start of it on the contact's clock (UTC when unknown).
        returnAt: c.returnDate
          ? Temporal.PlainDate.from(c.returnDate).toZonedDateTime({ timeZone: contact.timeZone ?? 'UTC' })
              .epochMilliseconds
          : undefined,
      };
    case 'bounce':
      // A delay warning is not a bounce yet: the server is still trying.
      if (!c.bounce || c.bounce.delayed) return c.bounce ? undefined : { type: 'bounce', permanent: false };
      return {
        type: 'bounce',
        permanent: c.bounce.permanent,
        reason: c.bounce.reason,
        ...(c.bounce.status ? { status: c.bounce.status } : {}),
      };
    case 'meeting':
      return { type: 'meeting_booked' };
    case 'unsubscribe_request':
      return { type: 'unsubscribe' };
    case 'complaint':
      return {
        type: 'complaint',
        ...(c.complaint?.feedbackType ? { feedbackType: c.complaint.feedbackType } : {}),
      };
    case 'challenge':
      return { type: 'challenge', providerMessageId: ref.providerMessageId, ...(from ? { from } : {}) };
    case 'other':
      return undefined;
  }
}

/**
 * What someone else's message in a thread means for a contact enrolled there: a live conversation (a reply, a
 * meeting) stops their sequence too, and so does a request to be removed (as a reply: the request was not
 * theirs, so they are not put on the do-not-contact list); an out-of-office or an auto-reply says nothing
 * about them. A challenge or an unreadable message in their thread may stand for their reply: it pauses them.
 */
function forOthersInThread(signal: ContactSignal | undefined): ContactSignal | undefined {
  switch (signal?.type) {
    case 'reply':
      // Their reply, not this contact's words: the stop without the text.
      return { type: 'reply' };
    case 'meeting_booked':
    case 'challenge':
    case 'unreadable':
      return signal;
    case 'unsubscribe':
    case 'complaint':
      return { type: 'reply' };
    default:
      return undefined;
  }
}

/** Rejects after `ms` of wall time: an asynchronous read that never ends still frees the cycle. */
function timeout(ms: number): { promise: Promise<never>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`reading took more than ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

interface Read {
  classification: Classification;
  /** The sender as the message itself says, lower-cased. */
  from?: string;
  /** A person's reply: their own words (reply-text.ts). */
  text?: string;
}

/**
 * Fetches, parses and classifies within the budget. The classifier is told the contact only when the sender is
 * the one candidate it could be (or the only one there is).
 */
async function classifyWithin(
  provider: MailProvider,
  mailbox: string,
  ref: InboundRef,
  candidates: Contact[],
  options: ReadOptions,
): Promise<Read> {
  const budget = options.budgetMs ?? READ_BUDGET_MS;
  const stopwatch = options.stopwatch ?? (() => performance.now());
  const started = stopwatch();
  const limit = timeout(budget);
  try {
    const read = await Promise.race([
      (async (): Promise<Read> => {
        const message = await parseInbound((await provider.getMessage(ref.providerMessageId)).raw);
        const from = message.from?.address.toLowerCase();
        const sender = candidates.find((c) => c.email.toLowerCase() === from);
        const contact = sender ?? (candidates.length === 1 ? candidates[0] : undefined);
        const classification = classify(message, {
          contactEmail: contact?.email,
          repAddresses: [mailbox],
        });
        const text = classification.kind === 'human_reply' ? replyText(message) : undefined;
        return { classification, ...(from ? { from } : {}), ...(text ? { text } : {}) };
      })(),
      limit.promise,
    ]);
    // A synchronous step cannot be interrupted; one that ran past the budget still counts as unreadable.
    if (stopwatch() - started > budget) throw new Error(`reading took more than ${budget} ms`);
    return read;
  } finally {
    limit.cancel();
  }
}

async function apply(
  deps: RunnerDeps,
  emails: string[],
  signal: ContactSignal,
  kind: InboundKind,
  out: InboundOutcome,
) {
  for (const email of emails) {
    await applyContactSignal(deps, email, signal, deps.clock.now());
    out.signals.push({ email, kind });
  }
}

/**
 * A message that was being read when the worker died (its reading record is still there): read again, up to
 * MAX_READ_ATTEMPTS starts, then treated as unreadable, so a message that kills the worker pauses its contacts
 * instead of being tried forever.
 */
export async function settleInterruptedRead(
  deps: RunnerDeps,
  mailbox: string,
): Promise<InboundOutcome | undefined> {
  const row = await deps.db.meta.get(readingKey(mailbox));
  if (!row) return undefined;
  const reading = row.value as Reading;
  if ((reading.attempts ?? MAX_READ_ATTEMPTS) < MAX_READ_ATTEMPTS) {
    // Not seen any more, so it is news again when reported (the cycle that died did not move the cursor); the
    // record stays, to count the next start.
    await deps.db.inbound.delete(inboundId(mailbox, reading.providerMessageId));
    return undefined;
  }
  const out: InboundOutcome = { kind: 'unreadable', signals: [] };
  await apply(
    deps,
    reading.contactEmails,
    {
      type: 'unreadable',
      providerMessageId: reading.providerMessageId,
      ...(reading.from ? { from: reading.from } : {}),
    },
    'unreadable',
    out,
  );
  await deps.db.inbound.put({
    id: inboundId(mailbox, reading.providerMessageId),
    mailbox,
    at: deps.clock.now(),
    kind: 'unreadable',
  });
  await deps.db.meta.delete(readingKey(mailbox));
  return out;
}

/** Reads one new inbound message and applies what it says to the enrolled contacts it concerns. */
export async function readInbound(
  deps: RunnerDeps,
  provider: MailProvider,
  mailbox: string,
  ref: InboundRef,
  options: ReadOptions = {},
): Promise<InboundOutcome> {
  const id = inboundId(mailbox, ref.providerMessageId);
  const out: InboundOutcome = { kind: 'skipped', signals: [] };
  let seen: Triage | undefined;
  try {
    seen = await triage(deps, provider, mailbox, ref);
  } catch (error) {
    if (error instanceof MailError && (error.kind === 'auth' || error.kind === 'not_connected')) throw error;
    // Its headers cannot be had (gone, or refused): nothing to read, and nothing to hold the cycle up for.
    seen = undefined;
  }
  if (!seen) {
    await deps.db.inbound.put({ id, mailbox, at: deps.clock.now(), kind: 'skipped' });
    return out;
  }
  const { threadContacts, sender } = seen;
  const everyone = [
    ...new Map([...threadContacts, ...(sender ? [sender] : [])].map((c) => [c.id, c])).values(),
  ];
  // Seen before it is parsed: if reading it kills the worker, the next cycle finds this record and treats the
  // message as unreadable (for everyone it may concern) rather than reading it again.
  const reading: Reading = {
    providerMessageId: ref.providerMessageId,
    ...(seen.from ? { from: seen.from } : {}),
    contactEmails: everyone.map((c) => c.email),
  };
  await deps.db.transaction('rw', [deps.db.inbound, deps.db.meta], async () => {
    const before = (await deps.db.meta.get(readingKey(mailbox)))?.value as Reading | undefined;
    reading.attempts = before?.providerMessageId === ref.providerMessageId ? (before.attempts ?? 1) + 1 : 1;
    await deps.db.inbound.put({ id, mailbox, at: deps.clock.now(), kind: 'reading' });
    await deps.db.meta.put({ key: readingKey(mailbox), value: reading });
  });
  let read: Read | undefined;
  try {
    read = await classifyWithin(provider, mailbox, ref, everyone, options);
  } catch (error) {
    if (error instanceof MailError && (error.kind === 'auth' || error.kind === 'not_connected')) {
      // Not the message's fault: read it again once the mailbox is back.
      await deps.db.transaction('rw', [deps.db.inbound, deps.db.meta], async () => {
        await deps.db.inbound.delete(id);
        await deps.db.meta.delete(readingKey(mailbox));
      });
      throw error;
    }
    read = undefined;
  }
  let contactId: string | undefined;
  if (!read) {
    out.kind = 'unreadable';
    // Who sent it, for the rep: from its header block alone (a small request, only on this path).
    const from =
      seen.from ??
      (await provider
        .getHeaders(ref.providerMessageId)
        .then((h) => parseHeaders(h.headerBlock).from?.address)
        .catch(() => undefined));
    await apply(
      deps,
      reading.contactEmails,
      { type: 'unreadable', providerMessageId: ref.providerMessageId, ...(from ? { from } : {}) },
      'unreadable',
      out,
    );
    contactId = everyone.length === 1 ? everyone[0]!.id : undefined;
  } else if (read.from !== mailbox.toLowerCase()) {
    const { classification, from, text } = read;
    out.kind = classification.kind;
    // Whose message this is: the sender when they are one of the thread's enrolled contacts (several people
    // can be enrolled from one thread; one's reply must not stop another's sequence); otherwise everyone
    // enrolled in the thread (an assistant or a colleague answering there means the conversation is live),
    // and the sender too when they are an enrolled contact.
    const own = from ? threadContacts.find((c) => c.email.toLowerCase() === from) : undefined;
    // The sender may be one of the rep's contacts without a sequence: their request to be removed still counts.
    const known = !own && from ? await deps.db.contacts.where('email').equals(from).first() : undefined;
    const candidates = own
      ? [own]
      : [...new Map([...everyone, ...(known ? [known] : [])].map((c) => [c.id, c])).values()];
    // A bounce names the address that failed, a complaint the address that complained (when the feedback
    // loop does not redact it), whichever thread the report lands in.
    const recipient =
      classification.kind === 'bounce'
        ? classification.bounce?.recipient
        : classification.kind === 'complaint'
          ? classification.complaint?.recipient
          : undefined;
    const bounced = recipient ? await enrolledContactByEmail(deps, recipient.toLowerCase()) : undefined;
    const contacts = bounced ? [bounced] : candidates;
    for (const contact of contacts) {
      const theirs = bounced !== undefined || contact.email.toLowerCase() === from;
      const signal = signalOf(classification, contact, ref, from, text);
      const mine = theirs ? signal : forOthersInThread(signal);
      if (mine) await apply(deps, [contact.email], mine, classification.kind, out);
    }
    contactId = contacts.length === 1 ? contacts[0]!.id : undefined;
  } else {
    out.kind = 'other';
  }
  await deps.db.transaction('rw', [deps.db.inbound, deps.db.meta], async () => {
    await deps.db.inbound.put({
      id,
      mailbox,
      at: deps.clock.now(),
      kind: out.kind,
      ...(contactId ? { contactId } : {}),
    });
    await deps.db.meta.delete(readingKey(mailbox));
  });
  return out;
}
