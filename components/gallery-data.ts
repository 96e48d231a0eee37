import type { Contact } from '../lib/domain/contact';
import type { Rep } from '../lib/domain/rep';
import { StepSchema, type StepInput } from '../lib/domain/sequence';
import type { Task } from '../lib/domain/task';
import type { SequenceChoice } from './enroll/enroll-flow';
import type { SendsHold } from './sends-on-hold/sends-on-hold';
import type { QueueItem } from './task-queue/task-queue';
import type { Participant } from './thread-panel/thread-panel';

/** Sample data for the gallery: one fixed Monday morning, so screenshots do not change from run to run. */
export const now = Date.parse('2026-03-09T14:00:00Z');
export const repTimeZone = 'America/New_York';
export const rep: Rep = { email: 'sam@seller.example', name: 'Sam Rivera', timeZone: repTimeZone };

const DAY = 86_400_000;
const step = (s: StepInput) => StepSchema.parse(s);
const later = { value: 2, unit: 'business_days' } as const;

export const participants: Participant[] = [
  { name: 'Nia Okafor', email: 'nia@acme.example', state: { kind: 'not_enrolled' } },
  { email: 'procurement@acme.example', state: { kind: 'not_enrolled' } },
  {
    name: 'Ava Stone',
    email: 'ava@stone.example',
    state: {
      kind: 'active',
      enrollmentId: 'e-ava',
      sequenceName: 'Q1 outbound',
      stepIndex: 1,
      stepCount: 4,
      stepType: 'auto_email',
      nextAt: Date.parse('2026-03-10T13:00:00Z'),
    },
  },
  {
    name: 'Tom Reyes',
    email: 'tom@reyes.example',
    state: {
      kind: 'active',
      enrollmentId: 'e-tom',
      sequenceName: 'Q1 outbound',
      stepIndex: 2,
      stepCount: 4,
      stepType: 'call',
      waitingForTask: true,
    },
  },
  {
    name: 'Oli Brand',
    email: 'oli@brand.example',
    state: {
      kind: 'paused',
      enrollmentId: 'e-oli',
      sequenceName: 'Q1 outbound',
      stepIndex: 1,
      stepCount: 4,
      stepType: 'auto_email',
      reason: 'needs_attention',
      detail: 'Step 2: no value for {{contact.firstName}}',
    },
  },
  {
    name: 'Sia Park',
    email: 'sia@oz.example',
    state: {
      kind: 'paused',
      enrollmentId: 'e-sia',
      sequenceName: 'Renewals',
      stepIndex: 1,
      stepCount: 3,
      stepType: 'auto_email',
      reason: 'out_of_office',
      until: Date.parse('2026-03-16T13:00:00Z'),
    },
  },
  {
    name: 'Max Weber',
    email: 'max@weber.example',
    state: {
      kind: 'paused',
      enrollmentId: 'e-max',
      sequenceName: 'Renewals',
      stepIndex: 0,
      stepCount: 3,
      stepType: 'auto_email',
      reason: 'manual',
    },
  },
  {
    name: 'Kav Rao',
    email: 'kav@bharat.example',
    state: { kind: 'finished', enrollmentId: 'e-kav', sequenceName: 'Q1 outbound', endedAt: now - 3 * DAY },
  },
  {
    name: 'Bo Reed',
    email: 'bo@reed.example',
    state: {
      kind: 'unenrolled',
      enrollmentId: 'e-bo',
      sequenceName: 'Q1 outbound',
      reason: 'replied',
      endedAt: now - DAY,
    },
  },
  {
    name: 'Cy Lund',
    email: 'cy@lund.example',
    state: { kind: 'unenrolled', enrollmentId: 'e-cy', sequenceName: 'Q1 outbound', reason: 'bounced' },
  },
];

/** One participant per unenroll reason, for the gallery's full list. */
export const unenrolledReasons: Participant[] = (
  ['replied', 'meeting_booked', 'bounced', 'unsubscribed', 'manual', 'company_replied', 'error'] as const
).map((reason) => ({
  name: `Contact (${reason.replace('_', ' ')})`,
  email: `${reason}@example.com`,
  state: {
    kind: 'unenrolled',
    enrollmentId: `e-${reason}`,
    sequenceName: 'Q1 outbound',
    reason,
    endedAt: now - DAY,
    ...(reason === 'error' ? { detail: 'Gmail refused the send: insufficient permissions' } : {}),
  },
}));

