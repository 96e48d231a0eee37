import type { Event } from '../domain/event';
import type { Selection } from './selection';
import type { AnalyticsTallies } from './types';

interface TaskState {
  sequenceId?: string;
  mailbox?: string;
  stepIndex: number;
  enrollmentId?: string;
  dueAt: number;
  doneAt: number;
  skipped: boolean;
}

type AdherenceRow = AnalyticsTallies['tasks'][number];

/** The tasks the events tell of, and when each enrollment ended: task adherence per rep at the end. */
export class TaskLedger {
  private readonly tasks = new Map<string, TaskState>();
  private readonly endedAt = new Map<string, number>();

  /** Takes a task event or an `unenrolled` event (true), whatever its time or scope; false for the others. */
  take(e: Event): boolean {
    const type = e.type;
    if (type === 'task_created' || type === 'task_completed' || type === 'task_skipped') {
      this.note(e);
      return true;
    }
    if (type !== 'unenrolled') return false;
    if (e.enrollmentId && !(e.at >= (this.endedAt.get(e.enrollmentId) ?? Infinity)))
      this.endedAt.set(e.enrollmentId, e.at);
    return true;
  }

  /** Filters apply at the end: a completion may not name the sequence its task belongs to. */
  private note(e: Event): void {
    const id = typeof e.data?.taskId === 'string' ? e.data.taskId : e.id;
    let t = this.tasks.get(id);
    if (!t) this.tasks.set(id, (t = { stepIndex: -1, dueAt: NaN, doneAt: Infinity, skipped: false }));
    t.sequenceId ??= e.sequenceId;
    t.mailbox ??= e.mailbox;
    t.enrollmentId ??= e.enrollmentId;
    if (t.stepIndex < 0 && e.stepIndex !== undefined) t.stepIndex = e.stepIndex;
    if (Number.isNaN(t.dueAt) && typeof e.data?.dueAt === 'number') t.dueAt = e.data.dueAt;
    if (e.type !== 'task_created' && e.at < t.doneAt) {
      t.doneAt = e.at;
      t.skipped = e.type === 'task_skipped';
    }
  }

  /** One row per rep of the tasks due in the range and the selection, each task in exactly one column. */
  rows(selection: Selection, dayOf: (ms: number) => number): AdherenceRow[] {
    const { from, to } = selection;
    const rows = new Map<string, AdherenceRow>();
    const lastDay = dayOf(to);
    for (const t of this.tasks.values()) {
      if (!(t.dueAt >= from && t.dueAt < to)) continue;
      if (!selection.scopeOk(t.sequenceId, t.mailbox) || !selection.stepOk(t.stepIndex)) continue;
      const mailbox = t.mailbox ?? '';
      let row = rows.get(mailbox);
      if (!row) {
        row = { mailbox, due: 0, onTime: 0, late: 0, skipped: 0, overdue: 0, pending: 0, cancelled: 0 };
        rows.set(mailbox, row);
      }
      row.due++;
      const dueDay = dayOf(t.dueAt);
      // Ending an enrollment closes its open tasks without a task event; its `unenrolled` event says when.
      const ended = t.enrollmentId === undefined ? Infinity : (this.endedAt.get(t.enrollmentId) ?? Infinity);
      if (t.doneAt < to && t.doneAt <= ended) {
        if (t.skipped) row.skipped++;
        else if (dayOf(t.doneAt) <= dueDay) row.onTime++;
        else row.late++;
      } else if (ended < to) row.cancelled++;
      else if (lastDay > dueDay) row.overdue++;
      else row.pending++;
    }
    return [...rows.values()];
  }
}
