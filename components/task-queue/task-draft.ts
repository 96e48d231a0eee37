import type { CallOutcome } from '../strings';
import type { QueueItem } from './queue-item';

export interface TaskDraft {
  outcome: CallOutcome | '';
  notes: string;
  open?: 'snooze' | 'reschedule';
  rescheduleAt?: string;
}
export const emptyDraft: TaskDraft = { outcome: '', notes: '' };

export interface TaskActions {
  onComplete(taskId: string, outcome?: { outcome?: string; notes?: string }): void;
  onSkip(taskId: string): void;
  onSnooze(taskId: string, until: number): void;
  onReschedule(taskId: string, dueAt: number): void;
  onOpenEmail(taskId: string): void;
}

/** What a completed call sends back: the outcome and notes when the rep gave them. */
export function completion(
  item: QueueItem,
  draft: TaskDraft,
): { outcome?: string; notes?: string } | undefined {
  if (item.task.type !== 'call') return undefined;
  const notes = draft.notes.trim();
  if (!draft.outcome && !notes) return undefined;
  return { ...(draft.outcome ? { outcome: draft.outcome } : {}), ...(notes ? { notes } : {}) };
}
