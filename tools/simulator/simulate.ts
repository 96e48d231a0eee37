import 'fake-indexeddb/auto';
import { htmlToText } from '../../lib/templates/text';
import { ThreadlineDb } from '../../lib/db/database';
import { parseOrThrow } from '../../lib/domain/common';
import type { Event } from '../../lib/domain/event';
import { SequenceSchema, StepSchema } from '../../lib/domain/sequence';
import { createFakeMailProvider, type FakeMailProvider } from '../../lib/mail/fake';
import { createGmailProvider } from '../../lib/mail/gmail/provider';
import type { MailProvider } from '../../lib/mail/provider';
import { watchMailbox } from '../../lib/runner/reply-watcher';
import { startSandbox } from '../sandbox/server';
import { inboundFor } from './inbound';
import {
  applyContactSignal,
  enrollContacts,
  finishTask,
  pauseEnrollment,
  rearm,
  resumeEnrollment,
  tick,
  unenrollEnrollment,
  type RunnerDeps,
} from '../../lib/runner';
import { ScenarioSchema, type Scenario } from './scenario';

export interface SimLine {
  at: string;
  action: 'send' | 'task_due' | 'paused' | 'resumed' | 'unenrolled' | 'finished';
  contact: string;
  step: number;
  subject?: string;
  thread?: string;
  reason?: string;
  until?: string;
}

export interface SimResult {
  lines: SimLine[];
  /** Message-IDs of every email the mailbox sent, in order (a step sent twice would show twice). */
  sentMessageIds: string[];
  db: ThreadlineDb;
}

export interface SimOptions {
  /**
   * 'fake' (default): an in-memory mailbox, and contact events go straight to the engine.
   * 'sandbox': the mail sandbox over real HTTP with the real Gmail provider; contact events become real inbound
   * messages (a reply, an out-of-office, a DSN, a calendar invitation...) that the reply watcher classifies.
   */
  mail?: 'fake' | 'sandbox';
}

const MAX_ITERATIONS = 1_000_000;
let dbCounter = 0;

/**
 * Runs the real engine and runner on a virtual clock: the same Dexie database (on fake-indexeddb), the same
 * tick, the same alarm re-arming, with a fake mailbox. The alarm fires exactly when it was set for, unless
 * the browser is closed, in which case nothing runs until it opens again (the catch-up rule then applies).
 */
