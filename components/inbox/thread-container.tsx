import { useCallback, useMemo, useState } from 'react';
import { EnrollFlow, type EnrollRequest } from '@/components/enroll/enroll-flow';
import {
  crmFilledById,
  crmForEnroll,
  withCrmDetails,
  type CrmFilled,
} from '@/components/thread-panel/crm-enrich';
import { CrmFilledNote } from '@/components/thread-panel/crm-filled-note';
import { CrmSection } from '@/components/thread-panel/crm-section';
import { DealSection } from '@/components/thread-panel/deal-section';
import { ThreadPanel } from '@/components/thread-panel/thread-panel';
import type { ComposeRequest, OpenedThread } from '../../lib/hosts/types';
import type { Runtime } from '../../lib/protocol/endpoints';
import { ask } from '../../lib/protocol/inbox-client';
import type { ResponseOf } from '../../lib/protocol/messages';
import { externalPeople, withThreadNames } from './people';
import { glue } from './strings';
import { useNow, useRefresh } from './use-refresh';

export interface ThreadContainerProps {
  runtime: Runtime;
  thread: OpenedThread;
  /** The host's compose (its driver's openCompose); in the side panel, Outlook's through the background. */
  openCompose?: (req: ComposeRequest) => Promise<boolean>;
}

type Enrolling = { emails: string[]; options: ResponseOf<'enroll.options'>; filled?: CrmFilled[] };
const repZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The thread panel fed by the background: where each person stands, enroll, and act on enrollments. */
export function ThreadContainer({ runtime, thread, openCompose }: ThreadContainerProps) {
  const now = useNow();
  const people = useMemo(() => externalPeople(thread), [thread]);
  const load = useCallback(
    () => ask(runtime, 'thread.state', { participants: people }).then((r) => r.participants),
    [runtime, people],
  );
  const { data: participants, error, refresh } = useRefresh(load);
  const [enrolling, setEnrolling] = useState<Enrolling>();
  const [problem, setProblem] = useState<string>();
  // Until the enroll flow brings the rep as saved on this device, the browser's zone and the signed-in
  // address stand in, as the background itself does before the rep sets them up.
  const fallbackRep = useMemo(
    () => ({ email: thread.me ?? 'me@threadline.invalid', timeZone: repZone() }),
    [thread.me],
  );

  const run = async (work: () => Promise<unknown>) => {
    setProblem(undefined);
    try {
      await work();
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
    await refresh();
  };
  const act =
    (action: 'pause' | 'resume' | 'unenroll' | 'meeting_booked' | 'send_now') => (enrollmentId: string) =>
      void run(() => ask(runtime, 'enrollment.act', { enrollmentId, action }));

  const startEnroll = (emails: string[]) =>
    void run(async () => {
      const options = await ask(runtime, 'enroll.options', { emails });
      // What the thread shows wins; HubSpot fills the first name, company, title and time zone it lacks.
      const crm = withCrmDetails(
        withThreadNames(options.contacts, people),
        await crmForEnroll(runtime, emails),
      );
      setEnrolling({ emails, options: { ...options, contacts: crm.contacts }, filled: crm.filled });
    });

  const replyable = thread.subject.trim() ? thread.providerThreadId : undefined;
  const submit = (req: EnrollRequest) =>
    void run(async () => {
      const { startAt, replyInThread, ...rest } = req;
      const report = await ask(runtime, 'enroll.submit', {
        ...rest,
        ...(startAt !== undefined ? { startAt } : {}),
        // The host's id for the conversation; the runner finds its newest message right before sending.
        ...(replyInThread && replyable ? { thread: { threadId: replyable, subject: thread.subject } } : {}),
      });
      if (report.rejected.length)
        throw new Error(report.rejected.map((r) => glue.rejected(r.email ?? '', r.message)).join(' '));
      setEnrolling(undefined);
    });

  const alert = (problem ?? error) && (
    <div className="tl-alert tl-alert--danger" role="alert">
      {glue.unreachable(problem ?? error ?? '')}{' '}
      <button type="button" className="tl-button tl-button--small" onClick={() => void run(async () => {})}>
        {glue.retry}
      </button>
    </div>
  );

  if (enrolling)
    return (
      <div className="tl-stack">
        {alert}
        <CrmFilledNote filled={enrolling.filled ?? []} contacts={enrolling.options.contacts} />
        <EnrollFlow
          sequences={enrolling.options.sequences}
          contacts={enrolling.options.contacts}
          rep={enrolling.options.rep.email.endsWith('.invalid') ? fallbackRep : enrolling.options.rep}
          now={now}
          fromCrm={crmFilledById(enrolling.filled ?? [], enrolling.options.contacts)}
          {...(replyable ? { thread: { subject: thread.subject } } : {})}
          onSubmit={submit}
          onCancel={() => setEnrolling(undefined)}
        />
      </div>
    );
  return (
    <div className="tl-stack" data-thread-id={thread.id}>
      {alert}
      <DealSection runtime={runtime} thread={thread} {...(openCompose && { openReply: openCompose })} />
      {participants ? (
        <ThreadPanel
          participants={participants}
          now={now}
          repTimeZone={fallbackRep.timeZone}
          onEnroll={startEnroll}
          onPause={act('pause')}
          onResume={act('resume')}
          onUnenroll={act('unenroll')}
          onMarkMeeting={act('meeting_booked')}
          onSendNow={act('send_now')}
        />
      ) : (
        !error && (
          <p className="tl-root tl-muted" role="status">
            {glue.loading}
          </p>
        )
      )}
      {thread.unknownAddresses?.length ? (
        // Shown by name alone and unknown to the mailbox too: listed, never enrollable (no address to write to).
        <section className="tl-root tl-stack" aria-label={glue.alsoInThread}>
          <h3 className="tl-small tl-muted">{glue.alsoInThread}</h3>
          <ul className="tl-list">
            {thread.unknownAddresses.map((p) => (
              <li key={p.name} className="tl-participant">
                {p.name} <span className="tl-small tl-muted">({glue.addressUnknown})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <CrmSection runtime={runtime} thread={thread} />
    </div>
  );
}
