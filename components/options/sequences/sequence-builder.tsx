import { useEffect, useMemo, useRef, useState } from 'react';
import type { AbTestRow } from '../../../lib/analytics/funnel';
import type { Contact } from '../../../lib/domain/contact';
import type { Rep } from '../../../lib/domain/rep';
import { SequenceSchema, type Sequence, type Step } from '../../../lib/domain/sequence';
import { STEP_TYPES, type StepType } from '../../../lib/domain/step-types';
import { KNOWN_TOKENS } from '../../../lib/templates/render';
import { firstEmailIndex, moveStep, newStep, SAMPLE_CONTACT } from './draft';
import { Field, errorProps, fieldId } from './fields';
import type { EditImpact, SequencesPort } from '../../../lib/options-ports/interfaces/sequences';
import { SchedulePreview } from './schedule-preview';
import { SettingsFields } from './settings-fields';
import { StepCard } from './step-card';
import { s, stepKinds } from './strings';
import { validateDraft, type Problem } from './validation';

const NO_IMPACT: EditImpact = { touched: 0, conflicts: [] };

export interface BuilderProps {
  port: SequencesPort;
  initial: Sequence;
  isNew: boolean;
  rep: Rep;
  contacts: readonly Contact[];
  teamHolidays: readonly string[];
  now: number;
  onSaved(sequence: Sequence, wasNew: boolean): void;
  /** Opened right after creating it: say it was saved (the page reopens the builder under its new id). */
  justSaved?: boolean;
}

/** Where the summary's link for a problem takes the focus. */
function focusTarget(p: Problem): string {
  return p.key.endsWith('.position') ? `seq-step-${p.stepId}` : fieldId(p.key);
}

