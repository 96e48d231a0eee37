import type { PauseReason, UnenrollReason } from '../lib/domain/enrollment';
import type { StepType } from '../lib/domain/sequence';
import type { Task } from '../lib/domain/task';
import { dayOffset, zoned } from './time';

/**
 * Every user-visible string of the inbox UI. English ships; a translation replaces this module's values
 * (plurals and times are functions so word order and plural rules can change per language).
 */
export const LOCALE = 'en-GB';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const weekday = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat(LOCALE, { weekday: 'short', timeZone }).format(ms);
const dayMonth = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', timeZone }).format(ms);

/** "9:00", "17:30" on the zone's clock. */
export function clock(ms: number, timeZone: string): string {
  const z = zoned(ms, timeZone);
  return `${z.hour}:${String(z.minute).padStart(2, '0')}`;
}

/** A day relative to today on the zone's clock: "today", "tomorrow", "Tue", "Tue 14 Mar". */
export function day(ms: number, now: number, timeZone: string): string {
  const offset = dayOffset(ms, now, timeZone);
  if (offset === 0) return 'today';
  if (offset === 1) return 'tomorrow';
  if (offset === -1) return 'yesterday';
  if (offset > 1 && offset < 7) return weekday(ms, timeZone);
  return `${weekday(ms, timeZone)} ${dayMonth(ms, timeZone)}`;
}

/** A moment on the zone's clock: "today 9:00", "Tue 9:00", "Tue 14 Mar 9:00". */
export const when = (ms: number, now: number, timeZone: string) =>
  `${day(ms, now, timeZone)} ${clock(ms, timeZone)}`;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const stepKind: Record<StepType, string> = {
  auto_email: 'Email',
  manual_email: 'Manual email',
  call: 'Call',
  linkedin: 'LinkedIn',
  todo: 'To-do',
};

export const common = {
  appName: 'Threadline',
  cancel: 'Cancel',
  save: 'Save',
  close: 'Close',
  contacts: (n: number) => plural(n, 'contact', 'contacts'),
  /** Facts on one line: "Q1 outbound · used yesterday". Blank parts are left out. */
  joined: (parts: (string | undefined)[]) => parts.filter(Boolean).join(' · '),
  /** "Email 2 of 4" */
  stepOfTotal: (type: StepType, n: number, total: number) => `${stepKind[type]} ${n} of ${total}`,
  timeZoneNote: (timeZone: string) => `Times are in your time zone, ${timeZone.replace(/_/g, ' ')}.`,
};

export const panel = {
  title: 'Threadline',
  heading: 'People in this thread',
  empty: 'No one outside your company is in this thread.',
  status: {
    not_enrolled: 'Not enrolled',
    active: 'Active',
    paused: 'Paused',
    finished: 'Finished',
    unenrolled: 'Unenrolled',
  },
  notEnrolled: 'Not in a sequence',
  /** "Email 2 of 4 · Tue 9:00" */
  next: (type: StepType, n: number, total: number, at: number, now: number, timeZone: string) =>
    `${common.stepOfTotal(type, n, total)} · ${capitalise(when(at, now, timeZone))}`,
  nextWaiting: (type: StepType, n: number, total: number) =>
    `${common.stepOfTotal(type, n, total)} · waiting in your task queue`,
  nextUnscheduled: (type: StepType, n: number, total: number) =>
    `${common.stepOfTotal(type, n, total)} · next`,
  paused: {
    manual: () => 'Paused by you',
    out_of_office: (until: number | undefined, now: number, timeZone: string) =>
      until === undefined ? 'Out of office' : `Out of office until ${day(until, now, timeZone)}`,
    needs_attention: () => 'Needs your attention',
  } satisfies Record<PauseReason, (...args: never[]) => string>,
  pausedAt: (type: StepType, n: number, total: number) =>
    `Stopped before ${common.stepOfTotal(type, n, total)}`,
  finished: (at: number | undefined, now: number, timeZone: string) =>
    at === undefined ? 'Finished every step' : `Finished every step · ${capitalise(day(at, now, timeZone))}`,
  unenrolled: {
    replied: 'They replied',
    meeting_booked: 'Meeting booked',
    bounced: 'Email bounced',
    unsubscribed: 'Asked to be removed',
    manual: 'Unenrolled by you',
    company_replied: 'Someone at their company replied',
    error: 'Stopped by an error',
  } satisfies Record<UnenrollReason, string>,
  endedOn: (at: number, now: number, timeZone: string) => capitalise(day(at, now, timeZone)),
  select: (name: string) => `Select ${name} to enroll`,
  enroll: 'Enroll',
  enrollOne: (name: string) => `Enroll ${name}`,
  enrollSelected: (n: number) => (n === 0 ? 'Enroll selected' : `Enroll ${common.contacts(n)}`),
  selectHint: 'Tick the people to enroll together.',
  pause: 'Pause',
  resume: 'Resume',
  unenroll: 'Unenroll',
  markMeeting: 'Meeting booked',
  sendNow: 'Send now',
  actionLabel: (action: string, name: string) => `${action}: ${name}`,
  confirmUnenroll: (name: string, sequence: string) => `Stop ${sequence} for ${name}?`,
  confirmUnenrollYes: 'Unenroll',
  keep: 'Keep',
};

