import { emailsIn, firstEmail } from './addresses';
import { bounceReason, isPermanent } from './bounce-reason';
import { lines } from './header-block';
import { fieldValue } from './header-block';
import { newText } from './quotes';
import type { BounceInfo, ClassifyContext, DsnRecipient, InboundMessage } from './types';

const DAEMON_ADDRESS =
  /^(?:mailer-daemon|mailer_daemon|mail-daemon|maildaemon|mdaemon|postmaster|bounces?|bounce-notification|mail-notification|microsoftexchange[0-9a-f]{8,}|nobody|noreply-dmarc-support|mailerdaemon)@/i;
const DAEMON_NAME =
  /mail delivery (?:system|subsystem|service)|mailer[- ]daemon|^postmaster$|mail administrator|^microsoft outlook$|^mail system$|^mailer$|mail delivery subsystem|^mail delivery$|^mdaemon$|^internet mail delivery$/i;

const BOUNCE_SUBJECT =
  /^(?:undeliver(?:able|ed)|returned mail|mail delivery (?:failed|failure|system|subsystem|problem|warning)|delivery (?:status notification|failure|failed|has failed|notification|report|problem|delayed|incomplete)|failure notice|failed delivery|non[- ]?delivery|message (?:not delivered|delivery failure|could not be delivered|undeliverable|rejected|delayed|blocked)|could not send message|mail could not be delivered|mail system error|returned to sender|unzustellbar|nicht zustellbar|(?:zustellung|übermittlung) (?:fehlgeschlagen|verzögert)|unzustellbare nachricht|non remis|non distribuable|échec de (?:la )?(?:remise|distribution)|no se puede entregar|imposible entregar|no entregado|não entregue|não foi possível entregar|falha na entrega|onbestelbaar|niet afgeleverd|kan niet worden bezorgd|delayed mail|warning: message .{1,60} delayed|warning: could not send message|undelivered mail returned to sender|mail delivery failed: returning message to sender|未配達|配信不能|配送エラー|メール配信|退信|系统退信)/i;
const SUCCESS_SUBJECT =
  /\((?:success|relay|relayed|delivered|expanded)\)|^(?:delivered|relayed|zugestellt|remis|entregado|entregue|bezorgd|delivery receipt|successful mail delivery report|successful delivery)\b/i;

const BOUNCE_BODY =
  /could not be delivered|couldn't be delivered|was not delivered|wasn't delivered|has not been delivered|undeliverable|delivery to the following recipients? (?:failed|has been delayed)|delivery (?:has )?failed|failed permanently|permanent (?:error|failure)|permanent fatal errors?|wasn't able to deliver|unable to deliver|not able to deliver|delivery has failed to these recipients|the following (?:address(?:\(es\)|es)?|recipients?) (?:failed|could not be reached|had permanent fatal errors)|address not found|returned to sender|remote server returned|this is the mail system at host|qmail-send program|mail delivery failed|could not deliver|cannot be delivered|user unknown|no such user|mailbox unavailable|recipient address rejected|delivery is delayed|has not yet been delivered|delivery incomplete|not listed in (?:the )?(?:public name & address book|domino directory)|message was not sent|did not reach (?:some or all of )?the intended recipients?|hat einige oder alle empfänger nicht erreicht|konnten? nicht erreicht werden|your message (?:wasn't|was not|couldn't be|could not be) (?:delivered|sent)|your message to .{1,120} (?:couldn't|could not|wasn't|was not) (?:be )?delivered|konnte nicht zugestellt werden|nicht zugestellt|nicht zustellbar|n'a pas pu être (?:remis|distribué|délivré)|no se (?:pudo|ha podido) entregar|não (?:pôde|foi possível) (?:ser )?entregue|kon niet worden (?:bezorgd|afgeleverd)|配信できませんでした|届きませんでした|送信できませんでした|宛先不明|无法送达|退信/i;

