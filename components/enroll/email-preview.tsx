import { sanitizeEmailHtml } from '@/lib/html-sanitiser/sanitize';
import { useId, useMemo } from 'react';
import type { Contact } from '../../lib/domain/contact';
import type { EmailEdit } from '../../lib/domain/enrollment';
import type { Rep } from '../../lib/domain/rep';
import { replySubject } from '../../lib/engine/content';
import { enroll } from '../strings';
import { markMissing, previewParts, splitMissing, templatesOf, type EmailStep } from './email-problems';

interface Props {
  step: EmailStep;
  stepIndex: number;
  contact: Contact;
  rep: Rep;
  edit: EmailEdit | undefined;
  editing: boolean;
  /** Subject template of the first email sent, when this step replies in its thread. */
  threadSubject?: string;
  onEdit(edit: EmailEdit | undefined): void;
  onEditing(editing: boolean): void;
}

/** One email step as this contact will receive it, with an editor for this enrollment's own copy. */
export function EmailPreview({
  step,
  stepIndex,
  contact,
  rep,
  edit,
  editing,
  threadSubject,
  onEdit,
  onEditing,
}: Props) {
  const headingId = useId();
  const template = templatesOf(step, edit)[0]!;
  const subjectSource = threadSubject ?? template.subject;
  const subject = useMemo(() => {
    const { text } = previewParts(subjectSource, contact, rep);
    return threadSubject !== undefined ? replySubject(text) : text;
  }, [subjectSource, threadSubject, contact, rep]);
  const body = useMemo(() => {
    const { text } = previewParts(template.body, contact, rep, { html: true });
    // Templates are sanitised when saved and token values are escaped; this guards the preview all the same.
    return markMissing(sanitizeEmailHtml(text));
  }, [template.body, contact, rep]);
  const variants = step.type === 'auto_email' && !edit ? step.variants.length : 0;

  return (
    <article className="tl-preview" aria-labelledby={headingId}>
      <div className="tl-preview__head tl-spread">
        <h3 id={headingId}>{enroll.previewStep(stepIndex, step.type)}</h3>
        <div className="tl-row">
          {edit && <span className="tl-badge tl-badge--active">{enroll.edited}</span>}
          <button
            type="button"
            className="tl-button tl-button--small"
            aria-expanded={editing}
            aria-label={editing ? enroll.doneStep(stepIndex) : enroll.editStep(stepIndex)}
            onClick={() => onEditing(!editing)}
          >
            {editing ? enroll.doneEditing : enroll.edit}
          </button>
        </div>
      </div>
      {variants > 1 && <p className="tl-small tl-muted tl-preview__subject">{enroll.variants(variants)}</p>}
      {editing && (
        <div className="tl-stack tl-preview__edit">
          {/* A reply's subject is its thread's: only an email that starts a conversation has one to edit. */}
          {threadSubject === undefined && (
            <label className="tl-label">
              {enroll.subject}
              <input
                className="tl-input tl-input--wide"
                value={edit?.subject ?? template.subject}
                onChange={(e) => onEdit({ subject: e.target.value, body: edit?.body ?? template.body })}
              />
            </label>
          )}
          <label className="tl-label">
            {enroll.body}
            <textarea
              className="tl-textarea"
              value={edit?.body ?? template.body}
              onChange={(e) => onEdit({ subject: edit?.subject ?? template.subject, body: e.target.value })}
            />
          </label>
          <div className="tl-row">
            <button
              type="button"
              className="tl-button tl-button--small"
              onClick={() => {
                onEdit(undefined);
                onEditing(false);
              }}
            >
              {enroll.resetEdit}
            </button>
          </div>
        </div>
      )}
      <div className="tl-preview__subject">
        <span className="tl-visually-hidden">{enroll.subject}: </span>
        {splitMissing(subject).map((part, i) =>
          part.missing ? (
            <mark key={i} className="tl-missing">
              {part.text}
            </mark>
          ) : (
            <span key={i}>{part.text}</span>
          ),
        )}
        {threadSubject !== undefined && (
          <span className="tl-small tl-muted tl-normal"> {enroll.inThread}</span>
        )}
      </div>
      <div
        className="tl-preview__body"
        data-testid={`preview-body-${stepIndex}`}
        dangerouslySetInnerHTML={{ __html: body }}
      />
    </article>
  );
}
