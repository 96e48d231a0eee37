import { useId, useMemo, useState } from 'react';
import type { Contact } from '../../lib/domain/contact';
import type { EmailEdit } from '../../lib/domain/enrollment';
import type { Rep } from '../../lib/domain/rep';
import { common, enroll } from '../strings';
import { fromLocalInput, snoozeOptions, toLocalInput } from '../time';
import { blockersOf } from './blockers';
import {
  ContactsSection,
  applyDraft,
  contactLabel,
  draftOf,
  type ContactDraft,
  type CrmFilledFields,
} from './contact-details';
import { EmailPreview } from './email-preview';
import { FIELD_OF_TOKEN, emailProblems, isEmail, templatesOf, type EditableField } from './email-problems';
import { SequencePicker, byRecent, type SequenceChoice } from './sequence-picker';
import { StartOptions, type StartMode } from './start-options';
import { enrollThread } from './strings';
import { sanitizeEmailHtml } from '@/lib/html-sanitiser/sanitize';

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
  /** The first email replies in the thread the flow was opened from (see `thread`). */
  replyInThread?: boolean;
}

export interface EnrollFlowProps {
  sequences: SequenceChoice[];
  contacts: Contact[];
  rep: Rep;
  now: number;
  /** The thread the rep enrolls from, when its first email can reply in it. */
  thread?: { subject: string };
  /** Details the CRM filled in, by contact id: shown editable and marked "from HubSpot"; the rep's edit wins. */
  fromCrm?: CrmFilledFields;
  onSubmit(req: EnrollRequest): void;
  onCancel(): void;
}

const toggled = <T,>(set: ReadonlySet<T>, item: T, on: boolean) => {
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
};

