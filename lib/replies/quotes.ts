// Where the quoted original starts in a reply. Each pattern is tried on one line, or on two lines joined
// because clients wrap long attribution lines ("On Mon, 2 Mar 2026 at 10:00, Jane Doe <jane@example.com>\nwrote:").
const ATTRIBUTION = [
  /^(?:on|am|le|el|em|op|il|den|w dniu)\b.{4,300}\b(?:wrote|schrieb|a écrit|escribió|escreveu|schreef|ha scritto|skrev|napisał)(?: ?:?| .{0,150}:)$/i,
  /^-{2,} ?(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|mensagem original|oorspronkelijk bericht|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|mensagem encaminhada|doorgestuurd bericht) ?-{2,}$/i,
  /^_{10,}$/,
];

// Outlook's header block: "From: …" followed within a few lines by "Sent: …" / "Date: …" (and translations).
const FROM_LINE = /^\s*\*?(?:from|von|de|van|da|od)\s*\*?\s*:/i;
const SENT_LINE =
  /^\s*\*?(?:sent|date|gesendet|datum|envoyé|date d'envoi|enviado|fecha|enviada|data|verzonden|verstuurd|inviato)\s*\*?\s*:/i;

/** Attribution and header lines are short; a longer line is never one (and is never run through the patterns). */
const MAX_MARKER_LINE = 600;

/** A line made ready for the marker patterns: trimmed, runs of whitespace as one space. */
function squeeze(line: string): string {
  return line.length > MAX_MARKER_LINE ? '' : line.trim().replace(/\s+/g, ' ');
}

/**
 * The text the sender wrote in this message: everything before the quoted original. Lines starting with ">"
 * are dropped wherever they are (inline replies), and everything after an attribution line or an Outlook
 * header block is cut off.
 */
export function newText(text: string): string {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = squeeze(lines[i] ?? '');
    const joined = `${line} ${squeeze(lines[i + 1] ?? '')}`;
    if (ATTRIBUTION.some((re) => re.test(line))) break;
    if (/^(?:on|am|le|el|em|op)\b/i.test(line) && ATTRIBUTION[0]?.test(joined)) break;
    if (FROM_LINE.test(line) && lines.slice(i + 1, i + 5).some((l) => SENT_LINE.test(squeeze(l)))) break;
    if ((lines[i] ?? '').trimStart().startsWith('>')) continue;
    kept.push(lines[i] ?? '');
  }
  return kept.join('\n').trim();
}
