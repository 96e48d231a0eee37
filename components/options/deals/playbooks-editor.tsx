import { useEffect, useMemo, useState } from 'react';
import { describeZodError } from '@/lib/domain/common';
import { PlaybookSchema, type Playbook } from '@/lib/domain/playbook';
import type {
  AutomationsPort,
  PlaybooksPort,
  PlaybooksView,
  SequenceChoice,
} from '@/lib/options-ports/interfaces/deals';
import { clockAt } from '@/lib/process/clock';
import { issuesUnder, TextField } from './fields';
import { MyAutomations } from './my-automations';
import { flaggedByRule, valueProblems as valueProblemsOf, type Draft } from './playbook-draft';
import { PlaybookFacts } from './playbook-facts';
import { PlaybookRules } from './playbook-rules';
import { RULE_BUILDER_CSS } from './rule-builder-styles';
import { slug } from './slug';
import { StageEditor } from './stage-editor';
import { DEALS_CSS } from './styles';

interface Props {
  port: PlaybooksPort;
  /** The rep's own automation switches and their sequences; without it the switches are not shown. */
  automations?: AutomationsPort;
  now?: () => number;
  zone?: string;
}

/**
 * The Playbooks editor: a pipeline's gate, facts, stages (goal, exit criteria, recommended actions, cards,
 * automations) and process rules built with the visual rule builder (a JSON view per rule for the advanced),
 * with a live preview under each rule of which of the rep's open deals it flags now (lib/process evaluate over
 * the draft). Saving checks the whole playbook and names every bad field; only a manager or an admin saves the
 * team's playbooks. Every rep may turn automations off for their own deals here (kept on their device).
 */