/** Enroll one or more contacts of a thread: sequence, start, every email as they will get it, then go. */
export function EnrollFlow({
  sequences,
  contacts,
  rep,
  now,
  thread,
  fromCrm,
  onSubmit,
  onCancel,
}: EnrollFlowProps) {
  const titleId = useId();
  const statusId = useId();
  const threadHintId = useId();
  const [replyInThread, setReplyInThread] = useState(true);
  const [chosenId, setChosenId] = useState<string>();
  const [startStep, setStartStep] = useState(0);
  const [startMode, setStartMode] = useState<StartMode>('now');
  const [startAtInput, setStartAtInput] = useState(() =>
    toLocalInput(snoozeOptions(now, rep.timeZone).tomorrowMorning, rep.timeZone),
  );
  const [edits, setEdits] = useState<Record<string, EmailEdit>>({});
  const [editing, setEditing] = useState<ReadonlySet<string>>(new Set());
  const [drafts, setDrafts] = useState<Record<string, ContactDraft>>({});
  const [previewId, setPreviewId] = useState<string>();

  // Sequences may arrive after the first render (a live query): until the rep picks, the most recent is chosen.
  const sequence = sequences.find((s) => s.id === chosenId) ?? [...sequences].sort(byRecent)[0];
  const steps = useMemo(() => sequence?.steps ?? [], [sequence]);
  const edited = useMemo(
    () => contacts.map((c) => applyDraft(c, drafts[c.id] ?? draftOf(c))),
    [contacts, drafts],
  );
  // Only an email that threads with what came before can reply in the opened thread.
  const firstEmailStep = steps.find((step, index) => index >= startStep && isEmail(step));
  const canReplyInThread =
    thread !== undefined && firstEmailStep !== undefined && isEmail(firstEmailStep)
      ? firstEmailStep.threadWithPrevious
      : false;
  const firstInThread = canReplyInThread && replyInThread;
  const problems = useMemo(
    () => emailProblems(steps, startStep, edits, edited, rep, { firstInThread }),
    [steps, startStep, edits, edited, rep, firstInThread],
  );
  const needed = new Set(
    problems.flatMap((p) =>
      p.kind === 'missing' && FIELD_OF_TOKEN[p.token] ? [FIELD_OF_TOKEN[p.token]!] : [],
    ),
  );
  const startAt = startMode === 'later' ? fromLocalInput(startAtInput, rep.timeZone) : undefined;
  const blockers = blockersOf({
    hasSequence: sequence !== undefined,
    problems,
    contacts,
    drafts,
    startLater: startMode === 'later',
    startAt,
    now,
  });

  const emailSteps = steps.flatMap((step, index) =>
    index >= startStep && isEmail(step) ? [{ step, index }] : [],
  );
  const previewContact = edited.find((c) => c.id === previewId) ?? edited[0];
  // The first email sent opens the thread; follow-ups that thread with it show its subject as "Re: …".
  const first = emailSteps[0];
  const threadSubject = firstInThread
    ? thread!.subject
    : first
      ? templatesOf(first.step, edits[first.step.id])[0]!.subject
      : undefined;

  const selectSequence = (id: string) => {
    setChosenId(id);
    setStartStep(0);
    setEdits({});
    setEditing(new Set());
  };
  const setField = (contactId: string, field: EditableField, value: string) =>
    setDrafts((prev) => {
      const contact = contacts.find((c) => c.id === contactId)!;
      return { ...prev, [contactId]: { ...(prev[contactId] ?? draftOf(contact)), [field]: value } };
    });
  const setEdit = (stepId: string, edit: EmailEdit | undefined) =>
    setEdits((prev) => {
      const next = { ...prev };
      if (edit) next[stepId] = edit;
      else delete next[stepId];
      return next;
    });
  const submit = () => {
    if (!sequence || blockers.length) return;
    // Edits of steps before the start step would never be used.
    // The rep's own HTML is sanitised like a template's before it is kept and sent.
    const kept = Object.fromEntries(
      Object.entries(edits)
        .filter(([id]) => steps.findIndex((s) => s.id === id) >= startStep)
        .map(([id, edit]) => [id, { ...edit, body: sanitizeEmailHtml(edit.body) }]),
    );
    onSubmit({
      sequenceId: sequence.id,
      startStep,
      ...(startAt !== undefined ? { startAt } : {}),
      edits: kept,
      contacts: edited,
      ...(firstInThread ? { replyInThread: true } : {}),
    });
  };

  return (
    <section className="tl-root tl-stack" aria-labelledby={titleId}>
      <h2 id={titleId}>{enroll.title(contacts.length, contacts[0] && contactLabel(contacts[0]))}</h2>
      {contacts.length > 1 && <p className="tl-muted tl-small">{contacts.map(contactLabel).join(', ')}</p>}

      <SequencePicker
        sequences={sequences}
        selectedId={sequence?.id}
        onSelect={selectSequence}
        now={now}
        timeZone={rep.timeZone}
      />
      {sequence && (
        <StartOptions
          steps={steps}
          startStep={startStep}
          onStartStep={setStartStep}
          mode={startMode}
          onMode={setStartMode}
          at={startAtInput}
          onAt={setStartAtInput}
          timeZone={rep.timeZone}
        />
      )}
      {canReplyInThread && (
        <div className="tl-stack tl-section">
          <label className="tl-check">
            <input
              type="checkbox"
              checked={replyInThread}
              aria-describedby={threadHintId}
              onChange={(e) => setReplyInThread(e.target.checked)}
            />
            {enrollThread.replyInThread}
          </label>
          <p className="tl-small tl-muted" id={threadHintId}>
            {enrollThread.replyInThreadHint(thread!.subject)}
          </p>
        </div>
      )}
      <ContactsSection
        contacts={contacts}
        drafts={drafts}
        needed={needed}
        {...(fromCrm ? { fromCrm } : {})}
        onChange={setField}
      />

      {sequence && previewContact && (
        <div className="tl-stack tl-section">
          <div className="tl-spread">
            <h3>{enroll.preview}</h3>
            {contacts.length > 1 && (
              <select
                className="tl-select"
                aria-label={enroll.previewContact}
                value={previewContact.id}
                onChange={(e) => setPreviewId(e.target.value)}
              >
                {edited.map((c) => (
                  <option key={c.id} value={c.id}>
                    {contactLabel(c)}
                  </option>
                ))}
              </select>
            )}
          </div>
          {emailSteps.length === 0 && <p className="tl-muted">{enroll.noEmails}</p>}
          {emailSteps.map(({ step, index }, n) => (
            <EmailPreview
              key={step.id}
              step={step}
              stepIndex={index}
              contact={previewContact}
              rep={rep}
              edit={edits[step.id]}
              editing={editing.has(step.id)}
              threadSubject={(n > 0 || firstInThread) && step.threadWithPrevious ? threadSubject : undefined}
              onEdit={(edit) => setEdit(step.id, edit)}
              onEditing={(on) => setEditing((prev) => toggled(prev, step.id, on))}
            />
          ))}
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
