/**
 * A deal step's text (a meeting proposal, a recap) as the message the host's compose opens with: the body as
 * HTML with every character escaped and each line kept, the subject as a reply's to the thread's.
 */
export function replyHtml(text: string): string {
  const escape = (line: string) => line.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return text
    .split(/\n{2,}/)
    .map((para) => `<p>${para.split('\n').map(escape).join('<br>')}</p>`)
    .join('');
}

/** "Re: <subject>", once: a subject that already starts with Re: is kept. */
export const replySubject = (subject: string) => (/^re:/i.test(subject.trim()) ? subject : `Re: ${subject}`);
