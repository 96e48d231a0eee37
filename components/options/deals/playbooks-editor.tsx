import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import { describeZodError } from '@/lib/domain/common';
import { FactType, Severity } from '@/lib/domain/deal';
import {
  PlaybookSchema,
  type ConditionGroup,
  type Playbook,
  type PlaybookInput,
  type RecommendedActionInput,
} from '@/lib/domain/playbook';
import type {
  AutomationsPort,
  PlaybooksPort,
  PlaybooksView,
  SequenceChoice,
} from '@/lib/options-ports/interfaces/deals';
import { ALL_AUTOMATIONS } from '@/lib/process/automations';
import { clockAt } from '@/lib/process/clock';
import { evaluate } from '@/lib/process/evaluate';
import { RuleBuilder } from './rule-builder';
import { groupProblems } from './rule-builder-model';
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

type Draft = PlaybookInput & { stages: NonNullable<PlaybookInput['stages']> };

/** JSON the builder can show: an AND/OR group with a list of conditions (anything else stays in the JSON view). */
const isGroupShape = (when: unknown): when is ConditionGroup =>
  typeof when === 'object' &&
  when !== null &&
  ((when as ConditionGroup).op === 'and' || (when as ConditionGroup).op === 'or') &&
  Array.isArray((when as ConditionGroup).conditions) &&
  (when as ConditionGroup).conditions.every((c) => typeof c === 'object' && c !== null);

