import { fieldValue } from './header-block';
import type { InboundMessage } from './types';

// Subjects auto-responders put in front of (or instead of) the original subject.
const AUTO_SUBJECT =
  /^(?:re:\s*)?(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response|answer)|autoreply|auto|out of (?:the )?office|ooo|abwesenheitsnotiz|abwesenheit|automatische antwort|réponse automatique|reponse automatique|absence|respuesta automática|respuesta automatica|fuera de la oficina|resposta automática|resposta automatica|ausência|ausente|afwezig|automatisch antwoord|afwezigheidsbericht|buiten kantoor|vacation|on vacation|on leave|away from (?:the |my )?office|urlaub)\b\s*(?::|-|–|\(|\[|$)/i;
// Subjects that by themselves say "away".
const OOO_SUBJECT =
  /\b(?:out of (?:the )?office|ooo|abwesenheitsnotiz|abwesend|abwesenheit|au bureau|absent|absence|en congés?|fuera de la oficina|ausente|fora do escritório|ausência|férias|afwezig|buiten kantoor|vakantie|vacation|on leave|urlaub)\b/i;

// Content saying the author is away. Folded (accent-free) text is matched, hence "buro", "conges", "ferias".
const AWAY = [
  // English
  /\bout of (?:the |my )?office\b/,
  /\b(?:i am|i'm|i will be|i'll be|i shall be|currently|will be) (?:currently |now )?(?:out|away|travell?ing|on (?:annual |parental |maternity |paternity |sick |medical |study |business )?(?:leave|vacation|holidays?|pto|a business trip|sabbatical))\b/,
  /\bon (?:annual|parental|maternity|paternity|sick|medical) leave\b/,
  /\b(?:on|from) (?:vacation|holiday|holidays|pto|leave)\b/,
  /\baway from (?:the|my) (?:office|desk|email)\b/,
  /\b(?:limited|no|restricted|intermittent) access to (?:my )?e-?mails?\b/,
  /\b(?:will|i'll) (?:be back|return)\b.{0,40}\b(?:office|on|at|in)\b/,
  /\bback in the office\b/,
  /\bupon my return\b/,
  /\bout of office\b/,
  // German
  /\b(?:abwesend|abwesenheit|nicht im (?:buro|hause|haus)|ausser haus|im urlaub|urlaubsbedingt|in elternzeit|auf dienstreise|nicht erreichbar|wieder im buro|wieder erreichbar|keinen zugriff auf (?:meine )?e-?mails)\b/,
  // French
  /\b(?:absente?|en conges?|en vacances|hors du bureau|en deplacement|de retour (?:le|au bureau|a partir)|en conge (?:maternite|parental|maladie))\b/,
  // Spanish
  /\b(?:fuera de la oficina|de vacaciones|ausente|estare fuera|de baja|sin acceso al correo|regresare|volvere el|de permiso)\b/,
  // Portuguese
  /\b(?:fora do escritorio|de ferias|ausente|estarei fora|de licenca|em viagem|sem acesso ao (?:e-?mail|correio)|estarei de volta|retorno (?:no dia|em|a))\b/,
  // Dutch
  /\b(?:afwezig|buiten kantoor|met vakantie|op vakantie|niet op kantoor|niet aanwezig|met verlof|weer aanwezig|weer op kantoor|terug op)\b/,
];

// Other automatic answers (ticket systems, "message received", "no longer with the company"). `alone`: strong
// enough to call a message automatic without any header saying so.
const AUTO_CONTENT: { re: RegExp; alone: boolean }[] = [
  {
    re: /\bthis is an? (?:automated|automatic|auto-generated|auto generated) (?:reply|response|message|e-?mail|notification)\b/,
    alone: true,
  },
  { re: /\b(?:we|i) (?:have|'ve) received your (?:e-?mail|message|request|enquiry|inquiry)\b/, alone: false },
  {
    re: /\bthanks? (?:you )?for (?:contacting|reaching out to|your (?:e-?mail|message|enquiry|inquiry))\b.{0,200}\b(?:ticket|case|request|as soon as possible|within \d+|business (?:days|hours))\b/,
    alone: false,
  },
  { re: /\b(?:ticket|case|request) (?:number|no\.?|id|#) ?:? ?#?\w*\d/, alone: true },
  { re: /\bplease do not reply to this (?:e-?mail|message)\b/, alone: true },
  {
    re: /\b(?:is|am) no longer (?:with|employed|working|at)\b|\bhas left (?:the company|the organi[sz]ation)\b|\bno longer works? (?:for|at|with)\b/,
    alone: false,
  },
  { re: /\bthis (?:mailbox|e-?mail address|inbox) is no longer (?:monitored|in use|active)\b/, alone: true },
  {
    re: /\bautomatische (?:antwort|nachricht)\b|\bihre (?:nachricht|anfrage) ist (?:bei uns )?eingegangen\b|\bnicht mehr (?:im unternehmen|fur|bei)\b/,
    alone: false,
  },
  {
    re: /\breponse automatique\b|\bnous avons (?:bien )?recu votre (?:message|demande|e-?mail)\b|\bne fait plus partie\b/,
    alone: false,
  },
  {
    re: /\brespuesta automatica\b|\bhemos recibido su (?:mensaje|solicitud|correo)\b|\bya no (?:trabaja|forma parte)\b/,
    alone: false,
  },
  {
    re: /\bresposta automatica\b|\brecebemos (?:a )?sua (?:mensagem|solicitacao|e-?mail)\b|\bnao (?:trabalha|faz parte) mais\b/,
    alone: false,
  },
  {
    re: /\bautomatisch (?:antwoord|bericht)\b|\bwe hebben uw (?:bericht|aanvraag|e-?mail) ontvangen\b|\bniet meer werkzaam\b/,
    alone: false,
  },
];

export interface AutoSignals {
  /** Headers or subject mark the message as machine-sent. */
  auto: boolean;
  /** Only weak markers (Precedence bulk, Auto-Submitted: auto-generated): bulk mail looks the same. */
  weakOnly: boolean;
  /** Auto-Submitted: no, an explicit "a person sent this". */
  humanDeclared: boolean;
  oooSubject: boolean;
  signals: string[];
}

export function autoSignals(msg: InboundMessage): AutoSignals {
  const h = (n: string): string => (fieldValue(msg.headers, n) ?? '').toLowerCase().trim();
  const strong: string[] = [];
  const weak: string[] = [];
  const autoSubmitted = h('auto-submitted');
  if (autoSubmitted.startsWith('auto-replied')) strong.push('auto-submitted:auto-replied');
  else if (autoSubmitted.startsWith('auto-')) weak.push(`auto-submitted:${autoSubmitted}`);
  const humanDeclared = autoSubmitted === 'no';
  const yes = (v: string): boolean => v !== '' && !/^(?:no|false|0)$/.test(v);
  for (const n of ['x-autoreply', 'x-autorespond', 'x-autorespond-from', 'x-autoreply-from', 'x-vacation']) {
    if (yes(h(n))) strong.push(`header:${n}`);
  }
  if (h('x-autogenerated') === 'reply' || h('x-apple-action') === 'vacation')
    strong.push('header:autogenerated');
  if (h('x-ms-exchange-inbox-rules-loop')) strong.push('header:inbox-rules-loop');
  if (/autorespond|vacation|autoreply/.test(h('x-post-messageclass') + h('x-mailer')))
    strong.push('header:mailer');
  if (h('x-auto-response-suppress')) weak.push('header:x-auto-response-suppress');
  const precedence = h('precedence');
  if (precedence === 'auto_reply') strong.push('precedence:auto_reply');
  else if (/^(?:bulk|junk|list)$/.test(precedence)) weak.push(`precedence:${precedence}`);
  const subject = AUTO_SUBJECT.test(msg.subject);
  if (subject) strong.push('subject:auto');
  const oooSubject = OOO_SUBJECT.test(
    msg.subject.replace(/^(?:re|aw|antw|sv|vs|rif|r|tr|wg|fw|fwd):\s*/i, ''),
  );
  return {
    auto: humanDeclared ? subject : strong.length + weak.length > 0,
    weakOnly: strong.length === 0 && weak.length > 0,
    humanDeclared,
    oooSubject,
    signals: [...strong, ...weak],
  };
}

// Away wording no one uses in a normal reply, enough without any auto-reply header.
const AWAY_ALONE =
  /\bout of (?:the )?office\b|\bon (?:annual|parental|maternity|paternity) leave\b|\b(?:limited|no) access to (?:my )?e-?mails?\b|\bupon my return\b|\b(?:abwesend|abwesenheitsnotiz|nicht im buro|ausser haus)\b|\b(?:en conges?|hors du bureau|je suis absente?)\b|\b(?:fuera de la oficina|estoy de vacaciones)\b|\b(?:fora do escritorio|estou de ferias)\b|\b(?:afwezig|buiten kantoor|met vakantie)\b/;

export function saysAwayAlone(folded: string): boolean {
  return AWAY_ALONE.test(folded.slice(0, 1500));
}

/** Whether (folded) text says its author is away. */
export function saysAway(folded: string): boolean {
  const head = folded.slice(0, 3000);
  return AWAY.some((re) => re.test(head));
}

/** Whether (folded) text reads like a machine's answer; `alone` asks for wording no person would write. */
export function saysAutomatic(folded: string, alone: boolean): boolean {
  const head = folded.slice(0, 3000);
  return AUTO_CONTENT.some((c) => (c.alone || !alone) && c.re.test(head));
}
