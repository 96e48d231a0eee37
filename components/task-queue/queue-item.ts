import type { Contact } from '../../lib/domain/contact';
import type { Task } from '../../lib/domain/task';
import type { TaskType } from '../strings';
import { startOfToday, startOfTomorrow } from '../time';

export interface QueueItem {
  task: Task;
  contact: Contact;
  sequenceName: string;
  stepLabel: string;
  callScript?: string;
  linkedinUrl?: string;
}

export type SectionName = 'overdue' | 'today' | 'upcoming';
export const SECTIONS: SectionName[] = ['overdue', 'today', 'upcoming'];

export interface Filters {
  type: TaskType | 'all';
  sequenceId: string | 'all';
}

export const contactName = (c: Contact) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;

const PRIORITY = { high: 0, medium: 1, low: 2 } as const;
const byDue = (a: QueueItem, b: QueueItem) =>
  a.task.dueAt - b.task.dueAt ||
  PRIORITY[a.task.priority] - PRIORITY[b.task.priority] ||
  a.task.id.localeCompare(b.task.id);

export const matches = (item: QueueItem, f: Filters) =>
  (f.type === 'all' || item.task.type === f.type) &&
  (f.sequenceId === 'all' || item.task.sequenceId === f.sequenceId);

/**
 * Open tasks by day on the rep's clock: overdue (due on an earlier day), today, and upcoming. A task due at
 * 9:00 today stays in Today at 11:00, as in HubSpot; it is shown late there.
 */
export function groupTasks(
  items: readonly QueueItem[],
  filters: Filters,
  now: number,
  timeZone: string,
): Record<SectionName, QueueItem[]> {
  const todayStart = startOfToday(now, timeZone);
  const tomorrowStart = startOfTomorrow(now, timeZone);
  const out: Record<SectionName, QueueItem[]> = { overdue: [], today: [], upcoming: [] };
  for (const item of items) {
    if (item.task.status !== 'open' || !matches(item, filters)) continue;
    const due = item.task.dueAt;
    out[due < todayStart ? 'overdue' : due < tomorrowStart ? 'today' : 'upcoming'].push(item);
  }
  for (const s of SECTIONS) out[s].sort(byDue);
  return out;
}

/** A LinkedIn profile when known, else a people search for the name and company. */
export function linkedinHref(item: QueueItem): { href: string; isProfile: boolean } {
  const profile = item.linkedinUrl ?? item.contact.linkedinUrl;
  if (profile) return { href: profile, isProfile: true };
  const keywords = [contactName(item.contact), item.contact.company].filter(Boolean).join(' ');
  return {
    href: `https://www.linkedin.com/search/results/people/?keywords=${encodeURIComponent(keywords)}`,
    isProfile: false,
  };
}

/** `tel:` wants the digits and a leading plus; spaces, dots and brackets are only for people. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;
