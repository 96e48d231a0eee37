import { fold } from './fold';
import { PERMANENT_REASONS, type BounceReason } from './types';

/**
 * Why a delivery failed, in the words of the Sisimai taxonomy (https://libsisimai.org/en/reason/), from what a
 * bounce says: the server's diagnostic text, the RFC 3463 enhanced status (class.subject.detail) and the SMTP
 * reply code. Our own rules, written from the public descriptions of each reason and RFC 3463/3464/5321/7505:
 *
 * 1. A few status codes say exactly what happened (e.g. X.1.6 moved, X.1.7/X.1.8 the sender, X.2.2 a full
 *    mailbox, X.7.25 no PTR, X.7.26 authentication): they win.
 * 2. Otherwise the diagnostic text, matched against the phrases servers use for each reason, most specific
 *    first (a blocklist named "Spamhaus" is `blocked`, not `spamdetected`; "unusual rate of unsolicited mail"
 *    is `speeding`). Many servers send one generic code for many causes (550, 554, 5.7.1, 5.0.0), so the
 *    words decide more often than the numbers.
 * 3. Then the status code by its subject and detail (RFC 3463 section 3), then the SMTP reply code
 *    (521/556 no mail accepted, 551 moved, 552 storage), then a 5xx refusal at RCPT TO (the recipient itself
 *    was refused: userunknown, as Sisimai does). Nothing said: 'undefined'.
 */
export function bounceReason(input: { status?: string; smtpCode?: string; text: string }): BounceReason {
  const status = input.status ?? '';
  const exact = EXACT_STATUS[status.slice(2)];
  if (exact) return exact;
  const text = input.text.slice(0, 8000);
  const lower = text.toLowerCase();
  const folded = fold(lower);
  for (const [reason, re] of TEXT_RULES) if (re.test(folded) || re.test(lower)) return reason;
  const bySubject = statusReason(status);
  if (bySubject) return bySubject;
  const code = input.smtpCode ?? /(?<![\d.])([245]\d\d)(?=[ -]|$)/.exec(text)?.[1];
  const byCode = code ? CODE_REASON[code] : undefined;
  if (byCode) return byCode;
  if ((code?.startsWith('5') || status.startsWith('5.')) && /rcpt to/.test(lower)) return 'userunknown';
  return 'undefined';
}

/**
 * The address cannot receive mail: the reason says so (unknown user or host, a moved mailbox, a domain that
 * accepts no mail) and the server did not call the failure transient (a 4.x.x status or a 4xx reply is the
 * server saying "maybe later"), and it is not a delay warning. A suspended account (`suspend`) is not
 * included: Sisimai describes it as an account suspended for non-payment, inactivity or other reasons, a state
 * of an existing mailbox that can be lifted, so the address is kept and the rep may try again later.
 */
export function isPermanent(b: {
  reason: BounceReason;
  status?: string;
  smtpCode?: string;
  delayed?: boolean;
}): boolean {
  if (b.delayed) return false;
  if (b.status?.startsWith('4.') || (!b.status && b.smtpCode?.startsWith('4'))) return false;
  return PERMANENT_REASONS.has(b.reason);
}

/** Status codes (subject.detail) precise enough to decide on their own. */
const EXACT_STATUS: Record<string, BounceReason> = {
  '1.6': 'hasmoved',
  '1.7': 'rejected',
  '1.8': 'rejected',
  '2.2': 'mailboxfull',
  '2.3': 'exceedlimit',
  '3.4': 'mesgtoobig',
  '4.7': 'expired',
  '7.20': 'authfailure',
  '7.21': 'authfailure',
  '7.22': 'authfailure',
  '7.23': 'authfailure',
  '7.24': 'authfailure',
  '7.25': 'requireptr',
  '7.26': 'authfailure',
};

