import { emailsIn, firstEmail } from './addresses';
import { fieldValue } from './header-block';
import type { BounceInfo, ClassifyContext, DsnRecipient, InboundMessage } from './types';

const DAEMON_ADDRESS =
  /^(?:mailer-daemon|mailer_daemon|mail-daemon|maildaemon|mdaemon|postmaster|microsoftexchange[0-9a-f]{8,})@/i;
const DAEMON_NAME =
  /mail delivery (?:system|subsystem|service)|mailer[- ]daemon|^postmaster$|mail administrator|^microsoft outlook$|^mail system$|^mailer$|mail delivery subsystem/i;

const BOUNCE_SUBJECT =
  /^(?:(?:fw|fwd|wg|tr|rv|enc):\s*)?(?:undeliver(?:able|ed)|returned mail|mail delivery (?:failed|failure|system|subsystem|problem|warning)|delivery (?:status notification|failure|failed|has failed|notification|report|problem|delayed)|failure notice|failed delivery|non[- ]?delivery|message (?:not delivered|delivery failure|could not be delivered|undeliverable|rejected)|could not send message|mail could not be delivered|unzustellbar|nicht zustellbar|non remis|non distribuable|échec de (?:la )?(?:remise|distribution)|no se puede entregar|imposible entregar|no entregado|não entregue|não foi possível entregar|falha na entrega|onbestelbaar|niet afgeleverd|kan niet worden bezorgd|delayed mail|warning: message .{1,60} delayed|warning: could not send message|returned mail)/i;
const SUCCESS_SUBJECT =
  /\((?:success|relay|delivered)\)|^(?:delivered|relayed|zugestellt|remis|entregado|entregue|bezorgd):/i;

const BOUNCE_BODY =
  /could not be delivered|couldn't be delivered|was not delivered|wasn't delivered|has not been delivered|undeliverable|delivery to the following recipients? failed|delivery (?:has )?failed|failed permanently|permanent (?:error|failure)|permanent fatal errors?|wasn't able to deliver|unable to deliver|not able to deliver|delivery has failed to these recipients|the following (?:address(?:\(es\)|es)?|recipients?) (?:failed|could not be reached)|address not found|returned to sender|remote server returned|this is the mail system at host|qmail-send program|mail delivery failed|could not deliver|cannot be delivered|user unknown|no such user|mailbox unavailable|recipient address rejected|delivery is delayed|has not yet been delivered|delivery incomplete|not listed in (?:the )?(?:public name & address book|domino directory)|konnte nicht zugestellt werden|nicht zugestellt|n'a pas pu être (?:remis|distribué|délivré)|no se (?:pudo|ha podido) entregar|não (?:pôde|foi possível) (?:ser )?entregue|kon niet worden (?:bezorgd|afgeleverd)/i;