export function PlaybooksEditor({ port, automations, now = Date.now, zone = 'UTC' }: Props) {
  const [view, setView] = useState<PlaybooksView>();
  const [selected, setSelected] = useState<string>();
  const [draft, setDraft] = useState<Draft>();
  const [whenText, setWhenText] = useState<Record<number, string>>({});
  const [asJson, setAsJson] = useState<Record<number, boolean>>({});
  const [turnedOff, setTurnedOff] = useState<string[]>([]);
  const [sequences, setSequences] = useState<SequenceChoice[]>([]);
  const [problem, setProblem] = useState<string>();
  const [status, setStatus] = useState('');

  useEffect(() => {
    port.load().then(setView, (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)));
  }, [port]);
  useEffect(() => {
    if (!automations) return;
    const fail = (e: unknown) => setProblem(e instanceof Error ? e.message : String(e));
    automations.turnedOff().then(setTurnedOff, fail);
    automations.sequences().then(setSequences, fail);
  }, [automations]);
  useEffect(() => {
    if (!view) return;
    const playbook = view.playbooks.find((p) => p.id === selected) ?? view.playbooks[0];
    if (playbook) setDraft(structuredClone(playbook));
    setWhenText({});
  }, [view, selected]);

  const parsed = useMemo(() => (draft ? PlaybookSchema.safeParse(draft) : undefined), [draft]);
  /** Values of the wrong type for their subject (a word where a number is due): named at the field, not saved. */
  const valueProblems = useMemo(() => (draft ? valueProblemsOf(draft) : []), [draft]);
  const preview = useMemo(
    () => (parsed?.success && view ? flaggedByRule(parsed.data, view, clockAt(now(), zone)) : undefined),
    [parsed, view, now, zone],
  );

  if (problem && !view)
    return (
      <p className="error" role="alert">
        {problem}
      </p>
    );
  if (!view || !draft)
    return (
      <p role="status" aria-busy="true">
        Loading playbooks…
      </p>
    );

  const update = (change: (d: Draft) => void) =>
    setDraft((d) => {
      if (!d) return d;
      const next = structuredClone(d);
      change(next);
      return next;
    });
  const facts = draft.facts ?? [];
  const rules = draft.rules ?? [];
  const issues = parsed && !parsed.success ? parsed.error.issues : [];
  const stageChoices = draft.stages.map((s) => ({ id: s.id, name: s.name }));
  const off = new Set(turnedOff);

  async function save() {
    if (valueProblems.length) {
      setProblem(valueProblems.join('\n'));
      return;
    }
    if (!parsed?.success) {
      setProblem(parsed ? describeZodError(parsed.error, 'playbook') : 'Nothing to save');
      return;
    }
    try {
      await port.save(parsed.data as Playbook);
      setProblem(undefined);
      setStatus(`Saved ${parsed.data.name}`);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <div className="tlp-editor">
      <style>{DEALS_CSS + RULE_BUILDER_CSS}</style>
      <h1>Playbooks</h1>
      {!view.canEdit && (
        <p className="tl-warning">Playbooks are your team’s: only a manager or an admin can change them.</p>
      )}
      <div className="row">
        <label>
          Pipeline’s playbook
          <select value={draft.id} onChange={(e) => setSelected(e.target.value)}>
            {view.playbooks.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {view.canEdit && (
          <button
            type="button"
            onClick={() => {
              // A new pipeline starts as a copy of the one shown, under new ids, to edit and save.
              const taken = view.playbooks.map((p) => p.pipelineId);
              const pipelineId = slug(`${draft.pipelineId} copy`, taken);
              const copy = {
                ...structuredClone(draft),
                id: `${pipelineId}-playbook`,
                pipelineId,
                name: `${draft.name} (copy)`,
              };
              setView({ ...view, playbooks: [...view.playbooks, copy as Playbook] });
              setSelected(copy.id);
            }}
          >
            New pipeline
          </button>
        )}
      </div>
      {automations && (
        <MyAutomations
          port={automations}
          turnedOff={turnedOff}
          setTurnedOff={setTurnedOff}
          automations={draft.stages.flatMap((s) =>
            (s.automations ?? []).map((a) => ({ stage: s.name, id: a.id, label: a.label })),
          )}
          onProblem={setProblem}
        />
      )}
      <fieldset disabled={!view.canEdit} style={{ border: 0, padding: 0, margin: 0 }}>
        <section aria-labelledby="tlp-general">
          <h2 id="tlp-general">Pipeline</h2>
          <div className="row">
            <TextField
              label="Name"
              value={draft.name}
              onText={(text) => update((d) => void (d.name = text))}
            />
            <label>
              When exit criteria are unmet
              <select
                value={draft.gate ?? 'warn'}
                onChange={(e) => update((d) => void (d.gate = e.target.value as 'warn' | 'require'))}
              >
                <option value="warn">Warn (allow, record a skip)</option>
                <option value="require">Require (refuse; a manager may override)</option>
              </select>
            </label>
          </div>
        </section>

        <PlaybookFacts draft={draft} update={update} />

        <section aria-labelledby="tlp-stages">
          <h2 id="tlp-stages">Stages</h2>
          {draft.stages.map((stage, si) => (
            <StageEditor
              key={si}
              stage={stage}
              update={(change) => update((d) => change(d.stages[si]!))}
              facts={facts}
              stages={stageChoices}
              rules={rules.map((r) => ({ id: r.id, name: r.name }))}
              sequences={sequences}
              turnedOff={off}
              issues={issuesUnder(issues, ['stages', si])}
            />
          ))}
          <button
            type="button"
            onClick={() =>
              update((d) => {
                const firstClosed = d.stages.findIndex((s) => s.kind === 'won' || s.kind === 'lost');
                const at = firstClosed < 0 ? d.stages.length : firstClosed;
                d.stages.splice(at, 0, {
                  id: slug(
                    'new stage',
                    d.stages.map((s) => s.id),
                  ),
                  name: 'New stage',
                });
              })
            }
          >
            Add a stage
          </button>
        </section>

        <PlaybookRules
          draft={draft}
          update={update}
          issues={issues}
          preview={preview}
          asJson={asJson}
          onToggleJson={(ri) => {
            setAsJson((j) => ({ ...j, [ri]: !(j[ri] ?? false) }));
            setWhenText((w) => {
              const { [ri]: _gone, ...rest } = w;
              void _gone;
              return rest;
            });
          }}
          whenText={whenText}
          onWhenText={(ri, text) => setWhenText((w) => ({ ...w, [ri]: text }))}
        />
      </fieldset>
      {((parsed && !parsed.success) || valueProblems.length > 0) && (
        <p className="error" data-testid="playbook-invalid">
          {[
            ...valueProblems,
            ...(parsed && !parsed.success ? [describeZodError(parsed.error, 'playbook')] : []),
          ].join('\n')}
        </p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="button" className="primary" disabled={!view.canEdit} onClick={() => void save()}>
          Save playbook
        </button>
        <span role="status">{status}</span>
      </div>
    </div>
  );
}
