/**
 * Every mailbox of one sandbox, the clock, tokens, and mail arriving: injected by tests or delivered
 * from one sandbox mailbox to another (so a demo rep can write to a demo contact).
 */
import { randomBytes } from 'node:crypto';
import { gmailLabelsOnArrival, graphFolderOnArrival } from './mail-rules';
import { composeMail, ensureHeaders, parseMail } from './mime';
import { gmailId, graphId, Mailbox, newStoredMessage, type ProviderKind, type StoredMessage } from './store';

export interface InjectJson {
  from: string;
  subject: string;
  text: string;
  html?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  date?: string;
}

export class World {
  readonly mailboxes = new Map<string, Mailbox>();

  constructor(readonly now: () => number) {}

  addMailbox(address: string, provider: ProviderKind): Mailbox {
    const key = address.toLowerCase();
    const existing = this.mailboxes.get(key);
    if (existing) return existing;
    const box = new Mailbox(key, provider);
    this.mailboxes.set(key, box);
    return box;
  }

  mailbox(address: string): Mailbox {
    const box = this.mailboxes.get(address.toLowerCase());
    if (!box) throw new Error(`No sandbox mailbox ${address}; add it with addMailbox first`);
    return box;
  }

  tokenFor(address: string): string {
    const box = this.mailbox(address);
    return `sbx-${box.provider}.${Buffer.from(box.address).toString('base64url')}`;
  }

  mailboxForToken(token: string | undefined): Mailbox | undefined {
    const m = /^sbx-(gmail|graph)\.([A-Za-z0-9_-]+)$/.exec(token ?? '');
    if (!m?.[2]) return undefined;
    const box = this.mailboxes.get(Buffer.from(m[2], 'base64url').toString('utf8'));
    return box && box.provider === m[1] ? box : undefined;
  }

  async inject(to: string, message: string | InjectJson): Promise<StoredMessage> {
    const box = this.mailbox(to);
    const now = this.now();
    let raw =
      typeof message === 'string'
        ? message
        : composeMail({
            from: message.from,
            to: [box.address],
            subject: message.subject,
            text: message.text,
            html: message.html,
            // The sender's domain, whether `from` is "a@b.example" or "Name <a@b.example>".
            messageId: `<${randomBytes(12).toString('hex')}@${/@([^\s<>@]+)/.exec(message.from)?.[1] ?? 'sandbox.example'}>`,
            date: message.date ? new Date(message.date) : new Date(now),
            inReplyTo: message.inReplyTo,
            references: message.references,
            headers: message.headers,
          });
    const parsed = await parseMail(raw);
    if (!parsed.messageId)
      raw = ensureHeaders(raw, { 'Message-ID': `<${randomBytes(12).toString('hex')}@sandbox.example>` });
    return box.provider === 'gmail' ? this.arriveGmail(box, raw, now) : this.arriveGraph(box, raw, now);
  }

  private async arriveGmail(box: Mailbox, raw: string, now: number): Promise<StoredMessage> {
    const id = gmailId();
    const msg = await newStoredMessage(
      raw,
      { id, threadId: id, labelIds: ['INBOX', 'UNREAD'], folder: 'inbox' },
      now,
    );
    // The rep's filters act as the message arrives: "skip the Inbox" leaves it without INBOX from the start.
    msg.labelIds = gmailLabelsOnArrival(box, msg.parsed, msg.labelIds);
    msg.threadId = box.threadNamedBy(msg.parsed) ?? id;
    box.add(msg);
    box.addHistory(msg);
    return msg;
  }

  private async arriveGraph(box: Mailbox, raw: string, now: number): Promise<StoredMessage> {
    const id = graphId('AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A');
    const msg = await newStoredMessage(
      raw,
      { id, threadId: '', labelIds: ['INBOX'], folder: 'inbox', sentAt: now },
      now,
    );
    // Inbox rules file it on arrival: it is created in the rule's folder, never in the Inbox.
    msg.folder = graphFolderOnArrival(box, msg.parsed);
    msg.threadId = box.threadNamedBy(msg.parsed) ?? graphId('AAQkAD');
    box.add(msg);
    box.touch(msg, now, true);
    return msg;
  }

  /** Hands a sent message to every other sandbox mailbox among its recipients. */
  async deliver(from: Mailbox, msg: StoredMessage): Promise<void> {
    const rcpts = new Set([...msg.parsed.to, ...msg.parsed.cc, ...msg.parsed.bcc]);
    for (const address of rcpts) {
      if (address !== from.address && this.mailboxes.has(address)) await this.inject(address, msg.raw);
    }
  }
}