export const sequences: SequenceChoice[] = [
  {
    id: 'seq-outbound',
    name: 'Q1 outbound',
    updatedAt: now - 20 * DAY,
    lastUsedAt: now - DAY,
    steps: [
      step({
        id: 's1',
        type: 'auto_email',
        delay: { value: 0, unit: 'minutes' },
        subject: 'Quick question, {{contact.firstName}}',
        body: '<p>Hi {{contact.firstName}},</p><p>Saw {{company.name | "your team"}} is hiring SDRs. We help teams like yours follow up without leaving Gmail.</p><p>Worth a 15-minute look?</p><p>{{rep.firstName}}</p>',
      }),
      step({
        id: 's2',
        type: 'auto_email',
        delay: later,
        body: '<p>Bumping this up, {{contact.firstName}}. Happy to send a two-minute video instead.</p>',
      }),
      step({ id: 's3', type: 'call', delay: later, title: 'Call {{contact.firstName}}' }),
      step({
        id: 's4',
        type: 'auto_email',
        delay: { value: 3, unit: 'days' },
        body: '<p>Last note from me. If timing is off, no worries.</p><p>{{rep.firstName}}</p>',
      }),
    ],
  },
  {
    id: 'seq-webinar',
    name: 'Webinar follow-up',
    updatedAt: now - 2 * DAY,
    steps: [
      step({
        id: 'w1',
        type: 'auto_email',
        delay: later,
        subject: 'Slides from today',
        body: '<p>Thanks for joining, {{contact.firstName | "there"}}!</p>',
      }),
    ],
  },
  {
    id: 'seq-renewals',
    name: 'Renewals',
    updatedAt: now - 40 * DAY,
    lastUsedAt: now - 10 * DAY,
    steps: [
      step({ id: 'r1', type: 'auto_email', delay: later, subject: 'Your renewal', body: '<p>Hello</p>' }),
      step({ id: 'r2', type: 'linkedin', delay: later, title: 'Connect' }),
    ],
  },
];

export const nia: Contact = {
  id: 'c-nia',
  email: 'nia@acme.example',
  firstName: 'Nia',
  lastName: 'Okafor',
  company: 'Acme',
  timeZone: 'Europe/London',
  phone: '+44 20 7946 0958',
  custom: {},
};
export const unnamed: Contact = { id: 'c-proc', email: 'procurement@acme.example', custom: {} };

function task(id: string, type: Task['type'], dueAt: number, extra: Partial<Task> = {}): Task {
  return {
    id,
    enrollmentId: `e-${id}`,
    sequenceId: 'seq-outbound',
    contactId: 'c',
    stepId: 's',
    stepIndex: 2,
    type,
    title: '',
    notes: '',
    priority: 'medium',
    createdAt: now - 5 * DAY,
    dueAt,
    blocking: true,
    status: 'open',
    ...extra,
  };
}

export const tasks: QueueItem[] = [
  {
    task: task('t1', 'call', now - 3 * DAY, {
      priority: 'high',
      notes: 'Asked for a call after their board meeting.',
    }),
    contact: nia,
    sequenceName: 'Q1 outbound',
    stepLabel: 'Step 3 · Call',
    callScript:
      'Hi Nia, it’s Sam from Threadline. You opened my note about SDR follow-up; is that on your list this quarter?',
  },
  {
    task: task('t2', 'manual_email', now + 2 * 3_600_000),
    contact: { ...nia, id: 'c2', firstName: 'Liam', lastName: 'Hart', company: 'Brit Ltd' },
    sequenceName: 'Q1 outbound',
    stepLabel: 'Step 2 · Manual email',
  },
  {
    task: task('t3', 'linkedin', now + 4 * 3_600_000, {
      sequenceId: 'seq-renewals',
      title: 'Connect with a note',
    }),
    contact: { ...nia, id: 'c3', firstName: 'Ava', lastName: 'Stone', company: 'Stone & Co' },
    sequenceName: 'Renewals',
    stepLabel: 'Step 2 · LinkedIn',
  },
  {
    task: task('t4', 'todo', now + 5 * 3_600_000, { title: 'Send the case study PDF' }),
    contact: { ...nia, id: 'c4', firstName: 'Kav', lastName: 'Rao', company: 'Bharat Foods' },
    sequenceName: 'Q1 outbound',
    stepLabel: 'Step 4 · To-do',
  },
  {
    task: task('t5', 'call', now + 2 * DAY),
    contact: { ...nia, id: 'c5', firstName: 'Sia', lastName: 'Park', company: 'Oz Mining', phone: undefined },
    sequenceName: 'Q1 outbound',
    stepLabel: 'Step 3 · Call',
  },
];

/** Sends held since 10:42 this morning (New York) because the team backend cannot be reached. */
export const sendsHold: SendsHold = {
  since: Date.parse('2026-03-09T14:42:00Z') - 4 * 3_600_000,
  reason: 'unreachable',
  url: 'https://threadline.acme.example',
  due: 3,
};