// Where the returned original starts inside a non-standard bounce: nothing after it describes the failure.
const ORIGINAL_MARKER =
  /^.{0,10}(?:-{2,} ?(?:this is a copy of the message|below this line is a copy of the message|original message|returned message|forwarded message|the original message)|original message headers:|content-type: message\/rfc822|-{3,} ?(?:original|ursprüngliche|message d'origine|mensaje original))/im;

const DELAY_TEXT =
  /\bdelayed\b|not yet been delivered|still being retried|will (?:continue to )?(?:retry|try)|warning only|hasn't been delivered yet|delivery incomplete|will be retried|no action is required on your part/i;
const DELAY_SUBJECT =
  /^(?:delayed mail|warning: message .{1,60} delayed|delivery (?:status notification \(delay\)|delayed)|delivery delayed|mail delivery warning|warning: could not send message)/i;
const MAILBOX_FULL =
  /mailbox (?:is )?full|over ?quota|quota exceeded|exceeded (?:the |their |his |her )?(?:storage|quota|mailbox size)|insufficient (?:system )?storage|mailbox size limit|mailbox has exceeded|out of storage/i;
const HARD_TEXT =
  /user unknown|unknown user|no such (?:user|mailbox|recipient|address|person)|mailbox (?:is )?unavailable|mailbox not found|does not exist|doesn'?t exist|address not found|recipient not found|recipientnotfound|recipnotfound|invalid (?:recipient|mailbox|address)|unknown (?:recipient|address|mailbox)|not listed in (?:the )?(?:public name & address book|domino directory)|(?:couldn'?t|could not) be found|account (?:has been |is )?(?:disabled|inactive|closed|deleted)|no mailbox here|unrouteable address|failed permanently|permanent (?:error|failure)|permanent fatal|user not found|mailbox disabled|not a valid (?:recipient|mailbox)|address (?:is )?no longer (?:valid|active)/i;
const SOFT_TEXT = /temporar(?:y|ily)|try again later|greylist/i;
const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/;
const BASIC = /(?<![\d.])([45])(\d\d)(?=[ -])(?!-\d)/;

export type BounceResult =
  | { kind: 'bounce'; bounce: BounceInfo; signals: string[] }
  | { kind: 'delivery_report'; signals: string[] }
  | undefined;

function failureSection(text: string): string {
  const m = ORIGINAL_MARKER.exec(text);
  return (m ? text.slice(0, m.index) : text).slice(0, 20_000);
}

function severity(opts: { delayed: boolean; status?: string; text: string }): boolean {
  if (opts.delayed) return false;
  const cls = opts.status?.[0];
  if (opts.status?.endsWith('.2.2') || MAILBOX_FULL.test(opts.text)) return false;
  if (cls === '5') return true;
  if (cls === '4') return false;
  if (HARD_TEXT.test(opts.text)) return true;
  if (SOFT_TEXT.test(opts.text)) return false;
  const basic = BASIC.exec(opts.text)?.[1];
  if (basic) return basic === '5';
  return true;
}

function excluded(msg: InboundMessage, ctx: ClassifyContext): Set<string> {
  const out = new Set<string>([
    ...(ctx.repAddresses ?? []).map((a) => a.toLowerCase()),
    ...msg.to.map((a) => a.address),
    ...msg.cc.map((a) => a.address),
  ]);
  if (msg.from) out.add(msg.from.address);
  return out;
}

function pickRecipient(candidates: string[], msg: InboundMessage, ctx: ClassifyContext): string | undefined {
  const skip = excluded(msg, ctx);
  const usable = candidates.filter((a) => !skip.has(a) && !DAEMON_ADDRESS.test(a));
  const contact = ctx.contactEmail?.toLowerCase();
  if (contact && usable.includes(contact)) return contact;
  return usable[0];
}

function fromDsn(msg: InboundMessage, ctx: ClassifyContext): BounceResult {
  const recipients = msg.deliveryStatus?.recipients ?? [];
  const failed = recipients.filter(
    (r) => r.action === 'failed' || (!r.action && r.status && /^[45]/.test(r.status)),
  );
  const delayed = recipients.filter((r) => r.action === 'delayed');
  const chosenGroup = failed.length > 0 ? failed : delayed;
  if (chosenGroup.length === 0) {
    if (recipients.length > 0)
      return { kind: 'delivery_report', signals: ['dsn:' + recipients.map((r) => r.action).join(',')] };
    return undefined;
  }
  const contact = ctx.contactEmail?.toLowerCase();
  const addr = (r: DsnRecipient): string | undefined => r.finalRecipient ?? r.originalRecipient;
  const r: DsnRecipient =
    chosenGroup.find((x) => contact && (addr(x) === contact || x.originalRecipient === contact)) ??
    chosenGroup[0]!;
  const isDelayed = failed.length === 0;
  const status = r.status ?? ENHANCED.exec(r.diagnosticCode ?? '')?.[0];
  const detail = `${r.diagnosticCode ?? ''}\n${failureSection(msg.text)}`;
  const recipient =
    firstEmail(addr(r)) ??
    pickRecipient(emailsIn(fieldValue(msg.headers, 'x-failed-recipients') ?? ''), msg, ctx) ??
    firstEmail(fieldValue(msg.originalHeaders, 'to')) ??
    '';
  const bounce: BounceInfo = {
    recipient,
    permanent: severity({ delayed: isDelayed, ...(status ? { status } : {}), text: detail }),
    reason: 'undefined',
  };
  if (status) bounce.status = status;
  if (isDelayed) bounce.delayed = true;
  return {
    kind: 'bounce',
    bounce,
    signals: [`dsn:${r.action ?? 'no-action'}`, ...(status ? [`status:${status}`] : [])],
  };
}

/**
 * Recognises delivery failures: RFC 3464 reports first, then the plain-text formats of Exim, Postfix, qmail,
 * Sendmail, Exchange/Office 365, Gmail, Yahoo and Lotus Notes/Domino (by sender, subject and wording).
 */
export function detectBounce(msg: InboundMessage, ctx: ClassifyContext): BounceResult {
  if (msg.deliveryStatus) {
    const r = fromDsn(msg, ctx);
    if (r) return r;
  }
  const signals: string[] = [];
  const from = msg.from;
  const daemon = !!from && (DAEMON_ADDRESS.test(from.address) || DAEMON_NAME.test(from.name.trim()));
  if (daemon) signals.push('sender:daemon');
  const xFailed = emailsIn(fieldValue(msg.headers, 'x-failed-recipients') ?? '');
  if (xFailed.length > 0) signals.push('header:x-failed-recipients');
  if (SUCCESS_SUBJECT.test(msg.subject)) return undefined;
  const subject = BOUNCE_SUBJECT.test(msg.subject);
  if (subject) signals.push('subject:bounce');
  const section = failureSection(msg.text);
  const body = BOUNCE_BODY.test(section);
  if (body) signals.push('body:bounce');
  const reportDsn = msg.reportType === 'delivery-status';
  if (!(xFailed.length > 0 || reportDsn || (daemon && (subject || body)) || (subject && body)))
    return undefined;

  // Some servers write the DSN fields into the text itself.
  const inline = /^final-recipient:\s*(?:rfc822;)?\s*(\S+)/im.exec(section)?.[1];
  const delayed = DELAY_SUBJECT.test(msg.subject) || (!HARD_TEXT.test(section) && DELAY_TEXT.test(section));
  const status = ENHANCED.exec(section)?.[0];
  const recipient =
    pickRecipient(xFailed, msg, ctx) ??
    firstEmail(inline) ??
    pickRecipient(emailsIn(section), msg, ctx) ??
    firstEmail(fieldValue(msg.originalHeaders, 'to')) ??
    firstEmail(/^to:\s*(.+)$/im.exec(msg.text.slice(section.length))?.[1]) ??
    ctx.contactEmail?.toLowerCase() ??
    '';
  const bounce: BounceInfo = {
    recipient,
    permanent: severity({ delayed, ...(status ? { status } : {}), text: section }),
    reason: 'undefined',
  };
  if (status) bounce.status = status;
  if (delayed) bounce.delayed = true;
  if (delayed) signals.push('delayed');
  return { kind: 'bounce', bounce, signals };
}
