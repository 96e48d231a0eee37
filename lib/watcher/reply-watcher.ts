import { Temporal } from 'temporal-polyfill';
import type { Contact } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import { classify, parseInbound } from '../replies';
import type { Classification } from '../replies';
import { applyContactSignal, type ContactSignal } from '../runner/actions';
import type { RunnerDeps } from '../runner/deps';

const cursorKey = (mailbox: string) => `watch-cursor:${mailbox}`;
/** More new mail than this in one cycle is left for the next cycle (the cursor is only advanced past it then). */
const MAX_MESSAGES_PER_CYCLE = 500;

export interface WatchResult {
  /** New inbound messages looked at. */
  looked: number;
  /** Signals applied to contacts. */
  signals: { email: string; kind: Classification['kind'] }[];
  resynced: boolean;
}

const live = (e: Enrollment) => e.status === 'active' || e.status === 'paused';

function signalOf(c: Classification, contact: Contact): ContactSignal | undefined {
  switch (c.kind) {
    case 'human_reply':
      return { type: 'reply' };
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
      return c.bounce?.delayed ? undefined : { type: 'bounce', permanent: c.bounce?.permanent ?? true };
    case 'meeting':
      return { type: 'meeting_booked' };
    case 'unsubscribe_request':
      return { type: 'unsubscribe' };
    case 'other':
      return undefined;
  }
}

/**
 * What someone else's message in a thread means for a contact enrolled there: a live conversation (a reply, a
 * meeting) stops their sequence too, and so does a request to be removed (as a reply: the request was not
 * theirs, so they are not put on the do-not-contact list); an out-of-office or an auto-reply says nothing
 * about them.
 */
function forOthersInThread(signal: ContactSignal | undefined): ContactSignal | undefined {
  switch (signal?.type) {
    case 'reply':
    case 'meeting_booked':
      return signal;
    case 'unsubscribe':
      return { type: 'reply' };
    default:
      return undefined;
  }
}

/**
 * One watch cycle for a mailbox (ARCHITECTURE.md, "Reply watching"): one `changesSince` call whatever the
 * number of watched threads, then each new inbound message that belongs to a watched thread or comes from (or
 * bounces for) an enrolled contact is classified and applied. The rep's own messages are never replies; a
 * message already handled (a re-sync reports recent mail again) is skipped.
 */
export async function watchMailbox(deps: RunnerDeps, mailbox: string): Promise<WatchResult> {
  const result: WatchResult = { looked: 0, signals: [], resynced: false };
  const provider = deps.mailFor(mailbox);
  if (!provider) return result;
  const stored = await deps.db.meta.get(cursorKey(mailbox));
  const changes = await provider.changesSince(typeof stored?.value === 'string' ? stored.value : undefined);
  result.resynced = changes.resynced;
  const handled = new Set(
    (await deps.db.inbound.bulkGet(changes.messages.map((m) => `${mailbox}:${m.providerMessageId}`)))
      .filter((r) => r !== undefined)
      .map((r) => r.id),
  );
  const unhandled = changes.messages.filter((m) => !handled.has(`${mailbox}:${m.providerMessageId}`));
  const fresh = unhandled.slice(0, MAX_MESSAGES_PER_CYCLE);
  for (const ref of fresh) {
    const id = `${mailbox}:${ref.providerMessageId}`;
    result.looked++;
    const fetched = await provider.getMessage(ref.providerMessageId);
    const message = await parseInbound(fetched.raw);
    const from = message.from?.address?.toLowerCase();
    let kind: Classification['kind'] = 'other';
    let contactId: string | undefined;
    if (from !== mailbox.toLowerCase()) {
      // Whose message this is: the sender when they are one of the thread's enrolled contacts (several people
      // can be enrolled from one thread; one's reply must not stop another's sequence); otherwise everyone
      // enrolled in the thread (an assistant or a colleague answering there means the conversation is live:
      // better to stop than to send after a reply; see forOthersInThread), and the sender too when they are a
      // known contact.
      const threadContacts = (
        await Promise.all(
          (await deps.db.enrollments.where('threadId').equals(ref.threadId).toArray())
            .filter(live)
            .map((e) => deps.db.contacts.get(e.contactId)),
        )
      ).filter((c): c is Contact => c !== undefined);
      const bySender = from ? await deps.db.contacts.where('email').equals(from).first() : undefined;
      const inThread = threadContacts.find((c) => c.email.toLowerCase() === from);
      const candidates = inThread
        ? [inThread]
        : [...new Map([...threadContacts, ...(bySender ? [bySender] : [])].map((c) => [c.id, c])).values()];
      const classification = classify(message, {
        contactEmail: candidates.length === 1 ? candidates[0]!.email : undefined,
        repAddresses: [mailbox],
      });
      kind = classification.kind;
      // A bounce names the address that failed, whichever thread it lands in.
      const recipient = classification.bounce?.recipient;
      const bounced =
        kind === 'bounce' && recipient
          ? await deps.db.contacts.where('email').equals(recipient).first()
          : undefined;
      const contacts = bounced ? [bounced] : candidates;
      for (const contact of contacts) {
        const own = bounced !== undefined || contact.email.toLowerCase() === from;
        const signal = own
          ? signalOf(classification, contact)
          : forOthersInThread(signalOf(classification, contact));
        if (!signal) continue;
        await applyContactSignal(deps, contact.email, signal, deps.clock.now());
        result.signals.push({ email: contact.email, kind });
      }
      contactId = contacts.length === 1 ? contacts[0]!.id : undefined;
    }
    await deps.db.inbound.put({
      id,
      mailbox,
      at: deps.clock.now(),
      kind,
      ...(contactId ? { contactId } : {}),
    });
  }
  // Advance the cursor only past what was handled; a capped cycle continues from the same point next time.
  if (fresh.length === changes.messages.length)
    await deps.db.meta.put({ key: cursorKey(mailbox), value: changes.cursor });
  return result;
}