// Where the returned original starts inside a non-standard bounce: nothing after it describes the failure.
const ORIGINAL_MARKER =
  /^.{0,10}(?:-{2,} ?(?:this is a copy of the message|below this line is a copy of the message|original message|returned message|forwarded message|the original message|message header follows|original message headers)|original message headers:|content-type: message\/rfc822|-{3,} ?(?:original|ursprüngliche|message d'origine|mensaje original))/im;

const DELAY_TEXT =
  /\bdelayed\b|not yet been delivered|still being retried|will (?:continue to )?(?:retry|try)|warning only|hasn't been delivered yet|delivery incomplete|will be retried|no action is required on your part|verzögert|retrying/i;
const DELAY_SUBJECT =
  /^(?:delayed mail|warning: message .{1,60} delayed|delivery (?:status notification \(delay\)|delayed)|delivery delayed|mail delivery warning|warning: could not send message|message delayed|delivery incomplete|(?:zustellung|übermittlung) verzögert)/i;
/** A definite failure in the text: "delayed" elsewhere in it does not make the bounce a delay warning. */
const FINAL_TEXT =
  /permanent|user unknown|no such user|does not exist|doesn'?t exist|address not found|recipient not found|failed permanently|has been returned|giving up|retry timeout exceeded|gave up/i;
const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/;
const SMTP_CODE = /(?<![\d.])([245]\d\d)(?=[ -]|$)(?![-]\d)/m;

export type BounceResult =
  | { kind: 'bounce'; bounce: BounceInfo; signals: string[] }
  | { kind: 'delivery_report'; signals: string[] }
  | undefined;

/** Is the sender a mail system rather than a person (mailer-daemon, postmaster, an Exchange NDR account)? */
export function fromDaemon(msg: Pick<InboundMessage, 'from'>): boolean {
  const from = msg.from;
  return !!from && (DAEMON_ADDRESS.test(from.address) || DAEMON_NAME.test(from.name.trim()));
}

/** The part of a bounce's text that describes the failure: what comes before the returned original. */
function failureSection(text: string): string {
  const head = text.slice(0, 20_000);
  const m = ORIGINAL_MARKER.exec(head);
  return m ? head.slice(0, m.index) : head;
}

/** "smtp; 550 5.1.1 <x>: User unknown" -> one short line without the type prefix. */
function oneLine(diagnostic: string): string {
  const s = diagnostic
    .replace(/^\s*(?:smtp|x-unix|x-postfix|x-local|x-exchange|x-qmail)\s*;\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}

/** The line of a plain-text bounce that carries the server's answer (status, reply code or a known phrase). */
function diagnosticLine(section: string): string | undefined {
  const all = lines(section, 400);
  const i = all.findIndex((raw) => {
    const l = raw.trim();
    return (
      l.length < 1000 &&
      (ENHANCED.test(l) ||
        /^(?:remote server said|host .{1,200} said|<[^>]{1,300}>:)/i.test(l) ||
        /(?<![\d.])[45]\d\d[ -]/.test(l))
    );
  });
  if (i < 0) return undefined;
  // Wrapped answers go on in indented lines or repeat the reply code ("550-5.1.1 ...\n550-5.1.1 ...").
  const first = all[i] ?? '';
  const code = /(?<![\d.])([45]\d\d)[ -]/.exec(first)?.[1];
  const parts = [first.trim()];
  // "<jane@example.org>:" alone (qmail, Yahoo) is followed by the answer on the next lines.
  const opener = /^<[^>]{1,300}>:$/.test(first.trim());
  for (const next of all.slice(i + 1, i + 4)) {
    if (opener || /^[ \t]+\S/.test(next) || (code && next.trimStart().startsWith(code))) {
      if (next.trim() !== '') parts.push(next.trim());
    } else break;
  }
  return oneLine(parts.join(' '));
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

function describe(opts: {
  recipient: string;
  status?: string;
  diagnostic?: string;
  text: string;
  delayed: boolean;
}): BounceInfo {
  const diagnostic = opts.diagnostic ? oneLine(opts.diagnostic) : undefined;
  const status = opts.status ?? ENHANCED.exec(diagnostic ?? '')?.[0];
  const smtpCode = SMTP_CODE.exec(diagnostic ?? '')?.[1] ?? SMTP_CODE.exec(opts.text.slice(0, 4000))?.[1];
  const reason = bounceReason({
    ...(status ? { status } : {}),
    ...(smtpCode ? { smtpCode } : {}),
    text: `${diagnostic ?? ''}\n${opts.text}`,
  });
  const bounce: BounceInfo = {
    recipient: opts.recipient,
    permanent: isPermanent({
      reason,
      delayed: opts.delayed,
      ...(status ? { status } : {}),
      ...(smtpCode ? { smtpCode } : {}),
    }),
    reason,
  };
  if (status) bounce.status = status;
  if (smtpCode) bounce.smtpCode = smtpCode;
  if (diagnostic) bounce.diagnostic = diagnostic;
  if (opts.delayed) bounce.delayed = true;
  return bounce;
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
  const section = failureSection(msg.text);
  const recipient =
    firstEmail(addr(r)) ??
    pickRecipient(emailsIn(fieldValue(msg.headers, 'x-failed-recipients') ?? ''), msg, ctx) ??
    firstEmail(fieldValue(msg.originalHeaders, 'to')) ??
    '';
  const diagnostic = r.diagnosticCode ?? diagnosticLine(section);
  const bounce = describe({
    recipient,
    ...(r.status ? { status: r.status } : {}),
    ...(diagnostic ? { diagnostic } : {}),
    text: section,
    delayed: isDelayed,
  });
  return {
    kind: 'bounce',
    bounce,
    signals: [
      `dsn:${r.action ?? 'no-action'}`,
      ...(bounce.status ? [`status:${bounce.status}`] : []),
      `reason:${bounce.reason}`,
    ],
  };
}

/**
 * Recognises delivery failures: RFC 3464 reports first, then the plain-text formats of Exim, Postfix, qmail,
 * Sendmail, Exchange/Office 365, Gmail, Yahoo, Lotus Notes/Domino and others (by sender, subject and
 * wording). A person's message is only ever taken for a bounce when its own new text (not a quote or a
 * forwarded copy) reads like one and its subject does too.
 */
export function detectBounce(msg: InboundMessage, ctx: ClassifyContext): BounceResult {
  if (msg.deliveryStatus) {
    const r = fromDsn(msg, ctx);
    if (r) return r;
  }
  const signals: string[] = [];
  const daemon = fromDaemon(msg);
  if (daemon) signals.push('sender:daemon');
  const xFailed = emailsIn(fieldValue(msg.headers, 'x-failed-recipients') ?? '');
  if (xFailed.length > 0) signals.push('header:x-failed-recipients');
  if (SUCCESS_SUBJECT.test(msg.subject)) return daemon ? { kind: 'delivery_report', signals } : undefined;
  const subject = BOUNCE_SUBJECT.test(msg.subject);
  if (subject) signals.push('subject:bounce');
  const section = failureSection(msg.text);
  // From a person, only their own words count: a reply quoting a bounce is still a reply.
  const own = daemon || xFailed.length > 0 ? section : newText(section);
  const body = BOUNCE_BODY.test(own);
  if (body) signals.push('body:bounce');
  const reportDsn = msg.reportType === 'delivery-status';
  if (!(xFailed.length > 0 || reportDsn || (daemon && (subject || body)) || (subject && body)))
    return undefined;

  // Some servers write the DSN fields into the text itself.
  const inline = /^final-recipient:[ \t]*(?:rfc822;)?[ \t]*(\S+)/im.exec(section)?.[1];
  const inlineStatus = /^status:[ \t]*([245]\.\d{1,3}\.\d{1,3})/im.exec(section)?.[1];
  const inlineDiag = /^diagnostic-code:[ \t]*(.{1,600})$/im.exec(section)?.[1];
  const delayed =
    DELAY_SUBJECT.test(msg.subject) ||
    (!FINAL_TEXT.test(section) && DELAY_TEXT.test(section) && !inlineStatus?.startsWith('5'));
  const recipient =
    pickRecipient(xFailed, msg, ctx) ??
    firstEmail(inline) ??
    pickRecipient(emailsIn(section), msg, ctx) ??
    firstEmail(fieldValue(msg.originalHeaders, 'to')) ??
    firstEmail(
      /^to:[ \t]*(.{1,400})$/im.exec(msg.text.slice(section.length, section.length + 20_000))?.[1],
    ) ??
    ctx.contactEmail?.toLowerCase() ??
    '';
  const diagnostic = inlineDiag ?? diagnosticLine(section);
  const status = inlineStatus ?? ENHANCED.exec(diagnostic ?? '')?.[0] ?? ENHANCED.exec(section)?.[0];
  const bounce = describe({
    recipient,
    ...(status ? { status } : {}),
    ...(diagnostic ? { diagnostic } : {}),
    text: section,
    delayed,
  });
  if (delayed) signals.push('delayed');
  signals.push(`reason:${bounce.reason}`);
  return { kind: 'bounce', bounce, signals };
}
