import { useRef, useState } from 'react';
import type { VariantRow } from '../../../lib/analytics/funnel';
import type { Contact } from '../../../lib/domain/contact';
import type { Rep } from '../../../lib/domain/rep';
import type { AutoEmailStep, ManualEmailStep } from '../../../lib/domain/sequence';
import { newId } from './draft';
import { EmailPreview } from './email-preview';
import { Field, errorProps, fieldId } from './fields';
import { RichTextEditor, type RichTextHandle } from './rich-text-editor';
import { s } from './strings';
import { TokenPicker } from './token-picker';
import { stepFieldKey } from './validation';

type EmailStep = AutoEmailStep | ManualEmailStep;
const letter = (i: number) => String.fromCharCode(65 + i);

/** Subject and body (or its A/B versions), the token picker, and the live preview of one email step. */
export function EmailFields({
  step,
  startsThread,
  threadSubject,
  errors,
  tokens,
  contact,
  rep,
  results,
  onChange,
}: {
  step: EmailStep;
  /** The first email, or one that does not reply in the thread: its subject is what the contact sees. */
  startsThread: boolean;
  threadSubject?: string;
  errors: (field: string) => string | undefined;
  tokens: readonly string[];
  contact: Contact;
  rep: Rep;
  results: readonly VariantRow[];
  onChange(step: EmailStep): void;
}) {
  const [version, setVersion] = useState(0);
  const [target, setTarget] = useState<'subject' | 'body'>('body');
  const subjectRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<RichTextHandle>(null);
  const variants = step.type === 'auto_email' ? step.variants : [];
  const v = Math.min(version, Math.max(0, variants.length - 1));
  const current = variants.length ? variants[v]! : { subject: step.subject, body: step.body };

  const setContent = (patch: { subject?: string; body?: string }) => {
    if (step.type === 'auto_email' && variants.length) {
      onChange({ ...step, variants: variants.map((x, i) => (i === v ? { ...x, ...patch } : x)) });
    } else onChange({ ...step, ...patch });
  };

  const insert = (text: string) => {
    if (target === 'body') {
      bodyRef.current?.insertText(text);
      return;
    }
    const input = subjectRef.current;
    const value = current.subject;
    const start = input?.selectionStart ?? value.length;
    const end = input?.selectionEnd ?? value.length;
    setContent({ subject: value.slice(0, start) + text + value.slice(end) });
    requestAnimationFrame(() => {
      input?.focus();
      input?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const startAb = () => {
    if (step.type !== 'auto_email') return;
    const a = { id: newId(), subject: step.subject, body: step.body };
    onChange({ ...step, variants: [a, { ...a, id: newId() }] });
    setVersion(1);
  };
  const addVariant = () => {
    if (step.type !== 'auto_email' || variants.length >= 3) return;
    onChange({ ...step, variants: [...variants, { ...current, id: newId() }] });
    setVersion(variants.length);
  };
  const removeVariant = (i: number) => {
    if (step.type !== 'auto_email') return;
    const rest = variants.filter((_, n) => n !== i);
    if (rest.length === 1)
      onChange({ ...step, subject: rest[0]!.subject, body: rest[0]!.body, variants: [] });
    else onChange({ ...step, variants: rest });
    setVersion(0);
  };

  const subjectKey = stepFieldKey(step.id, 'subject');
  const bodyKey = stepFieldKey(step.id, 'body');
  const subjectError = errors('subject');
  const bodyError = errors('body');
  const bodyLabelId = `${fieldId(bodyKey)}-label`;
  const resultOf = (i: number) => results.find((r) => r.variant === i);

  return (
    <div className="tl-seq-email">
      <div className="tl-seq-email__edit">
        {step.type === 'auto_email' && variants.length > 0 && (
          <div className="tl-seq-variants">
            <div role="group" aria-label={s.variants} className="tl-seq-variants__tabs">
              {variants.map((x, i) => (
                <button
                  key={x.id}
                  type="button"
                  aria-pressed={i === v}
                  className="tl-seq-variant-tab"
                  onClick={() => setVersion(i)}
                >
                  {s.variantTab(letter(i))}
                </button>
              ))}
              {variants.length < 3 && (
                <button type="button" onClick={addVariant}>
                  + {s.addVariant}
                </button>
              )}
            </div>
            <p className="tl-seq-hint">
              {s.variantHint}{' '}
              {(() => {
                const r = resultOf(v);
                return r ? s.variantResult(r.reached, r.replied, r.replyRate) : s.noResults;
              })()}
            </p>
          </div>
        )}
        <Field
          fieldKey={subjectKey}
          label={startsThread || variants.length ? s.subject : s.subjectThreaded}
          error={subjectError}
        >
          <input
            ref={subjectRef}
            {...errorProps(subjectKey, subjectError)}
            value={current.subject}
            onFocus={() => setTarget('subject')}
            onChange={(e) => setContent({ subject: e.target.value })}
          />
        </Field>
        <div className="tl-seq-field">
          <span id={bodyLabelId} className="tl-seq-label">
            {s.body}
          </span>
          <RichTextEditor
            key={`${step.id}-${v}`}
            id={fieldId(bodyKey)}
            value={current.body}
            labelledBy={bodyLabelId}
            describedBy={bodyError ? `${fieldId(bodyKey)}-error` : undefined}
            invalid={!!bodyError}
            handle={bodyRef}
            onFocus={() => setTarget('body')}
            onChange={(body) => setContent({ body })}
          />
          {bodyError && (
            <p id={`${fieldId(bodyKey)}-error`} className="tl-seq-field-error">
              {bodyError}
            </p>
          )}
        </div>
        <TokenPicker tokens={tokens} target={target === 'body' ? s.body : s.subject} onInsert={insert} />
        {step.type === 'auto_email' && variants.length > 1 && (
          <div className="tl-seq-row">
            {variants.map((x, i) => (
              <button key={x.id} type="button" className="tl-seq-danger" onClick={() => removeVariant(i)}>
                {s.removeVariant(letter(i))}
              </button>
            ))}
          </div>
        )}
        {step.type === 'auto_email' && variants.length === 0 && (
          <div className="tl-seq-row">
            <button type="button" onClick={startAb}>
              {s.startAb}
            </button>
          </div>
        )}
        {!startsThread && (
          <label className="tl-seq-check">
            <input
              type="checkbox"
              checked={step.threadWithPrevious}
              onChange={(e) => onChange({ ...step, threadWithPrevious: e.target.checked })}
            />
            {s.threadWithPrevious}
          </label>
        )}
      </div>
      <EmailPreview
        subject={current.subject}
        body={current.body}
        threadSubject={!startsThread && step.threadWithPrevious ? threadSubject : undefined}
        contact={contact}
        rep={rep}
      />
    </div>
  );
}
