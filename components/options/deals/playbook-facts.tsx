import { FactType } from '@/lib/domain/deal';
import { TextField } from './fields';
import type { Draft, UpdateDraft } from './playbook-draft';
import { slug } from './slug';

/** The playbook's facts: what it asks about every deal (exit criteria, cards and rules read them). */
export function PlaybookFacts({ draft, update }: { draft: Draft; update: UpdateDraft }) {
  const facts = draft.facts ?? [];
  return (
    <section aria-labelledby="tlp-facts">
      <h2 id="tlp-facts">Facts</h2>
      <p className="hint">
        What the playbook asks about every deal; exit criteria, cards and rules read them.
      </p>
      {facts.map((fact, i) => (
        <div className="row" key={i}>
          <TextField
            label="Fact label"
            value={fact.label}
            onText={(text) => update((d) => void (d.facts![i]!.label = text))}
          />
          <TextField
            label="Key"
            value={fact.key}
            onText={(text) => update((d) => void (d.facts![i]!.key = text))}
          />
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
  );
}
