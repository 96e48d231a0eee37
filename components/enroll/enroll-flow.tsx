import { useId, useMemo, useState } from 'react';
import type { Contact } from '../../lib/domain/contact';
import type { EmailEdit } from '../../lib/domain/enrollment';
import type { Rep } from '../../lib/domain/rep';
import { enroll, common } from '../strings';
import { fromLocalInput, snoozeOptions, toLocalInput } from '../time';
import {
  ContactDetails,
  draftOf,
  missingFields,
  timeZoneInvalid,
  type ContactDraft,
} from './contact-details';
import { EmailPreview } from './email-preview';
import {
  FIELD_OF_TOKEN,
  emailProblems,
  isEmail,
  templatesOf,
  type EditableField,
  type EmailProblem,
} from './email-problems';
import { SequencePicker, byRecent, type SequenceChoice } from './sequence-picker';

export type { SequenceChoice } from './sequence-picker';

export interface EnrollRequest {
  sequenceId: string;
  /** 0-based index of the first step to run. */
  startStep: number;
  /** Absent: start now. */
  startAt?: number;
  /** This enrollment's own copy of email steps, keyed by step id (tokens still in place). */
  edits: Record<string, EmailEdit>;
  /** The contacts with the details the rep filled in. */
  contacts: Contact[];
}

export interface EnrollFlowProps {
  sequences: SequenceChoice[];
  contacts: Contact[];
  rep: Rep;
  now: number;
  onSubmit(req: EnrollRequest): void;
  onCancel(): void;
}

const label = (c: Contact) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;

/** A draft applied to a contact: blanks stay absent, an unknown time zone is not saved. */
function applyDraft(c: Contact, d: ContactDraft): Contact {
  const out: Contact = { ...c };
  for (const field of ['firstName', 'lastName', 'company'] as const) {
    const value = d[field].trim();
    if (value) out[field] = value;
    else delete out[field];
  }
  const zone = d.timeZone.trim();
  if (zone && !timeZoneInvalid(zone)) out.timeZone = zone;
  else delete out.timeZone;
  return out;
}

