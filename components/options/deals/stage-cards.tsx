import { cardGuidanceHtml } from '@/lib/html-sanitiser/markdown';
import { FactOptions, TextField } from './fields';
import { slug } from './slug';
import type { StagePartProps } from './stage-draft';

/**
 * A stage's cards: markdown guidance (previewed rendered and sanitised) with questions whose answers write
 * the deal's facts.
 */
export function StageCards({ stage, update, facts }: StagePartProps) {
  const cards = stage.cards ?? [];
  return (
    <>
      <h3>Cards</h3>
      {cards.map((card, ci) => (
        <div className="tlp-sub" key={ci} data-testid={`card-${card.id}`}>
          <div className="row">
            <TextField
              label="Card title"
              grow
              value={card.title}
              onText={(text) => update((s) => void (s.cards![ci]!.title = text))}
            />
            <button type="button" onClick={() => update((s) => void s.cards!.splice(ci, 1))}>
              Remove card {card.title}
            </button>
          </div>
          <div className="tlp-grid">
            <label>
              Guidance (markdown)
              <textarea
                value={card.markdown}
                onChange={(e) => update((s) => void (s.cards![ci]!.markdown = e.target.value))}
              />
            </label>
            <div>
              <span className="hint">Preview</span>
              <div
                className="tlp-card-preview"
                data-testid="card-preview"
                // The editor's markdown, rendered then sanitised (lib/html-sanitiser): nothing active survives.
                dangerouslySetInnerHTML={{ __html: cardGuidanceHtml(card.markdown) }}
              />
            </div>
          </div>
          <h4>Questions (their answers write the deal’s facts)</h4>
          {(card.questions ?? []).map((q, qi) => (
            <div className="row" key={qi}>
              <TextField
                label="Question"
                grow
                value={q.prompt}
                onText={(text) => update((s) => void (s.cards![ci]!.questions![qi]!.prompt = text))}
              />
              <label>
                Writes the fact
                <select
                  value={q.factKey}
                  onChange={(e) =>
                    update((s) => void (s.cards![ci]!.questions![qi]!.factKey = e.target.value))
                  }
                >
                  <FactOptions facts={facts} />
                </select>
              </label>
              <button
                type="button"
                onClick={() => update((s) => void s.cards![ci]!.questions!.splice(qi, 1))}
              >
                Remove question {q.prompt}
              </button>
            </div>
          ))}
          <button
            type="button"
            disabled={!facts.length}
            onClick={() =>
              update((s) => {
                const c = s.cards![ci]!;
                c.questions = [
                  ...(c.questions ?? []),
                  { factKey: facts[0]!.key, prompt: `${facts[0]!.label}?` },
                ];
              })
            }
          >
            Add a question to {card.title}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          update((s) => {
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
    </>
  );
}
