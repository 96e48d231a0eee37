import { useCallback, useEffect, useState } from 'react';
import type { DealRole } from '../../lib/domain/deal';
import type { ComposeRequest, OpenedThread } from '../../lib/hosts/types';
import {
  askDeal,
  type DealCardView as DealView,
  type FactValueIn as FactValue,
} from '../../lib/protocol/deals-received';
import { askCrmDealRefresh } from '../../lib/protocol/crm-deals-received';
import type { Runtime } from '../../lib/protocol/endpoints';
import { externalPeople } from '../inbox/people';
import { useRefresh } from '../inbox/use-refresh';
import { CrmDealLine } from './crm-deal-line';
import { CreateDeal, DealCard, type DealNotice } from './deal-card';
import { dealText } from './deal-strings';
import { openNextStepMessage } from './next-step-message';

/**
 * The deal card fed by the background. It loads on its own, beside the participants' list, so looking the
 * deal up never delays the panel's first paint. `openReply`: the host's compose (its driver's openCompose),
 * where a meeting or recap step opens a NEW message to the deal's first contact, subject "Re: <the thread's>",
 * filled in (neither host can open a reply inside the thread from here, so the card says "new message");
 * without it or when the host cannot, the card shows the text to copy and says so.
 */
export function DealSection({
  runtime,
  thread,
  openReply,
}: {
  runtime: Runtime;
  thread: OpenedThread;
  openReply?: (req: ComposeRequest) => Promise<boolean>;
}) {
  const ref = useCallback(
    () => ({
      threadId: thread.id,
      subject: thread.subject,
      // The people the participants' list shows (the signed-in mailbox and its colleagues left out).
      participants: externalPeople(thread).map((p) => ({
        email: p.email,
        ...(p.name ? { name: p.name } : {}),
      })),
    }),
    [thread],
  );
  const load = useCallback(() => askDeal(runtime, 'deal.forThread', ref()), [runtime, ref]);
  const { data, error, refresh } = useRefresh(load);
  const [view, setView] = useState<DealView>();
  const [notice, setNotice] = useState<DealNotice>();
  const [reply, setReply] = useState<string>();
  const [busy, setBusy] = useState(false);

  const shown =
    view && data?.view?.deal.id === view.deal.id && data.view.deal.updatedAt > view.deal.updatedAt
      ? data.view
      : (view ?? data?.view);
  // After the card's first paint: HubSpot's stage of the deal read now (the background throttles it and
  // pulls); a stage moved there shows once the deal is read again. Quiet otherwise.
  const shownDealId = shown?.deal.id;
  useEffect(() => {
    if (!shownDealId) return;
    let live = true;
    askCrmDealRefresh(runtime, shownDealId)
      .then((r) => {
        if (live && r.state === 'read' && r.moved) void refresh();
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [runtime, shownDealId, refresh]);
  const act = async (work: () => Promise<DealView | undefined>) => {
    setBusy(true);
    try {
      const next = await work();
      if (next) setView(next);
    } catch (e) {
      setNotice({ tone: 'danger', text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
      void refresh();
    }
  };

  if (error && !shown)
    return (
      <p className="tl-root tl-alert tl-alert--danger" role="alert">
        {error}
      </p>
    );
  if (!data && !shown)
    return (
      <p className="tl-root tl-muted tl-small" role="status">
        {dealText.loading}
      </p>
    );
  if (!shown) {
    const s = data?.suggestion;
    if (!s) return null;
    return (
      <CreateDeal
        company={s.name}
        people={s.people.map((p) => p.name ?? p.email)}
        busy={busy}
        onCreate={() => void act(() => askDeal(runtime, 'deal.create', ref()))}
      />
    );
  }
  const dealId = shown.deal.id;
  return (
    <DealCard
      view={shown}
      crm={<CrmDealLine runtime={runtime} thread={thread} deal={shown.deal} />}
      {...(notice && { notice })}
      {...(reply !== undefined && { reply })}
      onAnswer={(factKey: string, value: FactValue | null) =>
        void act(async () => {
          setNotice(undefined);
          return askDeal(runtime, 'deal.answer', { dealId, factKey, value });
        })
      }
      onSetRole={(contactId: string, role: DealRole) =>
        void act(() => askDeal(runtime, 'deal.setRole', { dealId, contactId, role }))
      }
      onMove={(toStageId, override) =>
        void act(async () => {
          setReply(undefined);
          const r = await askDeal(runtime, 'deal.move', { dealId, toStageId, ...(override && { override }) });
          if (!r.moved)
            setNotice({
              tone: 'danger',
              text: `${dealText.refused} ${r.message ?? ''}`.trim(),
              ...(r.unmet.length && { unmet: r.unmet, overrideTo: toStageId }),
            });
          else if (r.outcome === 'skipped')
            setNotice({ tone: 'warning', text: r.message ?? '', unmet: r.unmet });
          else setNotice(undefined);
          return r.view;
        })
      }
      onRunNextStep={() =>
        void act(async () => {
          const r = await askDeal(runtime, 'deal.runNextStep', { dealId });
          setReply(undefined);
          if (!r.reply) {
            setNotice({ tone: 'ok', text: r.done });
            return r.view;
          }
          // The text was written for the deal's first contact: a new message to them, on the thread's subject.
          const opened = await openNextStepMessage(openReply, r.view, r.reply.body, thread.subject);
          if (opened)
            setNotice({ tone: 'ok', text: dealText.messageOpened(r.done, opened.to[0]!, opened.subject) });
          else {
            setNotice({ tone: 'warning', text: dealText.noMessage });
            setReply(r.reply.body);
          }
          return r.view;
        })
      }
    />
  );
}