export function SequenceBuilder({
  port,
  initial,
  isNew,
  rep,
  contacts,
  teamHolidays,
  now,
  onSaved,
  justSaved = false,
}: BuilderProps) {
  const [draft, setDraft] = useState(initial);
  const [expanded, setExpanded] = useState<string | undefined>(isNew ? initial.steps[0]?.id : undefined);
  const [showProblems, setShowProblems] = useState(false);
  const [impact, setImpact] = useState<EditImpact>(NO_IMPACT);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | undefined>(
    justSaved ? { ok: true, text: s.saved } : undefined,
  );
  const [removed, setRemoved] = useState<{ step: Step; index: number } | undefined>();
  const [previewId, setPreviewId] = useState(SAMPLE_CONTACT.id);
  const [ab, setAb] = useState<AbTestRow[]>([]);
  const summaryRef = useRef<HTMLDivElement>(null);
  const focusAfter = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!isNew) void port.abResults(initial.id).then(setAb, () => setAb([]));
  }, [port, initial.id, isNew]);

  // How many live enrollments this edit touches, and what it would break, as the rep edits.
  useEffect(() => {
    if (isNew) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      port.impactOf(draft).then(
        (i) => !cancelled && setImpact(i),
        () => undefined,
      );
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [port, draft, isNew]);

  useEffect(() => {
    if (!focusAfter.current) return;
    document.querySelector<HTMLElement>(focusAfter.current)?.focus();
    focusAfter.current = undefined;
  });

  const problems = useMemo(() => validateDraft(draft, impact.conflicts), [draft, impact.conflicts]);
  const conflictProblems = problems.filter(
    (p) => p.key.endsWith('.position') || p.key.startsWith('removed.'),
  );
  const shown = showProblems ? problems : conflictProblems;
  const byKey = useMemo(() => new Map(shown.map((p) => [p.key, p.message])), [shown]);
  const valid = useMemo(() => {
    if (problems.length) return undefined;
    const parsed = SequenceSchema.safeParse({ ...draft, ownerId: draft.ownerId || rep.email });
    return parsed.success ? parsed.data : undefined;
  }, [draft, problems.length, rep.email]);

  const allContacts = useMemo(() => [SAMPLE_CONTACT, ...contacts], [contacts]);
  const contact = allContacts.find((c) => c.id === previewId) ?? SAMPLE_CONTACT;
  const tokens = useMemo(() => {
    const custom = new Set(allContacts.flatMap((c) => Object.keys(c.custom ?? {})));
    return [...KNOWN_TOKENS, ...[...custom].sort().map((k) => `custom.${k}`)];
  }, [allContacts]);
  const firstEmail = firstEmailIndex(draft.steps);
  const first = draft.steps[firstEmail];
  const threadSubject =
    first && 'subject' in first
      ? first.type === 'auto_email' && first.variants.length
        ? first.variants[0]!.subject
        : first.subject
      : undefined;

  const update = (patch: Partial<Sequence>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus(undefined);
  };
  const setSteps = (steps: Step[]) => update({ steps });
  const addStep = (type: StepType) => {
    const step = newStep(type, draft.steps.length === 0);
    setSteps([...draft.steps, step]);
    setExpanded(step.id);
    focusAfter.current = `#seq-step-${CSS.escape(step.id)}`;
  };
  const move = (index: number, by: -1 | 1) => {
    const step = draft.steps[index]!;
    setSteps(moveStep(draft.steps, index, by));
    // Keep the focus on the button that was pressed, or on its twin when it became disabled at an end.
    const to = index + by;
    const edge = to === 0 || to === draft.steps.length - 1;
    focusAfter.current = `[data-move="${CSS.escape(step.id)}:${edge ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down'}"]`;
  };
  const remove = (index: number) => {
    setRemoved({ step: draft.steps[index]!, index });
    setSteps(draft.steps.filter((_, i) => i !== index));
    focusAfter.current = '#seq-undo-remove';
  };
  const undoRemove = () => {
    if (!removed) return;
    const steps = [...draft.steps];
    steps.splice(Math.min(removed.index, steps.length), 0, removed.step);
    setSteps(steps);
    setRemoved(undefined);
    focusAfter.current = `#seq-step-${CSS.escape(removed.step.id)}`;
  };

  const save = async () => {
    setShowProblems(true);
    if (problems.length) {
      setStatus(undefined);
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setSaving(true);
    try {
      const result = await port.save(draft);
      if (result.ok) {
        setDraft(result.sequence);
        setStatus({ ok: true, text: s.saved });
        setRemoved(undefined);
        onSaved(result.sequence, isNew);
      } else if ('conflicts' in result) {
        setImpact((i) => ({ ...i, conflicts: result.conflicts }));
        requestAnimationFrame(() => summaryRef.current?.focus());
      } else {
        setStatus({ ok: false, text: s.saveFailed(result.issues.map((i) => i.message).join('; ')) });
      }
    } catch (error) {
      setStatus({ ok: false, text: s.saveFailed(error instanceof Error ? error.message : String(error)) });
    } finally {
      setSaving(false);
    }
  };

  const goTo = (p: Problem) => {
    if (p.stepId) setExpanded(p.stepId);
    focusAfter.current = `#${CSS.escape(focusTarget(p))}`;
    setShowProblems(true);
  };

  return (
    <div className="tl-seq-builder">
      <div className="tl-seq-bar">
        <a href="#/sequences">{s.allSequences}</a>
        <h1>{isNew ? s.builderNew : s.builderEdit}</h1>
        <span className="grow" />
        <label className="tl-seq-inline" htmlFor="seq-preview-as">
          {s.previewAs}
        </label>
        <select id="seq-preview-as" value={previewId} onChange={(e) => setPreviewId(e.target.value)}>
          {allContacts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.id === SAMPLE_CONTACT.id
                ? s.sampleContact
                : [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="primary"
          onClick={() => void save()} // save() shows its own failure in the status line
          disabled={saving}
          aria-describedby="seq-save-status"
        >
          {saving ? s.saving : s.save}
        </button>
      </div>
      <p id="seq-save-status" role="status" className={status?.ok === false ? 'error' : 'tl-seq-saved'}>
        {status?.text}
      </p>
      {impact.touched > 0 && (
        <p className="tl-seq-impact" data-testid="impact">
          {s.impact(impact.touched)}
        </p>
      )}
      {shown.length > 0 && (
        <div
          className="tl-seq-problems"
          role="alert"
          tabIndex={-1}
          ref={summaryRef}
          aria-labelledby="seq-problems-title"
        >
          <h2 id="seq-problems-title">{s.problems(shown.length)}</h2>
          <ul>
            {shown.map((p) => (
              <li key={p.key}>
                <a
                  href={`#${focusTarget(p)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    goTo(p);
                  }}
                >
                  {p.where}
                </a>
                : {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}

      <section>
        <Field fieldKey="name" label={s.name} error={byKey.get('name')}>
          <input
            {...errorProps('name', byKey.get('name'))}
            className="tl-seq-name"
            value={draft.name}
            placeholder={s.namePlaceholder}
            onChange={(e) => update({ name: e.target.value })}
          />
        </Field>
      </section>

      <h2 className="tl-seq-section-title">{s.steps}</h2>
      {removed && (
        <p className="tl-seq-undo">
          {s.removedStep(removed.index + 1, stepKinds[removed.step.type])}{' '}
          <button type="button" id="seq-undo-remove" onClick={undoRemove}>
            {s.undoRemove}
          </button>
        </p>
      )}
      <ol className="tl-seq-steps" aria-label={s.steps}>
        {draft.steps.map((step, index) => (
          <StepCard
            key={step.id}
            step={step}
            index={index}
            count={draft.steps.length}
            expanded={expanded === step.id}
            startsThread={index === firstEmail}
            threadSubject={threadSubject}
            problems={byKey}
            problemCount={shown.filter((p) => p.stepId === step.id).length}
            tokens={tokens}
            contact={contact}
            rep={rep}
            results={ab.find((r) => r.stepIndex === index)?.variants ?? []}
            onToggle={() => setExpanded(expanded === step.id ? undefined : step.id)}
            onChange={(next) => setSteps(draft.steps.map((x) => (x.id === step.id ? next : x)))}
            onMove={(by) => move(index, by)}
            onRemove={() => remove(index)}
          />
        ))}
      </ol>
      {byKey.get('steps') && <p className="tl-seq-field-error">{byKey.get('steps')}</p>}
      <div className="tl-seq-add" role="group" aria-label={s.addStep}>
        <span className="tl-seq-hint">{s.addStep}:</span>
        {STEP_TYPES.map((kind) => (
          // The name comes from the content ("Add: Call"), so it contains the visible "+ Call" words (axe's
          // label-content-name-mismatch, which an aria-label different from the visible text failed).
          <button key={kind} type="button" onClick={() => addStep(kind)}>
            <span className="tl-seq-sr">{s.addStepOf('')}</span>
            <span aria-hidden="true">+ </span>
            {stepKinds[kind]}
          </button>
        ))}
      </div>

      <SettingsFields
        settings={draft.settings}
        problems={byKey}
        onChange={(settings) => update({ settings })}
      />
      <SchedulePreview sequence={valid} contact={contact} rep={rep} teamHolidays={teamHolidays} now={now} />
    </div>
  );
}
