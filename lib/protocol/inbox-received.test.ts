import { describe, expect, it } from 'vitest';
import * as sample from '../../components/gallery-data';
import { ATTENTION_KINDS } from '../domain/enrollment-reasons';
import { ask } from './inbox-client';
import { RECEIVED, type InboxMessage } from './inbox-received';
import { MESSAGES } from './messages';

// Realistic answers (the component gallery's sample data), for every message the inbox UI asks.
const answers: { [N in InboxMessage]: unknown } = {
  'thread.state': { participants: [...sample.participants, ...sample.unenrolledReasons] },
  'thread.closed': { ok: true },
  'thread.fallback': { ok: true },
  'enroll.options': { sequences: sample.sequences, contacts: [sample.nia, sample.unnamed], rep: sample.rep },
  'enroll.submit': {
    enrolled: [{ email: 'nia@acme.example', enrollmentId: 'e1', contactId: 'c1', firstDueAt: 5 }],
    rejected: [{ index: 1, email: 'x@y.example', reason: 'duplicate', message: 'already enrolled' }],
  },
  'enrollment.act': { ok: true },
  'tasks.list': { tasks: sample.tasks },
  'tasks.first': { tasks: sample.tasks.slice(0, 2), counts: { overdue: 1, today: 3, upcoming: 0 } },
  'tasks.act': { ok: true },
  'attention.list': {
    items: [
      {
        enrollmentId: 'e1',
        contact: sample.nia,
        sequenceName: 'Q1 outbound',
        stepNumber: 2,
        kind: 'missing_token',
        detail: 'Step 2: no value for {{custom.industry}}',
        pausedAt: 5,
        missing: ['custom.industry'],
      },
    ],
  },
  'attention.fix': { resumed: true },
  'sends.hold': { hold: { ...sample.sendsHold, status: 503, reason: 'refused' } },
  'options.open': { ok: true },
  'compose.outlook': { opened: true },
  'diagnostics.record': { ok: true },
  'thread.people': { people: [{ email: 'priya.shah@northwind.example', name: 'Priya Shah' }] },
};

const clone = <T>(x: T): T => structuredClone(x);
type Answer = Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
const broken: [InboxMessage, string, (a: Answer) => void][] = [
  ['tasks.list', 'a contact address that is not one', (a) => (a.tasks[0].contact.email = 'nia at acme')],
  ['tasks.list', 'a task due before 1970', (a) => (a.tasks[0].task.dueAt = -1)],
  ['tasks.list', 'a fractional step index', (a) => (a.tasks[0].task.stepIndex = 1.5)],
  ['tasks.list', 'an unknown task type', (a) => (a.tasks[0].task.type = 'fax')],
  ['tasks.list', 'a field the task does not have', (a) => (a.tasks[0].task.colour = 'red')],
  ['tasks.list', 'a LinkedIn address that is not a URL', (a) => (a.tasks[0].contact.linkedinUrl = 'ada')],
  ['tasks.list', 'a custom field with a bad name', (a) => (a.tasks[0].contact.custom = { '1x': 'y' })],
  ['tasks.list', 'an unknown time zone', (a) => (a.tasks[0].contact.timeZone = 'Mars/Olympus')],
  ['tasks.first', 'a negative count', (a) => (a.counts.today = -1)],
  ['tasks.first', 'a missing count', (a) => delete a.counts.upcoming],
  ['thread.people', 'a person without an address', (a) => (a.people[0].email = 'Priya Shah')],
  ['thread.state', 'an unknown state', (a) => (a.participants[0].state = { kind: 'lost' })],
  ['thread.state', 'an unknown pause reason', (a) => (a.participants[1].state.reason = 'holiday')],
  ['enroll.options', 'a delay over a year', (a) => (a.sequences[0].steps[0].delay.value = 400)],
  [
    'enroll.options',
    'four A/B versions',
    (a) =>
      (a.sequences[0].steps[0].variants = [1, 2, 3, 4].map((i) => ({ id: `v${i}`, subject: '', body: '' }))),
  ],
  ['enroll.options', 'a rep without a time zone', (a) => delete a.rep.timeZone],
  ['enroll.submit', 'a rejection without its reason', (a) => delete a.rejected[0].reason],
  ['tasks.act', 'anything but ok', (a) => (a.ok = false)],
  ['sends.hold', 'an unknown reason', (a) => (a.hold.reason = 'tired')],
  ['sends.hold', 'a negative count of emails due', (a) => (a.hold.due = -1)],
];

describe('what the inbox UI receives, checked with zod/mini', () => {
  it('accepts and shapes every realistic answer exactly as the background’s own schema does', () => {
    for (const [name, answer] of Object.entries(answers) as [InboxMessage, unknown][]) {
      const classic = MESSAGES[name].response.safeParse(clone(answer));
      const mini = RECEIVED[name].safeParse(clone(answer));
      expect(classic.success, name).toBe(true);
      expect(mini.success, name).toBe(true);
      expect(mini.data, name).toEqual(classic.data);
    }
  });

  it('accepts every attention kind the domain lists (lib/domain/enrollment-reasons.ts), as the background does', () => {
    for (const kind of ATTENTION_KINDS) {
      const answer = clone(answers['attention.list']) as Answer;
      answer.items[0].kind = kind;
      expect(MESSAGES['attention.list'].response.safeParse(clone(answer)).success, kind).toBe(true);
      expect(RECEIVED['attention.list'].safeParse(clone(answer)).success, kind).toBe(true);
    }
  });

  it.each(broken)(
    'refuses %s answers with %s, naming the same field as the background’s schema',
    (name, _, breakIt) => {
      const answer = clone(answers[name]) as Answer;
      breakIt(answer);
      const classic = MESSAGES[name].response.safeParse(clone(answer));
      const mini = RECEIVED[name].safeParse(clone(answer));
      expect(classic.success).toBe(false);
      expect(mini.success).toBe(false);
      expect(mini.error!.issues.map((i) => i.path)).toEqual(classic.error!.issues.map((i) => i.path));
    },
  );
});

describe('ask', () => {
  const runtime = (reply: unknown) => ({
    id: 'ext',
    sent: [] as unknown[],
    async sendMessage(m: unknown) {
      this.sent.push(m);
      return reply;
    },
    onMessage: { addListener() {} },
  });

  it('sends the protocol envelope and returns the checked answer', async () => {
    const r = runtime({ ok: true, data: answers['tasks.first'] });
    const first = await ask(r, 'tasks.first', { limit: 2, timeZone: 'UTC' });
    expect(r.sent).toEqual([{ threadline: 1, name: 'tasks.first', request: { limit: 2, timeZone: 'UTC' } }]);
    expect(first.counts).toEqual({ overdue: 1, today: 3, upcoming: 0 });
  });

  it('throws the background’s error, and names the field of a bad answer', async () => {
    await expect(
      ask(runtime({ ok: false, error: 'no such task' }), 'tasks.act', {} as never),
    ).rejects.toThrow('no such task');
    await expect(ask(runtime('?'), 'tasks.list', {})).rejects.toThrow(
      'tasks.list: the background answered something unexpected',
    );
    const bad = clone(answers['tasks.list']) as Answer;
    bad.tasks[0].task.dueAt = 'soon';
    await expect(ask(runtime({ ok: true, data: bad }), 'tasks.list', {})).rejects.toThrow(
      /^tasks\.list: bad answer: tasks\.0\.task\.dueAt: /,
    );
  });
});
