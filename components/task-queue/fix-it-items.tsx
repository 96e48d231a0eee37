import { useCallback, useId, useState } from 'react';
import type { ComposeRequest } from '../../lib/hosts/types';
import type { Runtime } from '../../lib/protocol/endpoints';
import { askDeal, type DealAnswer } from '../../lib/protocol/deals-received';
import { useRefresh } from '../inbox/use-refresh';
import { dealText } from '../thread-panel/deal-strings';
import { openNextStepMessage } from '../thread-panel/next-step-message';

export type FixItItem = DealAnswer<'deals.fixits'>['items'][number];

const SEVERITY_WORD = { error: 'At risk', warning: 'Needs attention', info: 'Note' } as const;
const SEVERITY_CLASS = {
  error: 'tl-badge--high',
  warning: 'tl-badge--paused',
  info: 'tl-badge--finished',
} as const;

/** Flagged deals beside the sequence tasks: one item per deal, with its next step. */
export function FixItItems({ items, onDo }: { items: readonly FixItItem[]; onDo(dealId: string): void }) {
  const titleId = useId();
  if (!items.length) return null;
  return (
    <section className="tl-root tl-stack" aria-labelledby={titleId}>
      <h2 id={titleId}>{`Fix-it: deals off the playbook (${items.length})`}</h2>
      <ul className="tl-stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((item) => (
          <li
            key={item.dealId}
            className="tl-card tl-stack"
            data-testid="fix-it-item"
            data-deal-id={item.dealId}
          >
            <div className="tl-spread">
              <h3>{item.dealName}</h3>
              <span className={`tl-badge ${SEVERITY_CLASS[item.severity]}`}>
                {SEVERITY_WORD[item.severity]}
              </span>
            </div>
            <p>{item.message}</p>
            <p className="tl-small tl-muted">{item.because.join('; ')}</p>
            <div className="tl-row">
              <button
                type="button"
                className="tl-button tl-button--primary"
                aria-label={`${item.nextStep}: ${item.dealName}`}
                onClick={() => onDo(item.dealId)}
              >
                {item.nextStep}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The fix-it items fed by the background. They are worked out from the deals' current flags on every load,
 * so an item leaves by itself once its flag clears. A meeting or recap step opens a new message to the deal's
 * first contact, "Re:" the thread the deal was made from, with the text filled in (`openCompose`: the host's
 * compose where the queue sits in the host; in the browser's side panel, Outlook's compose opened by the
 * background when it knows the rep's Outlook); when it cannot, the text is shown to copy, and the section says
 * so.
 */
export function FixItSection({
  runtime,
  openCompose,
}: {
  runtime: Runtime;
  openCompose?: (req: ComposeRequest) => Promise<boolean>;
}) {
  const load = useCallback(() => askDeal(runtime, 'deals.fixits', {}).then((r) => r.items), [runtime]);
  const { data, refresh } = useRefresh(load);
  const [problem, setProblem] = useState<string>();
  const [toCopy, setToCopy] = useState<string>();
  const [opened, setOpened] = useState<string>();
  const replyId = useId();
  return (
    <>
      {problem && (
        <p className="tl-alert tl-alert--danger" role="alert">
          {problem}
        </p>
      )}
      {opened && (
        <p className="tl-alert" role="status">
          {opened}
        </p>
      )}
      {toCopy !== undefined && (
        <div className="tl-root tl-stack tl-alert" role="alert">
          <label className="tl-small" htmlFor={replyId}>
            {dealText.noMessage}
          </label>
          <textarea id={replyId} className="tl-textarea" readOnly rows={6} value={toCopy} />
        </div>
      )}
      <FixItItems
        items={data ?? []}
        onDo={(dealId) =>
          void (async () => {
            setProblem(undefined);
            setToCopy(undefined);
            setOpened(undefined);
            try {
              const r = await askDeal(runtime, 'deal.runNextStep', { dealId });
              if (r.reply) {
                // No thread is open here: the new message is on the thread the deal was made from.
                const opened = await openNextStepMessage(
                  openCompose,
                  r.view,
                  r.reply.body,
                  r.reply.threadSubject,
                );
                if (opened) setOpened(dealText.messageOpened(r.done, opened.to[0]!, opened.subject));
                else setToCopy(r.reply.body);
              }
            } catch (e) {
              setProblem(e instanceof Error ? e.message : String(e));
            }
            await refresh();
          })()
        }
      />
    </>
  );
}