// Matched against the lower-cased diagnostic, with and without accents (fold). Order matters: first wins.
const TEXT_RULES: [BounceReason, RegExp][] = [
  [
    'suppressed',
    /\bsuppress(?:ed|ion list)\b|marked as inactive|inactive recipient|previously (?:bounced|unsubscribed|marked as spam)|on (?:the|your|our) (?:suppression|do[- ]not[- ]send|bounce) list|(?:address|recipient) is (?:on the )?blacklisted by (?:the )?(?:sender|account)/,
  ],
  [
    'rejected',
    /sender (?:address |domain )?(?:rejected|refused|unknown|not found|blocked|denied)|sender verify failed|sender (?:address )?(?:does not exist|verification failed)|domain of sender address|unverifiable sender|from address (?:rejected|refused)|mail from (?:address )?(?:rejected|refused)/,
  ],
  [
    'hasmoved',
    /(?:mailbox|address|user|recipient) (?:has|had) moved|has been replaced by|no longer on (?:this )?server|moved permanently|user not local; please try/,
  ],
  [
    'mailboxfull',
    /mailbox (?:is )?full|mailbox (?:size limit|has exceeded|quota)|over ?quota|quota (?:exceeded|full)|exceeded (?:the |their |his |her |its )?(?:storage|quota|mailbox size)|exceeded storage allocation|(?:user|recipient|mailbox) (?:is )?over (?:the |their )?(?:quota|limit)|out of storage|not enough (?:storage|space)|postfach (?:des empfangers )?(?:ist )?voll|speicherplatz|boite (?:aux lettres )?(?:est )?pleine|buzon (?:esta )?lleno|caixa (?:postal )?cheia|容量|メールボックスがいっぱい|满/,
  ],
  [
    'suspend',
    /suspended|is disabled|(?:mailbox|account|user) (?:is )?(?:currently )?(?:disabled|deactivated|inactive|frozen|locked)|inactive (?:account|user|mailbox)|account (?:has been |is )?(?:disabled|deactivated|deleted|closed|terminated|discontinued)|temporarily inactive|no longer accepts mail|user is terminated|archived recipient/,
  ],
  [
    'notaccept',
    /does not accept (?:any )?mail|null ?mx|nullmx|mail receiving disabled|does not receive e-?mail|accepts no mail/,
  ],
  [
    'hostunknown',
    /host (?:or domain name )?not found|host unknown|unknown host|no such (?:domain|host)|domain (?:name )?(?:not found|does not exist|doesn'?t exist|unknown|is not valid)|unrouteable mail domain|name service error|nxdomain|dns error|mx (?:record )?(?:lookup failed|not found)|unknown domain|invalid domain|domain (?:could not|couldn'?t) be found|no mx record/,
  ],
  [
    'userunknown',
    /user unknown|unknown user|(?:user|mailbox|recipient|address|account) (?:not found|unknown|does not exist|doesn'?t exist|not exist|is unknown|not recognized)|no such (?:user|mailbox|recipient|address|person|account)|mailbox (?:is )?unavailable|mailbox not (?:found|available)|address not found|recipient ?not ?found|recipnotfound|invalid (?:recipient|mailbox|address|user)|unknown (?:recipient|address|mailbox|local part|alias)|not listed in (?:the )?(?:public name & address book|domino directory)|doesn'?t have an? [\w.-]+ account|does not have an? [\w.-]+ account|(?:email )?account that you tried to reach does not exist|unrouteable address|not a valid (?:recipient|mailbox|user)|bad (?:destination )?mailbox address|no mailbox here|unbekannt|existiert nicht|nicht vorhanden|utilisateur inconnu|adresse (?:introuvable|inconnue|invalide)|n'existe pas|usuario desconocido|destinatario desconocido|no existe|nao existe|usuario inexistente|onbekend|bestaat niet|存在しません|存在しない|宛先不明|不存在/,
  ],
  ['virusdetected', /virus|malware|infected|trojan/],
  [
    'authfailure',
    /\bspf\b|\bdkim\b|\bdmarc\b|sender is unauthenticated|not authenticated|authentication (?:checks? )?(?:failed|failure)|failed (?:the )?authentication|sender policy framework/,
  ],
  [
    'requireptr',
    /reverse (?:dns|hostname|lookup)|\bptr\b|\brdns\b|cannot find your hostname|no (?:reverse|ptr)/,
  ],
  [
    'toomanyconn',
    /too many (?:concurrent )?(?:smtp )?connections|connection (?:limit|rate limit)|too many sessions/,
  ],
  [
    'speeding',
    /unusual rate|rate limit|rate-limit|too many (?:messages|emails|mails|recipients this|requests)|sending rate|throttl|exceeded .{0,30}(?:per (?:hour|day|minute)|sending limit)|slow down/,
  ],
  [
    'norelaying',
    /relay(?:ing)? (?:access )?(?:denied|not permitted|prohibited|refused)|unable to relay|not permitted to relay|no relaying|we do not relay|relay not allowed/,
  ],
  [
    'blocked',
    /spamhaus|spamcop|barracuda|blocklist|blacklist|block list|black list|dnsbl|\brbl\b|blocked using|listed (?:at|in|on|by) |banned sending ip|(?:your|sender|client|sending) ip(?: address)?\b.{0,40}\b(?:blocked|rejected|listed|banned)|(?:ip|host) (?:address )?(?:has been |is |was )?(?:blocked|rejected|banned)|blocked - see|ipcheck\.|\bs3150\b|on our block list|client host (?:\[[^\]]{0,60}\] )?(?:blocked|rejected)|access denied/,
  ],
  ['badreputation', /reputation/],
  [
    'spamdetected',
    /\bspam\b|junk|unsolicited|bulk mail|classified as (?:spam|junk|bulk)|content (?:rejected|looks like)|message (?:looks|appears) (?:like|to be) spam|spam score/,
  ],
  [
    'failedstarttls',
    /starttls|tls (?:is )?required|encryption (?:is )?required|requires? (?:a )?secure connection|must issue a starttls/,
  ],
  [
    'mesgtoobig',
    /message (?:size )?(?:is )?too (?:big|large)|message size exceeds|size limit|message (?:length )?exceeds|too large/,
  ],
  [
    'expired',
    /retry timeout exceeded|retry time not reached|delivery time expired|message expired|message has been in the queue too long|too long in queue|giving up|could not be delivered (?:for|within) \d+ (?:days|hours)/,
  ],
  [
    'filtered',
    /filtered|rejected by (?:the )?recipient|recipient (?:has )?(?:blocked|rejected|refused)|(?:user|recipient)'?s? (?:filter|settings|rules)|blocked by (?:the )?recipient|does not want to receive/,
  ],
  [
    'policyviolation',
    /polic(?:y|ies)|not authori[sz]ed|restricted|prohibited|not (?:allowed|permitted)|resolver\.rst|notauthorized|authrequired/,
  ],
  [
    'notcompliantrfc',
    /rfc ?5322|rfc ?2822|not (?:rfc[- ]?)?compliant|multiple (?:from|date|subject|to|message-id) headers|duplicate header/,
  ],
  ['contenterror', /header (?:syntax|error|is invalid)|invalid header|malformed|8-?bit data|message content/],
  ['systemfull', /insufficient (?:system )?storage|system (?:is )?full|disk (?:is )?full|no space left/],
  ['mailererror', /mailer error|command died|pipe to|procmail|exit (?:code|status) \d|command output/],
  [
    'networkerror',
    /network (?:is )?unreachable|no route to host|connection (?:timed out|refused|reset)|timed out|routing loop|too many hops|hop count exceeded|mail loop|lookup failed/,
  ],
  [
    'systemerror',
    /system error|internal (?:server )?error|server error|configuration error|local error|temporary (?:local )?problem|service (?:not |un)available/,
  ],
  [
    'syntaxerror',
    /syntax error|command unrecognized|unrecognized command|bad sequence|command not implemented/,
  ],
];

