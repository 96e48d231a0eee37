import { sanitizeEmailHtml } from '@/lib/html-sanitiser/sanitize';
import { useMemo } from 'react';
import type { Contact } from '../../../lib/domain/contact';
import type { Rep } from '../../../lib/domain/rep';
import { replySubject } from '../../../lib/engine/content';
import { renderTemplate, tokenValues } from '../../../lib/templates/render';
import { s } from './strings';

/** An email as the chosen contact would get it, tokens filled by lib/templates. */
export function EmailPreview({
  subject,
  body,
  threadSubject,
  contact,
  rep,
}: {
  subject: string;
  body: string;
  /** The first email's subject when this one replies in its thread. */
  threadSubject?: string;
  contact: Contact;
  rep: Rep;
}) {
  const values = useMemo(() => tokenValues(contact, rep), [contact, rep]);
  const shownSubject = renderTemplate(threadSubject ?? subject, values);
  const shownBody = renderTemplate(body, values, { html: true });
  const html = useMemo(() => sanitizeEmailHtml(shownBody.text), [shownBody.text]);
  const missing = [...new Set([...shownSubject.missing, ...shownBody.missing])];
  const subjectLine =
    threadSubject !== undefined ? replySubject(shownSubject.text || '…') : shownSubject.text || s.untitled;
  return (
    <section className="tl-seq-preview" aria-label={s.preview} data-testid="email-preview">
      <h4>{s.preview}</h4>
      <p className="tl-seq-preview__to">
        {[contact.firstName, contact.lastName].filter(Boolean).join(' ')} &lt;{contact.email}&gt;
      </p>
      <p className="tl-seq-preview__subject">
        <span className="tl-seq-hint">{s.previewSubject}: </span>
        {subjectLine}
      </p>
      <div className="tl-seq-preview__body" dangerouslySetInnerHTML={{ __html: html }} />
      {missing.map((m) => (
        <p key={m} className="error" role="status">
          {s.missingToken(m)}
        </p>
      ))}
    </section>
  );
}
