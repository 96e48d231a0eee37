import { useEffect, useMemo, useState } from 'react';
import { describeZodError } from '@/lib/domain/common';
import { FactType, Severity } from '@/lib/domain/deal';
import { PlaybookSchema, StageKind, type Playbook, type PlaybookInput } from '@/lib/domain/playbook';
import type { PlaybooksPort, PlaybooksView } from '@/lib/options-ports/interfaces/deals';
import { clockAt } from '@/lib/process/clock';
import { evaluate } from '@/lib/process/evaluate';
import { DEALS_CSS } from './styles';

interface Props {
  port: PlaybooksPort;
  now?: () => number;
  zone?: string;
}

type Draft = PlaybookInput & { stages: NonNullable<PlaybookInput['stages']> };
const slug = (text: string, taken: readonly string[]) => {
  const base =
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40) || 'item';
  let id = /^[a-z]/.test(base) ? base : `x_${base}`;
  for (let n = 2; taken.includes(id); n++) id = `${base}_${n}`;
  return id;
};

/**
 * The Playbooks editor: a pipeline's gate, facts, stages (goal, exit criteria, cards) and process rules, with
 * a live preview under each rule of which of the rep's open deals it flags now (lib/process evaluate over the
 * draft). Rule conditions are edited as their JSON (the shapes lib/domain/playbook.ts names). Saving checks
 * the whole playbook and names every bad field; only a manager or an admin saves the team's playbooks.
 */
export function PlaybooksEditor({ port, now = Date.now, zone = 'UTC' }: Props) {
  const [view, setView] = useState<PlaybooksView>();
  const [selected, setSelected] = useState<string>();
  const [draft, setDraft] = useState<Draft>();
  const [whenText, setWhenText] = useState<Record<number, string>>({});
  const [problem, setProblem] = useState<string>();
  const [status, setStatus] = useState('');

  useEffect(() => {
    port.load().then(setView, (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)));
  }, [port]);
  useEffect(() => {
    if (!view) return;
    const playbook = view.playbooks.find((p) => p.id === selected) ?? view.playbooks[0];
    if (playbook) setDraft(structuredClone(playbook));
    setWhenText({});
  }, [view, selected]);

  const parsed = useMemo(() => (draft ? PlaybookSchema.safeParse(draft) : undefined), [draft]);
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

  async function save() {
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
      <style>{DEALS_CSS}</style>
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
            <div className="tlp-item" key={si} data-testid={`stage-${stage.id}`}>
              <div className="row">
                <label>
                  Stage name
                  <input
                    value={stage.name}
                    onChange={(e) => update((d) => void (d.stages[si]!.name = e.target.value))}
                  />
                </label>
                <label>
                  Kind
                  <select
                    value={stage.kind ?? 'open'}
                    onChange={(e) => update((d) => void (d.stages[si]!.kind = e.target.value as StageKind))}
                  >
                    {StageKind.options.map((k) => (
                      <option key={k}>{k}</option>
                    ))}
                  </select>
                </label>
                <label className="grow">
                  Goal
                  <input
                    value={stage.goal ?? ''}
                    onChange={(e) => update((d) => void (d.stages[si]!.goal = e.target.value))}
                  />
                </label>
              </div>
              <h3>Exit criteria</h3>
              {(stage.exitCriteria ?? []).map((c, ci) => (
                <div className="row" key={ci}>
                  <label className="grow">
                    Criterion
                    <input
                      value={c.label}
                      onChange={(e) =>
                        update((d) => void (d.stages[si]!.exitCriteria![ci]!.label = e.target.value))
                      }
                    />
                  </label>
                  <label>
                    Fact that must hold
                    <select
                      value={c.factKey ?? ''}
                      onChange={(e) =>
                        update((d) => void (d.stages[si]!.exitCriteria![ci]!.factKey = e.target.value))
                      }
                    >
                      {!c.factKey && <option value="">(a condition)</option>}
                      {facts.map((f) => (
                        <option key={f.key} value={f.key}>
                          {f.label}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button
                    type="button"
                    onClick={() => update((d) => void d.stages[si]!.exitCriteria!.splice(ci, 1))}
                  >
                    Remove criterion {c.label}
                  </button>
                </div>
              ))}
              <button
                type="button"
                disabled={!facts.length}
                onClick={() =>
                  update((d) => {
                    const s = d.stages[si]!;
                    s.exitCriteria = [
                      ...(s.exitCriteria ?? []),
                      {
                        id: slug(
                          `${s.id} criterion`,
                          (s.exitCriteria ?? []).map((x) => x.id),
                        ),
                        label: facts[0]!.label,
                        factKey: facts[0]!.key,
                      },
                    ];
                  })
                }
              >
                Add an exit criterion to {stage.name}
              </button>
              <h3>Cards</h3>
              {(stage.cards ?? []).map((card, ci) => (
                <div className="tlp-item" key={ci}>
                  <label>
                    Card title
                    <input
                      value={card.title}
                      onChange={(e) => update((d) => void (d.stages[si]!.cards![ci]!.title = e.target.value))}
                    />
                  </label>
                  <label>
                    Guidance (markdown)
                    <textarea
                      value={card.markdown}
                      onChange={(e) =>
                        update((d) => void (d.stages[si]!.cards![ci]!.markdown = e.target.value))
                      }
                    />
                  </label>
                </div>
              ))}
              <button
                type="button"
                onClick={() =>
                  update((d) => {
                    const s = d.stages[si]!;
                    s.cards = [
                      ...(s.cards ?? []),
                      {
                        id: slug(
                          `${s.id} card`,
                          (s.cards ?? []).map((x) => x.id),
                        ),
                        title: 'New card',
                        markdown: '',
                      },
                    ];
                  })
                }
              >
                Add a card to {stage.name}
              </button>
            </div>
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
      {parsed && !parsed.success && (
        <p className="error" data-testid="playbook-invalid">
          {describeZodError(parsed.error, 'playbook')}
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
