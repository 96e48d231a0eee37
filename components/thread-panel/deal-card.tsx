import { useId, useRef, useState, type ReactNode } from 'react';
import type { DealRole } from '../../lib/domain/deal';
import { cardGuidanceHtml } from '../../lib/html-sanitiser/markdown';
import type { DealCardView as DealView, FactValueIn as FactValue } from '../../lib/protocol/deals-received';
import { dealText } from './deal-strings';
import { FactField } from './fact-field';

/** What the last action said: a refusal (with the criteria), a skip warning, or what was done. */
export interface DealNotice {
  tone: 'ok' | 'warning' | 'danger';
  text: string;
  unmet?: string[];
  /** A refused move the rep (if a manager) may override with a reason. */
  overrideTo?: string;
}

export interface DealCardProps {
  view: DealView;
  notice?: DealNotice;
  /** The reply text of a meeting or recap step, to paste into the thread. */
  reply?: string;
  onAnswer(factKey: string, value: FactValue | null): void;
  onMove(toStageId: string, override?: { reason: string }): void;
  onRunNextStep(): void;
  onSetRole(contactId: string, role: DealRole): void;
  /** The CRM's side of the deal (crm-deal-line.tsx), under the heading. */
  crm?: ReactNode;
}

const ROLES = Object.keys(dealText.roles) as DealRole[];
const HEALTH_CLASS = { red: 'tl-badge--high', amber: 'tl-badge--paused', green: 'tl-badge--active' } as const;

