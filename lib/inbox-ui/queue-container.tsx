import { useCallback, useState } from 'react';
import { TaskQueue } from '@/components/task-queue/task-queue';
import type { ComposeRequest } from '../hosts/types';
import { send, type Runtime } from '../protocol/endpoints';
import type { RequestOf } from '../protocol/messages';
import { glue } from './strings';
import { useNow, useRefresh } from './use-refresh';

export interface QueueContainerProps {
  runtime: Runtime;
  /** Opens a prefilled compose in the mail client; absent in the browser's side panel. */
  openCompose?: (req: ComposeRequest) => Promise<boolean>;
}

const repZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The task queue fed by the background: list, then complete, skip, snooze or reschedule and list again. */
export function QueueContainer({ runtime, openCompose }: QueueContainerProps) {
  const now = useNow();
  const load = useCallback(() => send(runtime, 'tasks.list', {}).then((r) => r.tasks), [runtime]);
  const { data: tasks, error, refresh } = useRefresh(load);
  const [problem, setProblem] = useState<string>();
  const act = (req: RequestOf<'tasks.act'>) =>
    void (async () => {
      setProblem(undefined);
      try {
        await send(runtime, 'tasks.act', req);
      } catch (e) {
        setProblem(e instanceof Error ? e.message : String(e));
      }
      await refresh();
    })();

  const message = problem ?? error;
  return (
    <div className="tl-stack">
      {message && (
        <div className="tl-alert tl-alert--danger" role="alert">
          {glue.unreachable(message)}
        </div>
      )}
      {tasks ? (
        <TaskQueue
          tasks={tasks}
          now={now}
          repTimeZone={repZone()}
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
            const item = tasks.find((t) => t.task.id === taskId);
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