/** RFC 3463 subject.detail (and later registrations) to a reason, for codes that EXACT_STATUS left open. */
function statusReason(status: string): BounceReason | undefined {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(status);
  if (!m) return undefined;
  const subject = m[2];
  const detail = Number(m[3]);
  switch (subject) {
    case '1':
      return detail === 1 || detail === 3
        ? 'userunknown'
        : detail === 2
          ? 'hostunknown'
          : detail === 10
            ? 'notaccept'
            : undefined;
    case '2':
      return detail === 1 ? 'suspend' : detail === 4 ? 'systemerror' : undefined;
    case '3':
      return detail === 1
        ? 'systemfull'
        : detail === 2
          ? 'notaccept'
          : detail === 0
            ? undefined
            : 'systemerror';
    case '4':
      return detail === 4 ? 'hostunknown' : detail === 5 ? 'toomanyconn' : 'networkerror';
    case '5':
      return detail === 3 ? 'exceedlimit' : 'syntaxerror';
    case '6':
      return 'contenterror';
    case '7':
      if (detail === 1) return 'rejected';
      if (detail === 2) return 'policyviolation';
      if (detail === 10 || detail === 11) return 'failedstarttls';
      if (detail === 13) return 'suspend';
      if (detail === 28) return 'speeding';
      return 'securityerror';
    default:
      return undefined;
  }
}

const CODE_REASON: Record<string, BounceReason> = {
  '521': 'notaccept',
  '556': 'notaccept',
  '551': 'hasmoved',
  '552': 'mailboxfull',
  '452': 'systemfull',
  '421': 'systemerror',
  '451': 'systemerror',
  '500': 'syntaxerror',
  '501': 'syntaxerror',
  '502': 'syntaxerror',
  '503': 'syntaxerror',
  '504': 'syntaxerror',
};
