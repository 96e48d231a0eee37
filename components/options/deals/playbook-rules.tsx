import type { z } from 'zod';
import { Severity } from '@/lib/domain/deal';
import type { ConditionGroup, RecommendedActionInput } from '@/lib/domain/playbook';
import { issuesUnder, TextField } from './fields';
import { isGroupShape, type Draft, type UpdateDraft } from './playbook-draft';
import { RuleBuilder } from './rule-builder';
import type { StageChoice } from './rule-builder-model';
import { slug } from './slug';

type RuleDraft = NonNullable<Draft['rules']>[number];

export interface RulesProps {
  draft: Draft;
  update: UpdateDraft;
  /** The playbook's zod issues. */
  issues: readonly z.core.$ZodIssue[];
  /** The deals each rule flags now, by rule id; undefined while the draft is not a valid playbook. */
  preview: Map<string, string[]> | undefined;
  /** The rules shown as JSON, by index. */
  asJson: Record<number, boolean>;
  onToggleJson: (ri: number) => void;
  /** JSON as typed (half-typed JSON is kept here, not in the draft), by index. */
  whenText: Record<number, string>;
  onWhenText: (ri: number, text: string) => void;
}

/**
 * The playbook's process rules, each built with the visual rule builder (a JSON view for the advanced), with
 * a live preview under it of which of the rep's open deals it flags now.
 */
export function PlaybookRules(props: RulesProps) {
  const { draft, update } = props;
  const rules = draft.rules ?? [];
  return (
    <section aria-labelledby="tlp-rules">
      <h2 id="tlp-rules">Process rules</h2>
      <p className="hint">Under each rule: which of your open deals it flags now, with this draft.</p>
      {rules.map((rule, ri) => (
        <RuleEditor key={ri} rule={rule} ri={ri} {...props} />
      ))}
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
  );
}

const sameAction = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function RuleEditor({
  rule,
  ri,
  draft,
  update,
  issues,
  preview,
  asJson,
  onToggleJson,
  whenText,
  onWhenText,
}: RulesProps & { rule: RuleDraft; ri: number }) {
  const facts = draft.facts ?? [];
  const stageChoices: StageChoice[] = draft.stages.map((s) => ({ id: s.id, name: s.name }));
  const remedies = draft.stages.flatMap((s) =>
    (s.actions ?? []).map((a) => ({ key: `${s.id}/${a.id}`, stage: s.name, action: a })),
  );
  const flagged = preview?.get(rule.id) ?? [];
  return (
    <div className="tlp-item" data-testid={`rule-${rule.id}`}>
      <div className="row">
        <TextField
          label="Rule name"
          grow
          value={rule.name}
          onText={(text) => update((d) => void (d.rules![ri]!.name = text))}
        />
        <label>
          Severity
          <select
            value={rule.severity}
            onChange={(e) => update((d) => void (d.rules![ri]!.severity = e.target.value as Severity))}
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
      <TextField
        label="Message"
        value={rule.message}
        onText={(text) => update((d) => void (d.rules![ri]!.message = text))}
      />
      <div className="row">
        <label className="grow">
          Remedy (the next step it asks for)
          <select
            value={
              remedies.find((x) => rule.remedy && sameAction(x.action, rule.remedy))?.key ??
              (rule.remedy ? 'current' : '')
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
            {rule.remedy && !remedies.some((x) => sameAction(x.action, rule.remedy)) && (
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
        <button type="button" aria-pressed={asJson[ri] ?? false} onClick={() => onToggleJson(ri)}>
          Edit {rule.name} as JSON
        </button>
      </div>
      {!isGroupShape(rule.when) && (
        <p className="error" data-testid="rule-json-only">
          These conditions are not an AND/OR group of conditions: the builder shows them once the JSON is one.
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
              onWhenText(ri, text);
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
}
