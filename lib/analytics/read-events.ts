import type { Event } from '../domain/event';
import { COUNT, FLAG } from './counters';
import type { Scopes } from './scopes';
import type { Selection } from './selection';
import type { TaskLedger } from './task-adherence';

const SIGNALS: Partial<Record<Event['type'], number>> = {
  replied: FLAG.replied,
  out_of_office: FLAG.outOfOffice,
  meeting_booked: FLAG.meeting,
  unsubscribed: FLAG.unsubscribed,
};

const openFlag = (e: Event) =>
  e.data?.machine === true ? FLAG.openedAll : FLAG.openedHuman | FLAG.openedAll;

/**
 * The one pass over the events: tasks and ends of enrollments go to the ledger, sends and everything that
 * names its step to the contacts, and what must be attributed to the last email sent (replies, bounces, opens
 * without a step) is returned, to be read once every send is known (`attributeToLastSend`).
 */
export function readEvents(
  events: readonly Event[],
  selection: Selection,
  scopes: Scopes,
  tasks: TaskLedger,
): Event[] {
  const { from, to } = selection;
  const deferred: Event[] = [];
  for (const e of events) {
    if (tasks.take(e)) continue;
    const at = e.at;
    if (at >= to || !selection.scopeOk(e.sequenceId, e.mailbox)) continue;
    switch (e.type) {
      case 'sent': {
        const variant = e.data?.variant;
        scopes.contactOf(e).sends.add(at, e.stepIndex ?? -1, typeof variant === 'number' ? variant : -1);
        break;
      }
      case 'enrolled': {
        const step = e.stepIndex ?? -1;
        if (at >= from && selection.stepOk(step)) scopes.contactOf(e).mark(FLAG.enrolled, step, at);
        break;
      }
      case 'opened':
      case 'clicked': {
        if (at < from) break;
        const flag = e.type === 'clicked' ? FLAG.clicked : openFlag(e);
        // A tracked email names its step; without one, the open belongs to the last email sent.
        if (e.stepIndex === undefined) deferred.push(e);
        else if (selection.stepOk(e.stepIndex)) scopes.contactOf(e).mark(flag, e.stepIndex, at);
        break;
      }
      case 'bounced':
        if (at >= from && scopes.contactOf(e).firstBounce(e.id)) deferred.push(e);
        break;
      case 'replied':
      case 'out_of_office':
      case 'meeting_booked':
      case 'unsubscribed':
        // The runner stamps these with the enrollment's next step; the step they answer is the last one sent.
        if (at >= from) deferred.push(e);
        break;
      default:
        break;
    }
  }
  return deferred;
}

/** Bounces, replies and other signals, and opens without a step, counted at the last email sent before them. */
export function attributeToLastSend(deferred: readonly Event[], selection: Selection, scopes: Scopes): void {
  for (const e of deferred) {
    const c = scopes.contactOf(e);
    const step = c.sends.lastStepAt(e.at);
    if (!selection.stepOk(step)) continue;
    let flag: number;
    if (e.type === 'bounced') {
      flag = e.data?.permanent === true ? FLAG.bouncedHard : FLAG.bouncedSoft;
      scopes.countEmail(c, step, flag === FLAG.bouncedHard ? COUNT.bouncedHard : COUNT.bouncedSoft, e.at);
    } else if (e.type === 'opened') flag = openFlag(e);
    else if (e.type === 'clicked') flag = FLAG.clicked;
    else flag = SIGNALS[e.type]!;
    c.mark(flag, step, e.at);
  }
}
