import type { VariantRow } from '../../../lib/analytics/funnel';
import type { Contact } from '../../../lib/domain/contact';
import type { Rep } from '../../../lib/domain/rep';
import type { DelayUnit, Step } from '../../../lib/domain/sequence';
import { EmailFields } from './email-fields';
import { Field, errorProps } from './fields';
import { s, stepKinds } from './strings';
import { stepFieldKey } from './validation';

const UNITS: DelayUnit[] = ['minutes', 'hours', 'days', 'business_days'];

const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** One line for a collapsed step: the subject, or for a follow-up in the thread the start of its body. */
function summaryOf(step: Step, startsThread: boolean): string {
  if (step.type === 'auto_email' || step.type === 'manual_email') {
    const subject = step.type === 'auto_email' ? step.variants[0]?.subject || step.subject : step.subject;
    const body = step.type === 'auto_email' ? step.variants[0]?.body || step.body : step.body;
    if (startsThread || !step.threadWithPrevious) return subject || s.untitled;
    return s.inThread(textOf(body).slice(0, 80) || s.emptyEmail);
  }
  if (step.type === 'linkedin') return step.title || s.linkedinActions[step.action];
  return step.title || s.noTitle;
}

export interface StepCardProps {
  step: Step;
  index: number;
  count: number;
  expanded: boolean;
  startsThread: boolean;
  threadSubject?: string;
  problems: ReadonlyMap<string, string>;
  /** Problems of this step in any field, for the collapsed header. */
  problemCount: number;
  tokens: readonly string[];
  contact: Contact;
  rep: Rep;
  results: readonly VariantRow[];
  onToggle(): void;
  onChange(step: Step): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}

/**
 * One step of the builder. Collapsed it is one line (kind, delay, subject or title), so a 30-step sequence
 * stays light; only the expanded step mounts its editors.
 */
