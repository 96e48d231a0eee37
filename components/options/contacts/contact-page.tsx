import { useEffect, useState } from 'react';
import type { Contact } from '../../../lib/domain/contact';
import type { Enrollment } from '../../../lib/domain/enrollment';
import type { Sequence } from '../../../lib/domain/sequence';
import { attentionAction, attentionOf } from '../../../lib/options-ports/attention';
import { displayName } from '../../../lib/options-ports/contacts-index';
import { PAUSE_WORDS } from '../../../lib/options-ports/enrollment-words';
import type { ContactDetail, ContactsPort } from '../../../lib/options-ports/interfaces/contacts';

const FIELDS: { key: keyof Contact; label: string }[] = [
  { key: 'email', label: 'Email' },
  { key: 'firstName', label: 'First name' },
  { key: 'lastName', label: 'Last name' },
  { key: 'company', label: 'Company' },
  { key: 'domain', label: 'Company domain' },
  { key: 'title', label: 'Title' },
  { key: 'phone', label: 'Phone' },
  { key: 'linkedinUrl', label: 'LinkedIn URL' },
  { key: 'timeZone', label: 'Time zone' },
];

const when = (t: number | undefined, zone?: string) =>
  t === undefined
    ? ''
    : new Date(t).toLocaleString('en-GB', {
        dateStyle: 'medium',
        timeStyle: 'short',
        ...(zone ? { timeZone: zone } : {}),
      });

export function enrollmentStatus(e: Enrollment): string {
  switch (e.status) {
    case 'active':
      return e.waitingTaskId ? 'Active, waiting for a task' : 'Active';
    case 'paused': {
      const a = attentionOf(e);
      if (a) return `Needs attention: ${a.detail}`;
      const why = PAUSE_WORDS[e.pauseReason ?? 'manual'];
      return `Paused ${why}${e.pausedUntil ? ` until ${when(e.pausedUntil)}` : ''}`;
    }
    case 'finished':
      return 'Finished every step';
    case 'unenrolled':
      return `Ended: ${e.reason ?? 'manual'}${e.detail ? ` (${e.detail})` : ''}`;
  }
}