/** The issues whose path starts with `prefix`, with the prefix taken off. */
const issuesUnder = (issues: readonly z.core.$ZodIssue[], prefix: (string | number)[]) =>
  issues
    .filter((i) => prefix.every((p, k) => i.path[k] === p))
    .map((i) => ({ ...i, path: i.path.slice(prefix.length) }));

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
  const [switchStatus, setSwitchStatus] = useState('');

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
  const valueProblems = useMemo(() => {
    if (!draft) return [];
    const facts = draft.facts ?? [];
    const out: string[] = [];
    (draft.rules ?? []).forEach((r) => {
      for (const [at, message] of groupProblems(r.when as ConditionGroup, facts))
        out.push(
          `rule "${r.name}", condition ${at
            .split('.')
            .map((i) => Number(i) + 1)
            .join('.')}: value: ${message}`,
        );
    });
    draft.stages.forEach((st) =>
      (st.exitCriteria ?? []).forEach((c) => {
        if (c.when === undefined || c.factKey) return;
        for (const [at, message] of groupProblems(c.when as ConditionGroup, facts))
          out.push(
            `stage "${st.name}", criterion "${c.label}", condition ${at
              .split('.')
              .map((i) => Number(i) + 1)
              .join('.')}: value: ${message}`,
          );
      }),
    );
    return out;
  }, [draft]);
  const preview = useMemo(() => {
    if (!parsed?.success || !view) return undefined;
    const clock = clockAt(now(), zone);
    const byRule = new Map<string, string[]>();
    for (const deal of view.deals) {
      if (deal.pipelineId !== parsed.data.pipelineId) continue;
      const activity = view.activities.get(deal.id) ?? { last: {}, activeSequences: 0, openTasks: 0 };
      for (const flag of evaluate(deal, activity, parsed.data, clock))
        byRule.set(flag.ruleId, [...(byRule.get(flag.ruleId) ?? []), deal.name]);
    }
    return byRule;
  }, [parsed, view, now, zone]);

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
  const allAutomations = draft.stages.flatMap((s) =>
    (s.automations ?? []).map((a) => ({ stage: s.name, id: a.id, label: a.label })),
  );
  const remedies = draft.stages.flatMap((s) =>
    (s.actions ?? []).map((a) => ({ key: `${s.id}/${a.id}`, stage: s.name, action: a })),
  );

  async function setOff(id: string, value: boolean) {
    if (!automations) return;
    const before = turnedOff;
    // Shown at once; what the device holds comes back from the write (and a failed write puts it back).
    setTurnedOff(value ? [...new Set([...before, id])] : before.filter((x) => x !== id));
    try {
      const next = await automations.setOff(id, value);
      setTurnedOff(next);
      setSwitchStatus(
        next.includes(ALL_AUTOMATIONS)
          ? 'Every automation is paused on your deals.'
          : next.length
            ? `${next.length} automation${next.length > 1 ? 's' : ''} turned off on your deals.`
            : 'Automations run on your deals.',
      );
    } catch (e) {
      setTurnedOff(before);
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }

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
        <section aria-labelledby="tlp-my-automations" className="tlp-item">
          <h2 id="tlp-my-automations">Automations on your deals</h2>
          <p className="hint">
            Yours alone, kept on this device: an automation turned off here does not act on the deals you own
            (each skipped run is still written to the deal’s history).
          </p>
          <label className="tlp-check">
            <input
              type="checkbox"
              checked={off.has(ALL_AUTOMATIONS)}
              onChange={(e) => void setOff(ALL_AUTOMATIONS, e.target.checked)}
            />
            Pause every automation on my deals
          </label>
          <ul className="tlp-switches">
            {allAutomations.map((a) => (
              <li key={`${a.stage}/${a.id}`}>
                <label className="tlp-check">
                  <input
                    type="checkbox"
                    disabled={off.has(ALL_AUTOMATIONS)}
                    checked={!off.has(ALL_AUTOMATIONS) && !off.has(a.id)}
                    onChange={(e) => void setOff(a.id, !e.target.checked)}
                  />
                  {a.stage}: {a.label}
                </label>
              </li>
            ))}
          </ul>
          <p role="status" data-testid="automations-state">
            {switchStatus ||
              (off.has(ALL_AUTOMATIONS)
                ? 'Every automation is paused on your deals.'
                : turnedOff.length
                  ? `${turnedOff.length} automation${turnedOff.length > 1 ? 's' : ''} turned off on your deals.`
                  : 'Automations run on your deals.')}
          </p>
        </section>
      )}
      <fieldset disabled={!view.canEdit} style={{ border: 0, padding: 0, margin: 0 }}>
        <section aria-labelledby="tlp-general">
          <h2 id="tlp-general">Pipeline</h2>
          <div className="row">
            <label>
              Name
              <input value={draft.name} onChange={(e) => update((d) => void (d.name = e.target.value))} />
            </label>
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

        <section aria-labelledby="tlp-facts">
          <h2 id="tlp-facts">Facts</h2>
          <p className="hint">
            What the playbook asks about every deal; exit criteria, cards and rules read them.
          </p>
          {facts.map((fact, i) => (
            <div className="row" key={i}>
              <label>
                Fact label
                <input
                  value={fact.label}
                  onChange={(e) => update((d) => void (d.facts![i]!.label = e.target.value))}
                />
              </label>
              <label>
                Key
                <input
                  value={fact.key}
                  onChange={(e) => update((d) => void (d.facts![i]!.key = e.target.value))}
                />
              </label>
              <label>
                Type
                <select
                  value={fact.type}
                  onChange={(e) => update((d) => void (d.facts![i]!.type = e.target.value as FactType))}
                >
                  {FactType.options.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </label>
              <button type="button" onClick={() => update((d) => void d.facts!.splice(i, 1))}>
                Remove fact {fact.label}
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() =>
              update((d) => {
                d.facts = [
                  ...(d.facts ?? []),
                  {
                    key: slug(
                      'new fact',
                      facts.map((f) => f.key),
                    ),
                    label: 'New fact',
                    type: 'yes_no',
                  },
                ];
              })
            }
          >
            Add a fact
          </button>
        </section>

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

        <section aria-labelledby="tlp-rules">
          <h2 id="tlp-rules">Process rules</h2>
          <p className="hint">Under each rule: which of your open deals it flags now, with this draft.</p>
          {rules.map((rule, ri) => {
            const flagged = preview?.get(rule.id) ?? [];
            return (
              <div className="tlp-item" key={ri} data-testid={`rule-${rule.id}`}>
                <div className="row">
                  <label className="grow">
                    Rule name
                    <input
                      value={rule.name}
                      onChange={(e) => update((d) => void (d.rules![ri]!.name = e.target.value))}
                    />
                  </label>
                  <label>
                    Severity
                    <select
                      value={rule.severity}
                      onChange={(e) =>
                        update((d) => void (d.rules![ri]!.severity = e.target.value as Severity))
                      }
                    >
                      {Severity.options.map((s) => (
                        <option key={s}>{s}</option>
                      ))}
                    </select>
                  </label>
                  <label style={{ flexDirection: 'row', alignItems: 'center' }}>
                    <input
                      type="checkbox"
                      style={{ minWidth: 0 }}
                      checked={rule.enabled ?? true}
                      onChange={(e) => update((d) => void (d.rules![ri]!.enabled = e.target.checked))}
                    />
                    Enabled
                  </label>
                </div>
                <label>
                  Message
                  <input
                    value={rule.message}
                    onChange={(e) => update((d) => void (d.rules![ri]!.message = e.target.value))}
                  />
                </label>
                <div className="row">
                  <label className="grow">
                    Remedy (the next step it asks for)
                    <select
                      value={
                        remedies.find(
                          (x) => rule.remedy && JSON.stringify(x.action) === JSON.stringify(rule.remedy),
                        )?.key ?? (rule.remedy ? 'current' : '')
                      }
                      onChange={(e) =>
                        update((d) => {
                          const picked = remedies.find((x) => x.key === e.target.value);
                          if (picked) d.rules![ri]!.remedy = structuredClone(picked.action);
                          else if (!e.target.value) delete d.rules![ri]!.remedy;
                        })
                      }
                    >
                      <option value="">(none: the stage’s next step)</option>
                      {rule.remedy &&
                        !remedies.some((x) => JSON.stringify(x.action) === JSON.stringify(rule.remedy)) && (
                          <option value="current">{(rule.remedy as RecommendedActionInput).label}</option>
                        )}
                      {remedies.map((x) => (
                        <option key={x.key} value={x.key}>
                          {x.stage}: {x.action.label}
                        </option>
                      ))}
                    </select>
                  </label>
                </div>
                <fieldset className="tlr-checks">
                  <legend>Applies in (none ticked: every open stage)</legend>
                  {draft.stages
                    .filter((st) => (st.kind ?? 'open') === 'open')
                    .map((st) => (
                      <label key={st.id}>
                        <input
                          type="checkbox"
                          checked={(rule.stageIds ?? []).includes(st.id)}
                          onChange={(e) =>
                            update((d) => {
                              const r = d.rules![ri]!;
                              const ids = new Set(r.stageIds ?? []);
                              if (e.target.checked) ids.add(st.id);
                              else ids.delete(st.id);
                              r.stageIds = d.stages.map((x) => x.id).filter((id) => ids.has(id));
                            })
                          }
                        />
                        {st.name}
                      </label>
                    ))}
                </fieldset>
                <div className="row">
                  <button
                    type="button"
                    aria-pressed={asJson[ri] ?? false}
                    onClick={() => {
                      setAsJson((j) => ({ ...j, [ri]: !(j[ri] ?? false) }));
                      setWhenText((w) => {
                        const { [ri]: _gone, ...rest } = w;
                        void _gone;
                        return rest;
                      });
                    }}
                  >
                    Edit {rule.name} as JSON
                  </button>
                </div>
                {!isGroupShape(rule.when) && (
                  <p className="error" data-testid="rule-json-only">
                    These conditions are not an AND/OR group of conditions: the builder shows them once the
                    JSON is one.
                  </p>
                )}
                {asJson[ri] || !isGroupShape(rule.when) ? (
                  <label>
                    Conditions (JSON)
                    <textarea
                      aria-label={`Conditions of ${rule.name}`}
                      value={whenText[ri] ?? JSON.stringify(rule.when, null, 1)}
                      onChange={(e) => {
                        const text = e.target.value;
                        setWhenText((w) => ({ ...w, [ri]: text }));
                        try {
                          const when = JSON.parse(text) as typeof rule.when;
                          update((d) => void (d.rules![ri]!.when = when));
                        } catch {
                          // Half-typed JSON: the draft keeps the last conditions that parsed.
                        }
                      }}
                    />
                  </label>
                ) : (
                  <RuleBuilder
                    group={rule.when as ConditionGroup}
                    label={`Conditions of ${rule.name}`}
                    facts={facts}
                    stages={stageChoices}
                    issues={issuesUnder(issues, ['rules', ri, 'when'])}
                    onChange={(g) => update((d) => void (d.rules![ri]!.when = g))}
                  />
                )}
                <p className="tlp-preview" role="status">
                  {!preview
                    ? 'Preview waits for a valid playbook.'
                    : flagged.length
                      ? `Flags ${flagged.length} of your deals: ${flagged.slice(0, 5).join(', ')}${flagged.length > 5 ? '…' : ''}`
                      : 'Flags none of your deals now.'}
                </p>
                <button type="button" onClick={() => update((d) => void d.rules!.splice(ri, 1))}>
                  Remove rule {rule.name}
                </button>
              </div>
            );
          })}
          <button
            type="button"
            onClick={() =>
              update((d) => {
                d.rules = [
                  ...rules,
                  {
                    id: slug(
                      'new rule',
                      rules.map((r) => r.id),
                    ),
                    name: 'New rule',
                    severity: 'warning',
                    message: 'Describe what is wrong',
                    when: { op: 'and', conditions: [{ type: 'field', field: 'close_date', op: 'empty' }] },
                  },
                ];
              })
            }
          >
            Add a rule
          </button>
        </section>
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