export function StepCard(props: StepCardProps) {
  const { step, index, count, expanded, problems, problemCount, onToggle, onChange, onMove, onRemove } =
    props;
  const n = index + 1;
  const error = (field: string) => problems.get(stepFieldKey(step.id, field));
  const delayKey = stepFieldKey(step.id, 'delay');
  const positionError = error('position');
  const panelId = `seq-step-panel-${step.id}`;
  const unit = s.units[step.delay.unit];

  return (
    <li
      className={`tl-seq-step${expanded ? ' tl-seq-step--open' : ''}`}
      data-testid="step"
      data-step-type={step.type}
    >
      <div className="tl-seq-step__head">
        <span className="tl-seq-step__num" aria-hidden="true">
          {n}
        </span>
        <button
          type="button"
          className="tl-seq-step__toggle"
          aria-expanded={expanded}
          aria-controls={panelId}
          id={`seq-step-${step.id}`}
          onClick={onToggle}
        >
          <span className="tl-seq-step__kind">{s.stepTitle(n, stepKinds[step.type])}</span>
          <span className="tl-seq-step__summary">
            {s.delaySummary(step.delay.value, unit, index === 0)} · {summaryOf(step, props.startsThread)}
          </span>
          {problemCount > 0 && <span className="tl-seq-badge tl-seq-badge--error">{problemCount} ⚠</span>}
        </button>
        <div className="tl-seq-step__actions">
          <button
            type="button"
            aria-label={s.moveUp(n)}
            title={s.moveUp(n)}
            disabled={index === 0}
            data-move={`${step.id}:up`}
            onClick={() => onMove(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            aria-label={s.moveDown(n)}
            title={s.moveDown(n)}
            disabled={index === count - 1}
            data-move={`${step.id}:down`}
            onClick={() => onMove(1)}
          >
            ↓
          </button>
          <button
            type="button"
            className="tl-seq-danger"
            aria-label={s.removeStep(n)}
            title={s.removeStep(n)}
            onClick={onRemove}
          >
            ✕
          </button>
        </div>
      </div>
      {positionError && <p className="tl-seq-field-error tl-seq-step__conflict">{positionError}</p>}
      {expanded && (
        <div className="tl-seq-step__body" id={panelId} role="region" aria-labelledby={`seq-step-${step.id}`}>
          <fieldset className="tl-seq-delay">
            <legend>{index === 0 ? s.delayFirst : s.delayNext}</legend>
            <Field fieldKey={delayKey} label={s.delayValue} error={error('delay')}>
              <input
                {...errorProps(delayKey, error('delay'))}
                type="number"
                min={0}
                max={365}
                step={1}
                value={Number.isNaN(step.delay.value) ? '' : step.delay.value}
                onChange={(e) =>
                  onChange({
                    ...step,
                    delay: { ...step.delay, value: e.target.value === '' ? NaN : Number(e.target.value) },
                  })
                }
              />
            </Field>
            <Field fieldKey={`${delayKey}-unit`} label={s.delayUnit}>
              <select
                {...errorProps(`${delayKey}-unit`, undefined)}
                value={step.delay.unit}
                onChange={(e) =>
                  onChange({ ...step, delay: { ...step.delay, unit: e.target.value as DelayUnit } })
                }
              >
                {UNITS.map((u) => (
                  <option key={u} value={u}>
                    {s.units[u]}
                  </option>
                ))}
              </select>
            </Field>
          </fieldset>
          <StepFields {...props} error={error} />
        </div>
      )}
    </li>
  );
}

function StepFields({
  step,
  startsThread,
  threadSubject,
  tokens,
  contact,
  rep,
  results,
  onChange,
  error,
}: StepCardProps & { error: (field: string) => string | undefined }) {
  const key = (field: string) => stepFieldKey(step.id, field);
  const email =
    step.type === 'auto_email' || step.type === 'manual_email' ? (
      <EmailFields
        step={step}
        startsThread={startsThread}
        threadSubject={threadSubject}
        errors={error}
        tokens={tokens}
        contact={contact}
        rep={rep}
        results={results}
        onChange={onChange}
      />
    ) : null;
  if (step.type === 'auto_email') return email;
  return (
    <>
      <div className="tl-seq-grid">
        <Field fieldKey={key('title')} label={s.taskTitle} error={error('title')}>
          <input
            {...errorProps(key('title'), error('title'))}
            value={step.title}
            onChange={(e) => onChange({ ...step, title: e.target.value })}
          />
        </Field>
        <Field fieldKey={key('priority')} label={s.priority}>
          <select
            {...errorProps(key('priority'), undefined)}
            value={step.priority}
            onChange={(e) => onChange({ ...step, priority: e.target.value as typeof step.priority })}
          >
            {(['low', 'medium', 'high'] as const).map((p) => (
              <option key={p} value={p}>
                {s.priorities[p]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field fieldKey={key('notes')} label={s.notes} error={error('notes')}>
        <textarea
          {...errorProps(key('notes'), error('notes'))}
          rows={2}
          value={step.notes}
          onChange={(e) => onChange({ ...step, notes: e.target.value })}
        />
      </Field>
      {step.type === 'call' && (
        <Field fieldKey={key('callScript')} label={s.callScript} error={error('callScript')}>
          <textarea
            {...errorProps(key('callScript'), error('callScript'))}
            rows={5}
            value={step.callScript}
            onChange={(e) => onChange({ ...step, callScript: e.target.value })}
          />
        </Field>
      )}
      {step.type === 'linkedin' && (
        <>
          <Field fieldKey={key('action')} label={s.linkedinAction}>
            <select
              {...errorProps(key('action'), undefined)}
              value={step.action}
              onChange={(e) => onChange({ ...step, action: e.target.value as typeof step.action })}
            >
              {(['connect', 'message', 'view_profile'] as const).map((a) => (
                <option key={a} value={a}>
                  {s.linkedinActions[a]}
                </option>
              ))}
            </select>
          </Field>
          {step.action !== 'view_profile' && (
            <Field fieldKey={key('message')} label={s.linkedinMessage} error={error('message')}>
              <textarea
                {...errorProps(key('message'), error('message'))}
                rows={3}
                value={step.message}
                onChange={(e) => onChange({ ...step, message: e.target.value })}
              />
            </Field>
          )}
        </>
      )}
      {email}
    </>
  );
}