/** The thread's deal on top of the panel: stage, health and its reasons, next step, exit criteria, guidance. */
export function DealCard({
  view,
  notice,
  reply,
  onAnswer,
  onMove,
  onRunNextStep,
  onSetRole,
  crm,
}: DealCardProps) {
  const { deal, stage, pipeline, nextStep } = view;
  const [showWhy, setShowWhy] = useState(false);
  const [reason, setReason] = useState('');
  const headingId = useId();
  const whyId = useId();
  const fieldPrefix = useId();
  const fieldId = (factKey: string) => `${fieldPrefix}-${factKey}`;
  const current = pipeline.stages.findIndex((s) => s.id === deal.stageId);
  const factOf = (key: string) => view.facts.find((f) => f.key === key);
  const answerField = nextStep.factKey;

  const sectionRef = useRef<HTMLElement>(null);
  const doNext = () => {
    // The panel lives in a shadow root on the mail page: look the field up in the card's own root.
    const root = sectionRef.current?.getRootNode() as Document | ShadowRoot | undefined;
    if (answerField) root?.getElementById(fieldId(answerField))?.focus();
    else onRunNextStep();
  };

  return (
    <section
      ref={sectionRef}
      className="tl-root tl-card tl-stack"
      aria-labelledby={headingId}
      data-deal-id={deal.id}
    >
      <div className="tl-spread">
        <h2 id={headingId}>
          {dealText.heading}: {deal.name}
        </h2>
        <span className="tl-row">
          <span className={`tl-badge ${HEALTH_CLASS[view.health]}`} data-health={view.health}>
            {dealText.health[view.health]}
          </span>
          <button
            type="button"
            className="tl-button tl-button--small"
            aria-expanded={showWhy}
            aria-controls={whyId}
            onClick={() => setShowWhy((s) => !s)}
          >
            {showWhy ? dealText.hideWhy : dealText.why}
          </button>
        </span>
      </div>
      {crm}
      <div id={whyId} hidden={!showWhy}>
        {view.flags.length === 0 ? (
          <p className="tl-small tl-muted">{dealText.noFlags}</p>
        ) : (
          <ul className="tl-list tl-small">
            {view.flags.map((f) => (
              <li key={f.ruleId} data-rule={f.ruleId}>
                <strong>{f.message}</strong> ({f.severity}): {f.because.join('; ')}
              </li>
            ))}
          </ul>
        )}
      </div>

      <nav aria-label={dealText.stages}>
        <ol className="tl-row tl-small" style={{ flexWrap: 'wrap', listStyle: 'none', padding: 0, gap: 4 }}>
          {pipeline.stages.map((s, i) => (
            <li key={s.id}>
              {i === current ? (
                <span className="tl-badge tl-badge--active" aria-current="step">
                  {s.name}
                </span>
              ) : (
                <button
                  type="button"
                  className="tl-button tl-button--small"
                  aria-label={dealText.moveTo(s.name)}
                  onClick={() => onMove(s.id)}
                >
                  {i < current ? '✓ ' : ''}
                  {s.name}
                </button>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <p className="tl-small tl-muted">
        {stage.goal} {pipeline.gate === 'warn' ? dealText.gateWarn : dealText.gateRequire}
      </p>

      {notice && (
        <div className={`tl-alert ${notice.tone === 'danger' ? 'tl-alert--danger' : ''}`} role="alert">
          <p>{notice.text}</p>
          {notice.unmet?.length ? (
            <ul className="tl-list tl-small">
              {notice.unmet.map((u) => (
                <li key={u}>{u}</li>
              ))}
            </ul>
          ) : null}
          {notice.overrideTo && (
            <form
              className="tl-row"
              onSubmit={(e) => {
                e.preventDefault();
                onMove(notice.overrideTo!, { reason });
              }}
            >
              <label className="tl-small" htmlFor={`${fieldPrefix}-reason`}>
                {dealText.overrideReason}
              </label>
              <input
                id={`${fieldPrefix}-reason`}
                className="tl-input"
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
              />
              <button type="submit" className="tl-button tl-button--small" disabled={!reason.trim()}>
                {dealText.override}
              </button>
            </form>
          )}
        </div>
      )}

      {nextStep.kind !== 'none' && (
        <div className="tl-spread" data-next-step={nextStep.kind}>
          <p>
            <strong>{dealText.nextStep}:</strong> {nextStep.label}
          </p>
          <button type="button" className="tl-button tl-button--primary" onClick={doNext}>
            {answerField ? dealText.answerIt : dealText.doIt}
          </button>
        </div>
      )}
      {reply !== undefined && <ReplyBox text={reply} />}

      {view.checklist.length > 0 && (
        <section className="tl-stack" aria-label={dealText.checklist(stage.name)}>
          <h3 className="tl-small">{dealText.checklist(stage.name)}</h3>
          <ul className="tl-list">
            {view.checklist.map((c) => {
              const def = c.factKey ? factOf(c.factKey) : undefined;
              return (
                <li key={c.id} className="tl-stack" data-criterion={c.id} data-met={c.met}>
                  <span>
                    <span aria-hidden="true">{c.met ? '✓' : '○'}</span> {c.label}{' '}
                    <span className="tl-visually-hidden">({c.met ? dealText.met : dealText.notMet})</span>
                  </span>
                  {def && (
                    <FactField
                      key={JSON.stringify(deal.facts[def.key] ?? null)}
                      def={def}
                      value={deal.facts[def.key]}
                      contacts={view.contacts}
                      inputId={fieldId(def.key)}
                      onAnswer={(v) => onAnswer(def.key, v)}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {view.contacts.length > 0 && (
        <section className="tl-stack" aria-label={dealText.people}>
          <h3 className="tl-small">{dealText.people}</h3>
          <ul className="tl-list">
            {view.contacts.map((c) => (
              <li key={c.contactId} className="tl-spread">
                <span className="tl-small">{c.name ?? c.email}</span>
                <select
                  className="tl-select"
                  aria-label={`${dealText.role}: ${c.name ?? c.email}`}
                  value={c.role}
                  onChange={(e) => onSetRole(c.contactId, e.currentTarget.value as DealRole)}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {dealText.roles[r]}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ul>
        </section>
      )}

      {stage.cards.map((card) => (
        <details key={card.id} className="tl-small">
          <summary>
            {dealText.guidance}: {card.title}
          </summary>
          {/* The editor's markdown rendered and cleaned (lib/html-sanitiser/markdown.ts): no script, handler,
              image or unsafe link reaches the mail page. */}
          <div
            className="tl-card-guidance"
            data-testid={`card-guidance-${card.id}`}
            dangerouslySetInnerHTML={{ __html: cardGuidanceHtml(card.markdown) }}
          />
          {card.questions
            .map((q) => ({ q, def: factOf(q.factKey) }))
            .filter(({ def }) => def && !view.checklist.some((c) => c.factKey === def.key))
            .map(({ q, def }) => (
              <FactField
                key={`${q.factKey}-${JSON.stringify(deal.facts[q.factKey] ?? null)}`}
                def={{ ...def!, label: q.prompt }}
                value={deal.facts[q.factKey]}
                contacts={view.contacts}
                onAnswer={(v) => onAnswer(q.factKey, v)}
              />
            ))}
        </details>
      ))}
    </section>
  );
}

function ReplyBox({ text }: { text: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="tl-stack">
      <label className="tl-small" htmlFor={id}>
        {dealText.replyReady}
      </label>
      <textarea id={id} className="tl-textarea" readOnly rows={6} value={text} />
      <button
        type="button"
        className="tl-button tl-button--small"
        onClick={() =>
          void navigator.clipboard?.writeText(text).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? dealText.copied : dealText.copy}
      </button>
    </div>
  );
}

/** No deal yet: what one click would create. */
export function CreateDeal({
  company,
  people,
  busy,
  onCreate,
}: {
  company: string;
  people: string[];
  busy: boolean;
  onCreate(): void;
}) {
  const headingId = useId();
  return (
    <section className="tl-root tl-card tl-stack" aria-labelledby={headingId}>
      <h2 id={headingId}>{dealText.heading}</h2>
      <p className="tl-small tl-muted">
        {dealText.none} {people.join(', ')}
      </p>
      <div className="tl-row">
        <button type="button" className="tl-button tl-button--primary" disabled={busy} onClick={onCreate}>
          {busy ? dealText.creating : dealText.create(company)}
        </button>
      </div>
    </section>
  );
}
