import type { ResponseOf } from '../protocol/messages';
import type { Handlers } from '../protocol/endpoints';
import type { SyncHost } from './sync-host';

/** The enrollments of the people in a thread, as its state lists them. */
const enrollmentIdsOf = (state: ResponseOf<'thread.state'>) =>
  state.participants.flatMap((p) => ('enrollmentId' in p.state ? [p.state.enrollmentId] : []));

/**
 * The inbox's handlers with the rep's viewing told to the backend: while a thread is open, its enrollments'
 * opens are the rep's own views (server/tracking), and they end when the rep leaves it.
 */
export function withViewing(inbox: Handlers, sync: Pick<SyncHost, 'reportViewing' | 'endViewing'>): Handlers {
  const threadState = inbox['thread.state'];
  if (!threadState) throw new Error('withViewing: the inbox handlers answer no thread.state');
  return {
    ...inbox,
    'thread.state': async (req, sender) => {
      const state = await threadState(req, sender);
      void sync.reportViewing(enrollmentIdsOf(state));
      return state;
    },
    'thread.closed': async (req, sender) => {
      await sync.endViewing(enrollmentIdsOf(await threadState(req, sender)));
      return { ok: true as const };
    },
  };
}