export const enroll = {
  title: (count: number, who?: string) =>
    count === 1 && who ? `Enroll ${who}` : `Enroll ${common.contacts(count)}`,
  sequence: 'Sequence',
  search: 'Search sequences',
  noMatch: (query: string) => `No sequence matches “${query}”.`,
  noSequences: 'You have no sequences yet. Create one in Threadline’s options.',
  summary: (steps: number, emails: number) =>
    `${plural(steps, 'step', 'steps')} · ${plural(emails, 'email', 'emails')}`,
  lastUsed: (at: number, now: number, timeZone: string) => `used ${day(at, now, timeZone)}`,
  startStep: 'Start at step',
  stepOption: (index: number, type: StepType, title: string) =>
    `${index + 1}. ${stepKind[type]}${title ? `: ${title}` : ''}`,
  start: 'Start',
  startNow: 'Now',
  startLater: 'At a date and time',
  startAt: (timeZone: string) => `Date and time (${timeZone.replace(/_/g, ' ')})`,
  preview: 'What they will receive',
  previewFor: (label: string) => `Preview for ${label}`,
  previewStep: (index: number, type: StepType) => `Step ${index + 1} · ${stepKind[type]}`,
  noEmails: 'No email steps from this step on.',
  subject: 'Subject',
  body: 'Body',
  inThread: '(sent as a reply in the same thread)',
  variants: (n: number) => `This step has ${n} A/B versions; each contact gets one. Editing replaces them.`,
  edit: 'Edit for this enrollment',
  editStep: (index: number) => `Edit for this enrollment: step ${index + 1}`,
  doneStep: (index: number) => `Done: step ${index + 1}`,
  doneEditing: 'Done',
  resetEdit: 'Use the sequence’s text',
  edited: 'Edited',
  /** "Step 2: no value for {{contact.firstName}} (jane@acme.com)" */
  missing: (index: number, token: string, who?: string) =>
    `Step ${index + 1}: no value for {{${token}}}${who ? ` (${who})` : ''}.`,
  unknown: (index: number, token: string) =>
    `Step ${index + 1}: {{${token}}} is not a field Threadline knows.`,
  fixWithField: (field: string, token: string) =>
    `Fill in ${field} below, or give the token a fallback: {{${token} | "there"}}.`,
  fixUnknown: (token: string) =>
    `Correct the name (see the list in the sequence editor) or give it a fallback: {{${token} | "…"}}.`,
  fixWithFallback: (token: string) => `Give the token a fallback in the email: {{${token} | "there"}}.`,
  noSubject: (index: number) =>
    `Step ${index + 1}: the first email needs a subject. Edit it for this enrollment.`,
  previewContact: 'Preview for',
  details: 'Contact details',
  detailsFor: (label: string) => `Details for ${label}`,
  detailsComplete: 'Nothing missing.',
  field: {
    firstName: 'First name',
    lastName: 'Last name',
    company: 'Company',
    title: 'Title',
    timeZone: 'Time zone',
  },
  timeZoneHint: 'Emails go out in their working hours when their time zone is known.',
  timeZoneInvalid: (value: string) => `“${value}” is not a time zone. Pick one from the list.`,
  submit: (count: number, sequence?: string) =>
    sequence ? `Enroll ${common.contacts(count)} in ${sequence}` : `Enroll ${common.contacts(count)}`,
  chooseSequence: 'Choose a sequence first.',
  chooseTime: 'Choose a start date and time.',
  timeInPast: 'The start time is in the past.',
  blocked: (n: number) => `${plural(n, 'problem', 'problems')} to fix before enrolling:`,
  ready: 'Ready to enroll. Nothing is sent before the start time.',
};

export type CallOutcome = 'connected' | 'left_voicemail' | 'no_answer' | 'wrong_number';
export type TaskType = Task['type'];