export async function simulate(input: unknown, options: SimOptions = {}): Promise<SimResult> {
  const scenario: Scenario = parseOrThrow(ScenarioSchema, input, 'scenario');
  let now = Date.parse(scenario.start);
  const until = Date.parse(scenario.until);
  let alarmAt: number | undefined;
  let ids = 0;
  const db = new ThreadlineDb(`threadline-sim-${process.pid}-${dbCounter++}`);
  const fake: FakeMailProvider = createFakeMailProvider({ mailbox: scenario.rep.email, clock: () => now });
  const sandbox = options.mail === 'sandbox' ? await startSandbox({ port: 0, now: () => now }) : undefined;
  sandbox?.addMailbox(scenario.rep.email, 'gmail');
  const mail: MailProvider = sandbox
    ? createGmailProvider({
        mailbox: scenario.rep.email,
        baseUrl: sandbox.gmailBase,
        getAccessToken: async () => sandbox.tokenFor(scenario.rep.email),
        fetch: globalThis.fetch,
        clock: () => now,
        sleep: async () => {},
      })
    : fake;
  const emailOf = new Map<string, string>();
  const lines: SimLine[] = [];
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

  const onEvent = (e: Event) => {
    const contact = emailOf.get(e.contactId ?? '') ?? '';
    const step = (e.stepIndex ?? 0) + 1;
    const base = { at: iso(e.at), contact, step };
    switch (e.type) {
      case 'sent':
        lines.push({
          ...base,
          action: 'send',
          subject: String(e.data?.subject ?? ''),
          thread: String(e.data?.threadId ?? ''),
        });
        break;
      case 'task_created':
        lines.push({ ...base, action: 'task_due', subject: undefined });
        break;
      case 'paused':
        lines.push({
          ...base,
          action: 'paused',
          reason: String(e.reason),
          ...(typeof e.data?.until === 'number' ? { until: iso(e.data.until) } : {}),
        });
        break;
      case 'resumed':
        lines.push({ ...base, action: 'resumed', ...(e.reason ? { reason: String(e.reason) } : {}) });
        break;
      case 'unenrolled':
        lines.push({ ...base, action: 'unenrolled', reason: String(e.reason) });
        break;
      case 'finished':
        lines.push({ ...base, action: 'finished' });
        break;
    }
  };

  const deps: RunnerDeps = {
    db,
    clock: { now: () => now },
    alarm: {
      set: async (when) => void (alarmAt = when),
      clear: async () => void (alarmAt = undefined),
    },
    mailFor: (mailbox) => (mailbox === scenario.rep.email ? mail : undefined),
    rep: async () => scenario.rep,
    teamHolidays: async () => scenario.teamHolidays ?? [],
    onEvent,
    newId: () => `id${++ids}`,
    htmlToText,
  };
  if (sandbox) deps.checkReplies = (mailbox) => watchMailbox(deps, mailbox).then(() => undefined);
  if (sandbox)
    await db.meta.put({
      key: `watch-cursor:${scenario.rep.email}`,
      value: (await mail.changesSince(undefined)).cursor,
    });

  const sequence = SequenceSchema.parse({
    id: 'seq-1',
    name: scenario.sequence.name,
    ownerId: scenario.rep.email,
    settings: scenario.sequence.settings,
    steps: scenario.sequence.steps.map((s, i) => StepSchema.parse({ id: `step-${i + 1}`, ...s })),
  });
  await db.sequences.put(sequence);

  type Happening =
    | { at: number; kind: 'enroll'; entry: Scenario['enroll'][number] }
    | { at: number; kind: 'event'; entry: Scenario['events'][number] };
  const happenings: Happening[] = [
    ...scenario.enroll.map((entry) => ({ at: Date.parse(entry.at), kind: 'enroll' as const, entry })),
    ...scenario.events.map((entry) => ({ at: Date.parse(entry.at), kind: 'event' as const, entry })),
  ].sort((a, b) => a.at - b.at); // stable: same instant keeps the file's order, enrollments first

  let open = true;
  let next = 0;
  for (let i = 0; ; i++) {
    if (i > MAX_ITERATIONS)
      throw new Error('The simulation did not settle: the runner keeps waking up at the same moment');
    const h = happenings[next];
    const alarm = open ? alarmAt : undefined;
    const t = Math.min(h?.at ?? Infinity, alarm ?? Infinity);
    if (t === Infinity || t > until) break;
    now = Math.max(now, t);
    if (h && h.at <= (alarm ?? Infinity)) {
      next++;
      const reopened = await happen(h, deps, sequence.id, emailOf, db, now);
      if (reopened === 'closed') open = false;
      if (reopened === 'opened') {
        open = true;
        await rearm(deps); // what the service worker does when it starts
      }
    } else {
      alarmAt = undefined;
      await tick(deps);
    }
  }
  const sentMessageIds = sandbox
    ? sandbox.sent(scenario.rep.email).map((m) => m.messageId)
    : fake.sent.map((m) => m.messageId);
  await sandbox?.stop();
  return { lines, sentMessageIds, db };

  async function happen(
    h: Happening,
    deps: RunnerDeps,
    sequenceId: string,
    emails: Map<string, string>,
    db: ThreadlineDb,
    at: number,
  ): Promise<'closed' | 'opened' | void> {
    if (h.kind === 'enroll') {
      const report = await enrollContacts(deps, {
        sequenceId,
        contacts: [h.entry.contact],
        startStep: h.entry.startStep ? h.entry.startStep - 1 : undefined,
        override: h.entry.override,
      });
      for (const r of report.enrolled) emails.set(r.contactId, r.email);
      for (const r of report.rejected)
        process.stderr.write(`enroll ${r.email ?? r.index} rejected: ${r.message}\n`);
      return;
    }
    const e = h.entry;
    if (e.type === 'browser_closed') return 'closed';
    if (e.type === 'browser_opened') return 'opened';
    if (!('contact' in e)) return;
    const contact = await db.contacts.where('email').equals(e.contact).first();
    const live = contact
      ? (await db.enrollments.where('contactId').equals(contact.id).toArray()).filter(
          (x) => x.status === 'active' || x.status === 'paused',
        )
      : [];
    if (
      sandbox &&
      ['reply', 'auto_reply', 'out_of_office', 'bounce', 'meeting_booked', 'unsubscribe'].includes(e.type)
    ) {
      // The contact's side answers with a real message; the watcher and the classifier take it from there.
      const last = live.find((x) => x.lastMessageId);
      const message = inboundFor(e.type, {
        contact: e.contact,
        rep: scenario.rep.email,
        lastMessageId: last?.lastMessageId,
        subject: last?.threadSubject ?? 'Hello',
        at,
        ...(e.returnDate ? { returnDate: e.returnDate } : {}),
      });
      if (message) await sandbox.inject(scenario.rep.email, message);
      await watchMailbox(deps, scenario.rep.email);
      return;
    }
    switch (e.type) {
      case 'reply':
        await applyContactSignal(deps, e.contact, { type: 'reply' }, at);
        return;
      case 'auto_reply':
        await applyContactSignal(deps, e.contact, { type: 'auto_reply' }, at);
        return;
      case 'out_of_office':
        await applyContactSignal(
          deps,
          e.contact,
          {
            type: 'out_of_office',
            returnAt: e.returnDate
              ? await returnMoment(e.returnDate, contact?.timeZone ?? scenario.rep.timeZone)
              : undefined,
          },
          at,
        );
        return;
      case 'bounce':
        await applyContactSignal(deps, e.contact, { type: 'bounce', permanent: e.permanent ?? true }, at);
        return;
      case 'meeting_booked':
        await applyContactSignal(deps, e.contact, { type: 'meeting_booked' }, at);
        return;
      case 'unsubscribe':
        await applyContactSignal(deps, e.contact, { type: 'unsubscribe' }, at);
        return;
      case 'complete_task':
      case 'skip_task': {
        const ids = new Set(live.map((x) => x.id));
        const task = (await db.tasks.where('status').equals('open').toArray())
          .filter((t) => ids.has(t.enrollmentId))
          .sort((a, b) => a.dueAt - b.dueAt)[0];
        if (!task) {
          process.stderr.write(`${iso(at)} ${e.type}: ${e.contact} has no open task\n`);
          return;
        }
        await finishTask(deps, task.id, e.type === 'complete_task' ? 'completed' : 'skipped', at);
        return;
      }
      case 'pause':
        for (const x of live) await pauseEnrollment(deps, x.id, at);
        return;
      case 'resume':
        for (const x of live) await resumeEnrollment(deps, x.id, at);
        return;
      case 'unenroll':
        for (const x of live) await unenrollEnrollment(deps, x.id, at, 'manual');
        return;
    }
  }
}

/** An out-of-office "back on YYYY-MM-DD" means the start of that day on the contact's clock. */
async function returnMoment(date: string, timeZone: string): Promise<number> {
  const { Temporal } = await import('temporal-polyfill');
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone }).epochMilliseconds;
}