function EnrollmentCard({ enrollment: e, sequence }: { enrollment: Enrollment; sequence?: Sequence }) {
  const attention = attentionOf(e);
  return (
    <li className="tl-enrollment">
      <h3>
        {sequence ? (
          <a href={`#/sequences/${encodeURIComponent(sequence.id)}/enrollments`}>{sequence.name}</a>
        ) : (
          e.sequenceId
        )}
      </h3>
      <p className={attention ? 'tl-status-attention' : undefined}>{enrollmentStatus(e)}</p>
      {attention && <p className="hint">{attentionAction(attention)}</p>}
      {sequence && (
        <ol className="tl-steps">
          {sequence.steps.map((step, i) => (
            <li
              key={step.id}
              aria-current={
                i === e.stepIndex && (e.status === 'active' || e.status === 'paused') ? 'step' : undefined
              }
            >
              {`Step ${i + 1}: ${step.type === 'auto_email' ? `Email “${step.subject || '(same thread)'}”` : step.title || step.type}`}
              {' — '}
              {i < e.stepIndex
                ? 'done'
                : i === e.stepIndex && e.status !== 'finished' && e.status !== 'unenrolled'
                  ? `next${e.dueAt ? `, ${when(e.dueAt)}` : ''}`
                  : e.status === 'unenrolled' && i >= e.stepIndex
                    ? 'not reached'
                    : 'to come'}
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}

/** One contact: editable fields and custom fields, every enrollment with its steps, and their timeline. */
export function ContactPage({ port, id }: { port: ContactsPort; id: string }) {
  const [detail, setDetail] = useState<ContactDetail | null | undefined>();
  const [draft, setDraft] = useState<Contact | undefined>();
  const [newKey, setNewKey] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  useEffect(() => port.watchContact(id, setDetail), [port, id]);
  useEffect(() => {
    if (detail && (!draft || draft.id !== detail.contact.id)) setDraft(detail.contact);
  }, [detail, draft]);

  if (detail === undefined) return <p>Loading…</p>;
  if (detail === null || !draft)
    return (
      <section>
        <h1>No such contact</h1>
        <a href="#/contacts">Back to contacts</a>
      </section>
    );
  const set = (key: keyof Contact, value: string) => setDraft({ ...draft, [key]: value || undefined });
  const setCustom = (key: string, value: string) =>
    setDraft({ ...draft, custom: { ...draft.custom, [key]: value } });
  const save = async () => {
    const custom = Object.fromEntries(Object.entries(draft.custom).filter(([, v]) => v.trim() !== ''));
    const result = await port.saveContact({ ...draft, custom });
    setMessage(
      result.ok
        ? {
            ok: true,
            text: result.resumed
              ? `Saved. ${result.resumed} paused enrollment${result.resumed > 1 ? 's' : ''} resumed.`
              : 'Saved.',
          }
        : { ok: false, text: result.error },
    );
  };

  return (
    <div className="tl-contact">
      <p>
        <a href="#/contacts">← All contacts</a>
      </p>
      <h1>{displayName(detail.contact)}</h1>
      {detail.doNotContact && (
        <p className="tl-warning">{`On the do-not-contact list (${detail.doNotContact}).`}</p>
      )}
      <section aria-labelledby="fields-title">
        <h2 id="fields-title">Fields</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="tl-fields">
            {FIELDS.map((f) => (
              <label key={f.key}>
                {f.label}
                <input
                  value={(draft[f.key] as string | undefined) ?? ''}
                  onChange={(e) => set(f.key, e.currentTarget.value)}
                />
              </label>
            ))}
            {Object.entries(draft.custom).map(([k, v]) => (
              <label key={k}>
                {`custom.${k}`}
                <input value={v} onChange={(e) => setCustom(k, e.currentTarget.value)} />
              </label>
            ))}
          </div>
          <div className="row">
            <label>
              New custom field
              <input
                value={newKey}
                placeholder="industry"
                onChange={(e) => setNewKey(e.currentTarget.value.trim())}
              />
            </label>
            <button
              type="button"
              disabled={!/^[A-Za-z][\w-]*$/.test(newKey) || newKey in draft.custom}
              onClick={() => {
                setCustom(newKey, '');
                setNewKey('');
              }}
            >
              Add field
            </button>
            <button type="submit" className="primary">
              Save contact
            </button>
          </div>
          <p role="status" className={message && !message.ok ? 'error' : undefined}>
            {message?.text ?? ''}
          </p>
        </form>
      </section>
      <section aria-labelledby="enrollments-title">
        <h2 id="enrollments-title">Enrollments</h2>
        {detail.enrollments.length === 0 ? (
          <p className="hint">Never enrolled.</p>
        ) : (
          <ul className="tl-plain">
            {detail.enrollments.map((x) => (
              <EnrollmentCard key={x.enrollment.id} {...x} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        {detail.timeline.length === 0 ? (
          <p className="hint">Nothing has happened yet.</p>
        ) : (
          <ol className="tl-timeline" data-testid="timeline">
            {detail.timeline.map((t) => (
              <li key={t.id}>
                <time dateTime={new Date(t.at).toISOString()}>{when(t.at)}</time>
                <span>
                  <strong>{t.label}</strong>
                  {t.estimate ? ' (estimate)' : ''}
                  {t.detail ? `: ${t.detail}` : ''}
                  <span className="tl-muted">
                    {t.sequenceName ? ` · ${t.sequenceName}` : ''}
                    {t.stepNumber ? `, step ${t.stepNumber}` : ''}
                    {t.threadId ? ` · thread ${t.threadId}` : ''}
                  </span>
                </span>
              </li>
            ))}
          </ol>
        )}
        {detail.tasks.length > 0 && (
          <>
            <h3>Tasks</h3>
            <ul>
              {detail.tasks.map((t) => (
                <li
                  key={t.id}
                >{`${t.title || t.type}: ${t.status}${t.doneAt ? ` ${when(t.doneAt)}` : `, due ${when(t.dueAt)}`}`}</li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
