import { useId, useState } from 'react';
import type { AttentionKind } from '../../lib/domain/enrollment-reasons';

/** One enrollment the runner paused for the rep (lib/protocol/inbox.ts `attention.list`). */
export interface AttentionItem {
  enrollmentId: string;
  contact: { email: string; firstName?: string; lastName?: string };
  sequenceName: string;
  stepNumber: number;
  kind: AttentionKind;
  detail: string;
  from?: string;
  pausedAt?: number;
  /** Tokens the rep can fill here. */
  missing: string[];
}

export interface AttentionActions {
  /** Saves the values on the contact and resumes when the step renders; rejects with the problem. */
  onFix(enrollmentId: string, values: Record<string, string>): Promise<void>;
  onResume(enrollmentId: string): void;
  onUnenroll(enrollmentId: string): void;
}

const WHAT_TO_DO: Record<AttentionKind, string> = {
  missing_token: 'Fill in the missing value to resume.',
  send_refused: 'The mailbox refused the email: fix the cause, then resume.',
  challenge: 'The contact’s mail server asks you to verify yourself: answer it in your inbox, then resume.',
  unreadable_message: 'Their last message could not be read: read it yourself, then resume or unenroll.',
};

const nameOf = (c: AttentionItem['contact']) =>
  [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;

/** Human names for the tokens the rep is asked for. */
const tokenLabel = (token: string) =>
  ({
    'contact.firstName': 'First name',
    'contact.fullName': 'First name',
    'contact.lastName': 'Last name',
    'contact.title': 'Title',
    'contact.phone': 'Phone',
    'company.name': 'Company',
    'company.domain': 'Company domain',
  })[token] ?? token.replace(/^custom\./, '');

function Item({ item, ...actions }: { item: AttentionItem } & AttentionActions) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  const filled = item.missing.every((t) => values[t]?.trim());
  return (
    <li className="tl-card tl-stack" data-testid="attention-item" aria-labelledby={`${id}-t`}>
      <h3 id={`${id}-t`}>{`${nameOf(item.contact)} · ${item.sequenceName}, step ${item.stepNumber}`}</h3>
      <p>{item.detail}</p>
      <p className="tl-muted">
        {WHAT_TO_DO[item.kind]}
        {item.from ? ` (from ${item.from})` : ''}
      </p>
      {item.missing.length > 0 ? (
        <form
          className="tl-stack"
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setProblem(undefined);
            actions
              .onFix(item.enrollmentId, values)
              .catch((err: unknown) => setProblem(err instanceof Error ? err.message : String(err)))
              .finally(() => setBusy(false));
          }}
        >
          {item.missing.map((token) => (
            <label key={token} className="tl-label">
              {`${tokenLabel(token)} for ${item.contact.email}`}
              <input
                className="tl-input"
                value={values[token] ?? ''}
                onChange={(e) => setValues({ ...values, [token]: e.currentTarget.value })}
              />
            </label>
          ))}
          <div className="tl-row">
            <button type="submit" className="tl-button tl-button--primary" disabled={busy || !filled}>
              Save and resume
            </button>
          </div>
        </form>
      ) : (
        <div className="tl-row">
          <button
            type="button"
            className="tl-button tl-button--primary"
            onClick={() => actions.onResume(item.enrollmentId)}
          >
            Resume
          </button>
          <button type="button" className="tl-button" onClick={() => actions.onUnenroll(item.enrollmentId)}>
            Unenroll
          </button>
        </div>
      )}
      {problem && (
        <p role="alert" className="tl-alert tl-alert--danger">
          {problem}
        </p>
      )}
    </li>
  );
}

/**
 * Enrollments that need the rep, above the task queue: one item each, saying what to do and doing it inline
 * where it can. An item leaves when its enrollment runs again (the list is read again after every change).
 */
export function AttentionItems({
  items,
  ...actions
}: { items: readonly AttentionItem[] } & AttentionActions) {
  const titleId = useId();
  if (!items.length) return null;
  return (
    <section className="tl-root tl-stack" aria-labelledby={titleId}>
      <h2 id={titleId}>{`Needs your attention (${items.length})`}</h2>
      <ul className="tl-stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((item) => (
          <Item key={item.enrollmentId} item={item} {...actions} />
        ))}
      </ul>
    </section>
  );
}