/** Enroll one or more contacts of a thread: sequence, start, every email as they will get it, then go. */
export function EnrollFlow({ sequences, contacts, rep, now, onSubmit, onCancel }: EnrollFlowProps) {
  const titleId = useId();
  const statusId = useId();
  const [sequenceId, setSequenceId] = useState(() => [...sequences].sort(byRecent)[0]?.id);
  const [startStep, setStartStep] = useState(0);
  const [startMode, setStartMode] = useState<'now' | 'later'>('now');
  const [startAtInput, setStartAtInput] = useState(() =>
    toLocalInput(snoozeOptions(now, rep.timeZone).tomorrowMorning, rep.timeZone),
  );
  const [edits, setEdits] = useState<Record<string, EmailEdit>>({});
  const [editing, setEditing] = useState<ReadonlySet<string>>(new Set());
  const [drafts, setDrafts] = useState<ContactDraft[]>(() => contacts.map(draftOf));
  const [previewIndex, setPreviewIndex] = useState(0);

  const sequence = sequences.find((s) => s.id === sequenceId);
  const edited = useMemo(
    () => contacts.map((c, i) => applyDraft(c, drafts[i] ?? draftOf(c))),
    [contacts, drafts],
  );
  const steps = sequence?.steps ?? [];
  const problems = useMemo(
    () => emailProblems(steps, startStep, edits, edited, rep),
    [steps, startStep, edits, edited, rep],
  );
  const needed = new Set(
    problems.flatMap((p) =>
      p.kind === 'missing' && FIELD_OF_TOKEN[p.token] ? [FIELD_OF_TOKEN[p.token]!] : [],
    ),
  );

  const startAt = startMode === 'later' ? fromLocalInput(startAtInput, rep.timeZone) : undefined;
  const blockers: string[] = [];
  if (!sequence) blockers.push(enroll.chooseSequence);
  for (const p of problems) blockers.push(describe(p, contacts.length > 1));
  if (startMode === 'later' && startAt === undefined) blockers.push(enroll.chooseTime);
  else if (startAt !== undefined && startAt < now) blockers.push(enroll.timeInPast);
  drafts.forEach((d, i) => {
    if (timeZoneInvalid(d.timeZone))
      blockers.push(`${label(contacts[i]!)}: ${enroll.timeZoneInvalid(d.timeZone)}`);
  });

  const emailSteps = steps
    .map((step, index) => ({ step, index }))
    .filter(({ step, index }) => index >= startStep && isEmail(step));
  const previewContact = edited[previewIndex] ?? edited[0];
  // The first email sent opens the thread; follow-ups that thread with it show its subject as "Re: …".
  const first = emailSteps[0];
  const firstSubject =
    first && isEmail(first.step) ? templatesOf(first.step, edits[first.step.id])[0]!.subject : undefined;

  const selectSequence = (id: string) => {
    setSequenceId(id);
    setStartStep(0);
    setEdits({});
    setEditing(new Set());
  };

  const submit = () => {
    if (!sequence || blockers.length) return;
    const kept = Object.fromEntries(
      Object.entries(edits).filter(([id]) => steps.findIndex((s) => s.id === id) >= startStep),
    );
    onSubmit({
      sequenceId: sequence.id,
      startStep,
      ...(startAt !== undefined ? { startAt } : {}),
      edits: kept,
      contacts: edited,
    });
  };

  return (
    <section className="tl-root tl-stack" aria-labelledby={titleId}>
      <div className="tl-spread">
        <h2 id={titleId}>{enroll.title(contacts.length, contacts[0] && label(contacts[0]))}</h2>
      </div>
      {contacts.length > 1 && <p className="tl-muted tl-small">{contacts.map(label).join(', ')}</p>}

      <SequencePicker
        sequences={sequences}
        selectedId={sequenceId}
        onSelect={selectSequence}
        now={now}
        timeZone={rep.timeZone}
      />

      {sequence && (
        <div className="tl-stack tl-section">
          <label className="tl-label">
            {enroll.startStep}
            <select
              className="tl-select"
              value={startStep}
              onChange={(e) => setStartStep(Number(e.target.value))}
            >
              {steps.map((step, i) => (
                <option key={step.id} value={i}>
                  {enroll.stepOption(i, step.type, isEmail(step) ? step.subject : step.title)}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="tl-fieldset">
            <legend>{enroll.start}</legend>
            <div className="tl-row">
              <label className="tl-check">
                <input
                  type="radio"
                  name={`${titleId}-start`}
                  checked={startMode === 'now'}
                  onChange={() => setStartMode('now')}
                />
                {enroll.startNow}
              </label>
              <label className="tl-check">
                <input
                  type="radio"
                  name={`${titleId}-start`}
                  checked={startMode === 'later'}
                  onChange={() => setStartMode('later')}
                />
                {enroll.startLater}
              </label>
            </div>
            {startMode === 'later' && (
              <label className="tl-label tl-section">
                {enroll.startAt(rep.timeZone)}
                <input
                  type="datetime-local"
                  className="tl-input"
                  value={startAtInput}
                  onChange={(e) => setStartAtInput(e.target.value)}
                />
              </label>
            )}
          </fieldset>
        </div>
      )}

      <ContactSection
        contacts={contacts}
        drafts={drafts}
        needed={needed}
        onChange={(i, field, value) =>
          setDrafts((prev) => prev.map((d, j) => (j === i ? { ...d, [field]: value } : d)))
        }
      />

      {sequence && previewContact && (
        <div className="tl-stack tl-section">
          <div className="tl-spread">
            <h3>{enroll.preview}</h3>
            {contacts.length > 1 && (
              <select
                className="tl-select"
                aria-label={enroll.previewContact}
                value={previewIndex}
                onChange={(e) => setPreviewIndex(Number(e.target.value))}
              >
                {contacts.map((c, i) => (
                  <option key={c.id} value={i}>
                    {label(edited[i] ?? c)}
                  </option>
                ))}
              </select>
            )}
          </div>
          {emailSteps.length === 0 && <p className="tl-muted">{enroll.noEmails}</p>}
          {emailSteps.map(({ step, index }, n) =>
            isEmail(step) ? (
              <EmailPreview
                key={step.id}
                step={step}
                stepIndex={index}
                contact={previewContact}
                rep={rep}
                edit={edits[step.id]}
                editing={editing.has(step.id)}
                threadSubject={n > 0 && step.threadWithPrevious ? firstSubject : undefined}
                onEdit={(edit) =>
                  setEdits((prev) => {
                    const next = { ...prev };
                    if (edit) next[step.id] = edit;
                    else delete next[step.id];
                    return next;
                  })
                }
                onEditing={(on) =>
                  setEditing((prev) => {
                    const next = new Set(prev);
                    if (on) next.add(step.id);
                    else next.delete(step.id);
                    return next;
                  })
                }
              />
            ) : null,
          )}
        </div>
      )}

      <div className="tl-footer tl-stack">
        <div id={statusId} role="status" aria-live="polite">
          {blockers.length > 0 ? (
            <div className="tl-alert tl-alert--danger">
              <p>{enroll.blocked(blockers.length)}</p>
              <ul>
                {blockers.map((b, i) => (
                  <li key={i}>{b}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="tl-small tl-ok">{enroll.ready}</p>
          )}
        </div>
        <div className="tl-row">
          <button
            type="button"
            className="tl-button tl-button--primary"
            disabled={blockers.length > 0}
            aria-describedby={statusId}
            onClick={submit}
          >
            {enroll.submit(contacts.length, sequence?.name)}
          </button>
          <button type="button" className="tl-button" onClick={onCancel}>
            {common.cancel}
          </button>
        </div>
      </div>
    </section>
  );
}

function describe(p: EmailProblem, many: boolean): string {
  switch (p.kind) {
    case 'unknown':
      return `${enroll.unknown(p.stepIndex, p.token)} ${enroll.fixUnknown(p.token)}`;
    case 'no_subject':
      return enroll.noSubject(p.stepIndex);
    case 'missing': {
      const field: EditableField | undefined = FIELD_OF_TOKEN[p.token];
      const fix = field ? enroll.fixWithField(enroll.field[field], p.token) : enroll.fixWithFallback(p.token);
      return `${enroll.missing(p.stepIndex, p.token, many ? label(p.contact) : undefined)} ${fix}`;
    }
  }
}

function ContactSection({
  contacts,
  drafts,
  needed,
  onChange,
}: {
  contacts: Contact[];
  drafts: ContactDraft[];
  needed: ReadonlySet<EditableField>;
  onChange(index: number, field: EditableField, value: string): void;
}) {
  const withGaps = contacts
    .map((c, i) => ({ c, i, fields: missingFields(c) }))
    .filter((x) => x.fields.length > 0);
  if (withGaps.length === 0) return null;
  return (
    <div className="tl-stack tl-section">
      <h3>{enroll.details}</h3>
      {withGaps.map(({ c, i, fields }) => (
        <ContactDetails
          key={c.id}
          contact={c}
          draft={drafts[i] ?? draftOf(c)}
          fields={fields}
          needed={needed}
          onChange={(field, value) => onChange(i, field, value)}
        />
      ))}
    </div>
  );
}
