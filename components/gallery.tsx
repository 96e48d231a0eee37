import type { ReactNode } from 'react';
import { EnrollFlow } from './enroll/enroll-flow';
import * as sample from './gallery-data';
import { SendsOnHold } from './sends-on-hold/sends-on-hold';
import { styles } from './styles';
import { QueueMode } from './task-queue/queue-mode';
import { TaskQueue } from './task-queue/task-queue';
import { ThreadPanel } from './thread-panel/thread-panel';

/**
 * Every screen of the inbox UI with sample data, in both themes, for looking at and for screenshots.
 * Render <Gallery /> into any page; it carries its own stylesheet. Callbacks only log.
 */
const log =
  (name: string) =>
  (...args: unknown[]) =>
    console.info(`[gallery] ${name}`, ...args);

const panelActions = {
  onEnroll: log('enroll'),
  onPause: log('pause'),
  onResume: log('resume'),
  onUnenroll: log('unenroll'),
  onMarkMeeting: log('meeting'),
  onSendNow: log('send now'),
};
const taskActions = {
  onComplete: log('complete'),
  onSkip: log('skip'),
  onSnooze: log('snooze'),
  onReschedule: log('reschedule'),
  onOpenEmail: log('open email'),
};

function Frame({ title, theme, children }: { title: string; theme: 'light' | 'dark'; children: ReactNode }) {
  return (
    <figure
      className="tl-theme tl-gallery__frame"
      data-theme={theme}
      data-screen={`${title} (${theme})`}
      style={{ margin: 0 }}
    >
      <figcaption className="tl-gallery__caption">
        {title} · {theme}
      </figcaption>
      {children}
    </figure>
  );
}

function Screens({ theme }: { theme: 'light' | 'dark' }) {
  const { now, repTimeZone, rep } = sample;
  return (
    <>
      <Frame title="Thread panel: every state" theme={theme}>
        <ThreadPanel
          participants={sample.participants}
          now={now}
          repTimeZone={repTimeZone}
          {...panelActions}
        />
      </Frame>
      <Frame title="Thread panel: every unenroll reason" theme={theme}>
        <ThreadPanel
          participants={sample.unenrolledReasons}
          now={now}
          repTimeZone={repTimeZone}
          {...panelActions}
        />
      </Frame>
      <Frame title="Thread panel: empty" theme={theme}>
        <ThreadPanel participants={[]} now={now} repTimeZone={repTimeZone} {...panelActions} />
      </Frame>
      <Frame title="Enroll: ready" theme={theme}>
        <EnrollFlow
          sequences={sample.sequences}
          contacts={[sample.nia]}
          rep={rep}
          now={now}
          onSubmit={log('submit')}
          onCancel={log('cancel')}
        />
      </Frame>
      <Frame title="Enroll: missing first name blocks" theme={theme}>
        <EnrollFlow
          sequences={sample.sequences}
          contacts={[sample.unnamed]}
          rep={rep}
          now={now}
          onSubmit={log('submit')}
          onCancel={log('cancel')}
        />
      </Frame>
      <Frame title="Enroll: two contacts" theme={theme}>
        <EnrollFlow
          sequences={sample.sequences}
          contacts={[sample.nia, { ...sample.unnamed, firstName: 'Pat' }]}
          rep={rep}
          now={now}
          onSubmit={log('submit')}
          onCancel={log('cancel')}
        />
      </Frame>
      <Frame title="Enroll: no sequences" theme={theme}>
        <EnrollFlow
          sequences={[]}
          contacts={[sample.nia]}
          rep={rep}
          now={now}
          onSubmit={log('submit')}
          onCancel={log('cancel')}
        />
      </Frame>
      <Frame title="Task queue" theme={theme}>
        <TaskQueue tasks={sample.tasks} now={now} repTimeZone={repTimeZone} {...taskActions} />
      </Frame>
      <Frame title="Sends on hold: backend unreachable" theme={theme}>
        <SendsOnHold
          hold={sample.sendsHold}
          now={now}
          repTimeZone={repTimeZone}
          onOpenSettings={log('open settings')}
        />
      </Frame>
      <Frame title="Task queue: empty" theme={theme}>
        <TaskQueue tasks={[]} now={now} repTimeZone={repTimeZone} {...taskActions} />
      </Frame>
      <Frame title="Task queue: start-queue mode" theme={theme}>
        <div className="tl-root">
          <QueueMode
            ids={sample.tasks.slice(0, 4).map((t) => t.task.id)}
            items={new Map(sample.tasks.map((t) => [t.task.id, t]))}
            drafts={{}}
            onDraft={log('draft')}
            now={now}
            repTimeZone={repTimeZone}
            onExit={log('exit')}
            autoFocus={false}
            {...taskActions}
          />
        </div>
      </Frame>
    </>
  );
}

export function Gallery() {
  return (
    <main>
      <style>{styles}</style>
      <div className="tl-gallery">
        <Screens theme="light" />
        <Screens theme="dark" />
      </div>
    </main>
  );
}

export default Gallery;