export const queue = {
  title: 'Tasks',
  sections: { overdue: 'Overdue', today: 'Today', upcoming: 'Upcoming' },
  sectionHeading: (name: string, n: number) => `${name} (${n})`,
  sectionEmpty: 'Nothing here.',
  jumpTo: 'Jump to section',
  empty: 'No tasks. Enjoy the quiet.',
  emptyFiltered: 'No task matches these filters.',
  filterType: 'Type',
  filterSequence: 'Sequence',
  allTypes: 'All types',
  allSequences: 'All sequences',
  typePlural: {
    call: 'Calls',
    linkedin: 'LinkedIn',
    manual_email: 'Emails',
    todo: 'To-dos',
  } satisfies Record<TaskType, string>,
  type: { call: 'Call', linkedin: 'LinkedIn', manual_email: 'Email', todo: 'To-do' } satisfies Record<
    TaskType,
    string
  >,
  due: (at: number, now: number, timeZone: string) => `Due ${when(at, now, timeZone)}`,
  sequenceStep: (sequence: string, step: string) => `${sequence} · ${step}`,
  notes: 'Notes',
  priorityHigh: 'High priority',
  call: (phone: string) => `Call ${phone}`,
  noPhone: 'No phone number on file.',
  callScript: 'Call script',
  outcome: 'Outcome',
  chooseOutcome: 'Choose…',
  outcomes: {
    connected: 'Connected',
    left_voicemail: 'Left voicemail',
    no_answer: 'No answer',
    wrong_number: 'Wrong number',
  } satisfies Record<CallOutcome, string>,
  callNotes: 'Call notes',
  openProfile: 'Open LinkedIn profile',
  searchLinkedIn: (who: string) => `Search LinkedIn for ${who}`,
  openEmail: 'Open email',
  complete: 'Complete',
  skip: 'Skip',
  snooze: 'Snooze',
  snoozeHour: 'In 1 hour',
  snoozeTomorrow: 'Tomorrow 9:00',
  snoozeMonday: 'Next Monday 9:00',
  reschedule: 'Reschedule',
  save: 'Save',
  rescheduleTo: (timeZone: string) => `New due time (${timeZone.replace(/_/g, ' ')})`,
  taskLabel: (type: TaskType, who: string) => `${queue.type[type]}: ${who}`,
  actionFor: (action: string, who: string) => `${action}: ${who}`,
  startQueue: (n: number) => `Start queue (${n})`,
  startQueueNone: 'Start queue',
  queueHeading: 'Today’s queue',
  position: (i: number, n: number) => `Task ${i + 1} of ${n}`,
  queueDone: (n: number) => `Queue done: ${plural(n, 'task', 'tasks')} handled.`,
  exit: 'Exit queue',
  noLongerOpen: 'This task is no longer open.',
  next: 'Next',
  previous: 'Previous',
  shortcuts: 'Keyboard shortcuts',
  shortcut: {
    complete: 'Complete',
    openEmail: 'Open email',
    skip: 'Skip',
    next: 'Next',
    previous: 'Previous',
    exit: 'Exit',
  },
  doneInQueue: {
    completed: 'Completed',
    opened: 'Email opened',
    skipped: 'Skipped',
    snoozed: 'Snoozed',
    rescheduled: 'Rescheduled',
  },
};

export type HoldReason = 'unreachable' | 'signed_out' | 'refused';

/** The banner while this device's sends wait for the team backend's send lease. */
export const sendsOnHold = {
  title: 'Sends are on hold:',
  /** "10:42" today, else "yesterday 10:42", "Tue 10:42". */
  since: (at: number, now: number, timeZone: string) =>
    dayOffset(at, now, timeZone) === 0 ? clock(at, timeZone) : when(at, now, timeZone),
  why: (reason: HoldReason, url: string, since: string, status?: number) =>
    reason === 'signed_out'
      ? `this computer has been signed out of your team’s backend since ${since}.`
      : reason === 'unreachable'
        ? `this computer can’t reach your team’s backend at ${url} since ${since}.`
        : status !== undefined && status >= 500
          ? `your team’s backend at ${url} has been failing (HTTP ${status}) since ${since}.`
          : `your team’s backend at ${url} has refused this computer (HTTP ${status ?? '?'}) since ${since}.`,
  /** "3 emails due will go out once it can." */
  then: (reason: HoldReason, due: number) =>
    `${due === 0 ? 'Emails due' : `${plural(due, 'email', 'emails')} due`} will go out ${
      reason === 'signed_out' ? 'once you sign in again' : 'once it can'
    }.`,
  open: (reason: HoldReason) => (reason === 'signed_out' ? 'Sign in again' : 'Open Team & sync'),
};
