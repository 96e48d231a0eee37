import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { TaskQueue } from '@/components/task-queue/task-queue';
import { AttentionItems } from '@/components/task-queue/attention-items';
import { FixItSection } from '@/components/task-queue/fix-it-items';
import type { ComposeRequest } from '../../lib/hosts/types';
import type { Runtime } from '../../lib/protocol/endpoints';
import { ask, receive } from '../../lib/protocol/inbox-client';
import type { RequestOf, ResponseOf } from '../../lib/protocol/messages';
import { firstScreenMessage, takeFirstScreen } from './first-screen';
import { glue } from './strings';
import { useNow, useRefresh } from './use-refresh';

export interface QueueContainerProps {
  runtime: Runtime;
  /** Opens a prefilled compose in the mail client; absent in the browser's side panel. */
  openCompose?: (req: ComposeRequest) => Promise<boolean>;
  /** A fix-it's new message where there is no `openCompose` (the side panel: Outlook's, through the background). */
  fixItCompose?: (req: ComposeRequest) => Promise<boolean>;
}

const repZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

type FirstScreen = ResponseOf<'tasks.first'>;
/** The first screen asked for early by the page (first-screen.ts), else now; checked on receipt either way. */
const firstScreenOf = (runtime: Runtime): Promise<FirstScreen | undefined> =>
  (takeFirstScreen() ?? runtime.sendMessage(firstScreenMessage()))
    .then((raw) => receive('tasks.first', raw))
    .catch(() => undefined); // the whole list reports the problem

/** After the next frame is painted, or 200 ms at most (a hidden page paints no frame). */
const afterNextPaint = () =>
  new Promise<void>((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 200);
  });

/**
 * The task queue fed by the background: its first screen at once (the first tasks by due time and each
 * section's count), the whole list right after; then complete, skip, snooze or reschedule and list again.
 */
export function QueueContainer({ runtime, openCompose, fixItCompose }: QueueContainerProps) {
  const now = useNow();
  const zone = useMemo(repZone, []);
  const [head, setHead] = useState<FirstScreen>();
  const first = useRef<Promise<FirstScreen | undefined>>(undefined);
  const painted = useRef<Promise<void>>(undefined);
  const firstScreen = useCallback(() => {
    first.current ??= firstScreenOf(runtime);
    return first.current;
  }, [runtime]);
  // A layout effect: Preact runs plain effects after the next frame, and the answer is often already here.
  useLayoutEffect(() => {
    let live = true;
    void firstScreen().then((h) => live && setHead(h));
    return () => {
      live = false;
    };
  }, [firstScreen]);
  // The whole list waits, once, for the first screen to be on screen: its answer (every open task) takes the
  // page a while to receive and check, and would otherwise hold up that first paint.
  const load = useCallback(
    () =>
      firstScreen()
        .then(() => (painted.current ??= afterNextPaint()))
        .then(() => ask(runtime, 'tasks.list', {}))
        .then((r) => r.tasks),
    [runtime, firstScreen],
  );
  const { data: tasks, error, refresh } = useRefresh(load);
  // Enrollments paused for the rep, above the tasks; each leaves once its enrollment runs again.
  const loadAttention = useCallback(() => ask(runtime, 'attention.list', {}).then((r) => r.items), [runtime]);
  const attention = useRefresh(loadAttention);
  const [problem, setProblem] = useState<string>();
  const act = (req: RequestOf<'tasks.act'>) =>
    void (async () => {
      setProblem(undefined);
      try {
        await ask(runtime, 'tasks.act', req);
      } catch (e) {
        setProblem(e instanceof Error ? e.message : String(e));
      }
      await refresh();
    })();

  const message = problem ?? error;
  const onEnrollment = (enrollmentId: string, action: 'resume' | 'unenroll') =>
    void (async () => {
      setProblem(undefined);
      try {
        await ask(runtime, 'enrollment.act', { enrollmentId, action });
      } catch (e) {
        setProblem(e instanceof Error ? e.message : String(e));
      }
      await attention.refresh();
    })();
  return (
    <div className="tl-stack">
      {message && (
        <div className="tl-alert tl-alert--danger" role="alert">
          {glue.unreachable(message)}
        </div>
      )}
      <AttentionItems
        items={attention.data ?? []}
        onFix={async (enrollmentId, values) => {
          const { resumed } = await ask(runtime, 'attention.fix', { enrollmentId, values });
          await attention.refresh();
          if (!resumed)
            throw new Error('Saved, but the step still cannot be written: check the other values.');
        }}
        onResume={(id) => onEnrollment(id, 'resume')}
        onUnenroll={(id) => onEnrollment(id, 'unenroll')}
      />
      <FixItSection
        runtime={runtime}
        {...((openCompose ?? fixItCompose) && { openCompose: openCompose ?? fixItCompose })}
      />
      {tasks || head ? (
        <TaskQueue
          tasks={tasks ?? head!.tasks}
          {...(tasks ? {} : { partial: head!.counts })}
          now={now}
          repTimeZone={zone}
          onComplete={(taskId, o) =>
            act({
              taskId,
              action: 'complete',
              ...(o?.outcome ? { outcome: o.outcome } : {}),
              ...(o?.notes ? { notes: o.notes } : {}),
            })
          }
          onSkip={(taskId) => act({ taskId, action: 'skip' })}
          onSnooze={(taskId, until) => act({ taskId, action: 'snooze', until })}
          onReschedule={(taskId, dueAt) => act({ taskId, action: 'reschedule', dueAt })}
          onOpenEmail={(taskId) => {
            const item = (tasks ?? head?.tasks)?.find((t) => t.task.id === taskId);
            if (!item) return;
            const req = { to: [item.contact.email], subject: item.task.title, body: item.task.notes };
            if (openCompose) void openCompose(req);
            else window.open(`mailto:${item.contact.email}?subject=${encodeURIComponent(req.subject)}`);
          }}
        />
      ) : (
        !error && (
          <p className="tl-root tl-muted" role="status">
            {glue.loading}
          </p>
        )
      )}
    </div>
  );
}
