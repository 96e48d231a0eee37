import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../contract/auth';
import { PlaybookSchema, type Playbook } from '../domain/playbook';
import { defaultPlaybook } from '../process';
import { addSequence, createTestRunner, emailStep, type TestRunner } from '../runner/testing';
import { dealsHandlers } from './deals';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const DAY = 86_400_000;
let t: TestRunner;
afterEach(() => t?.db.close());

function setup(role: Role = 'rep') {
  t = createTestRunner({ now: NOW });
  let queueChanges = 0;
  const judged: string[] = [];
  const h = dealsHandlers({
    db: t.db,
    runner: t.deps,
    now: () => t.clock.now,
    role: async () => role,
    queueChanged: () => void queueChanges++,
    tick: async () => undefined,
    judged: (dealId) => void judged.push(dealId),
  });
  return { h, queueChanges: () => queueChanges, judged };
}
const sender = {} as never;
const thread = (threadId = 'thread-1') => ({
  threadId,
  subject: 'Pricing for the Acme team',
  participants: [
    { email: 'rep@seller.example' },
    { email: 'kim@seller.example', name: 'Kim Colleague' },
    { email: 'ada@acme.example', name: 'Ada Lovelace' },
    { email: 'bo@acme.example', name: 'Bo Chen' },
  ],
});
const save = (t: TestRunner, edit: (p: Playbook) => void) => {
  const p = defaultPlaybook();
  edit(p);
  return t.db.playbooks.put(PlaybookSchema.parse(p));
};

describe('deals in the flow of work', () => {
  it('suggests a deal for a thread with the people outside the rep domain, then creates it in one click', async () => {
    const { h } = setup();
    const found = await h['deal.forThread'](thread(), sender);
    expect(found.view).toBeUndefined();
    expect(found.suggestion).toEqual({
      name: 'Acme',
      companyDomain: 'acme.example',
      people: [
        { email: 'ada@acme.example', name: 'Ada Lovelace' },
        { email: 'bo@acme.example', name: 'Bo Chen' },
      ],
    });
    const view = await h['deal.create'](thread(), sender);
    expect(view.deal).toMatchObject({
      name: 'Acme',
      companyDomain: 'acme.example',
      stageId: 'discovery',
      ownerId: 'rep@seller.example',
      threadIds: ['thread-1'],
    });
    expect(view.contacts.map((c) => [c.email, c.name])).toEqual([
      ['ada@acme.example', 'Ada Lovelace'],
      ['bo@acme.example', 'Bo Chen'],
    ]);
    expect(view.checklist.map((c) => [c.label, c.met])).toEqual([
      ['The pain is identified', false],
      ['The metrics are known', false],
      ['A champion is on the deal', false],
    ]);
    expect(view.nextStep).toMatchObject({
      kind: 'criterion',
      label: 'The pain is identified',
      factKey: 'pain',
    });
    // Another thread with the same company finds the same deal; a second click creates nothing new.
    expect((await h['deal.forThread'](thread('thread-2'), sender)).view?.deal.id).toBe(view.deal.id);
    await h['deal.create'](thread('thread-2'), sender);
    expect(await t.db.deals.count()).toBe(1);
    expect((await t.db.dealEvents.toArray()).map((e) => e.kind)).toEqual(['created']);
  });

  it('answers criteria inline: the checklist and the history follow', async () => {
    const { h } = setup();
    const { deal } = await h['deal.create'](thread(), sender);
    const v = await h['deal.answer'](
      { dealId: deal.id, factKey: 'pain', value: { type: 'text', value: 'Replies lost' } },
      sender,
    );
    expect(v.checklist[0]).toMatchObject({ met: true });
    expect(v.nextStep.label).toBe('The metrics are known');
    await expect(
      h['deal.answer']({ dealId: deal.id, factKey: 'pain', value: { type: 'number', value: 3 } }, sender),
    ).rejects.toThrow('takes a text answer');
    const history = await t.db.dealEvents
      .where('[dealId+at]')
      .between([deal.id, 0], [deal.id, Infinity])
      .toArray();
    expect(history.map((e) => e.kind)).toEqual(['created', 'fact_answered']);
  });

  it('warn gate: moves and records the skip; require gate: refuses naming the criteria, a manager overrides with a reason', async () => {
    const rep = setup();
    const { deal } = await rep.h['deal.create'](thread(), sender);
    const warned = await rep.h['deal.move']({ dealId: deal.id, toStageId: 'qualified' }, sender);
    expect(warned).toMatchObject({ moved: true, outcome: 'skipped' });
    expect(warned.unmet).toEqual([
      'The pain is identified',
      'The metrics are known',
      'A champion is on the deal',
    ]);
    expect((await t.db.dealEvents.toArray()).map((e) => e.kind).sort()).toEqual([
      'created',
      'criteria_skipped',
      'stage_changed',
    ]);

    await save(t, (p) => (p.gate = 'require'));
    const refused = await rep.h['deal.move']({ dealId: deal.id, toStageId: 'demo' }, sender);
    expect(refused).toMatchObject({
      moved: false,
      message: expect.stringContaining('Not yet: Budget is confirmed'),
    });
    expect((await t.db.deals.get(deal.id))?.stageId).toBe('qualified');
    const notManager = await rep.h['deal.move'](
      { dealId: deal.id, toStageId: 'demo', override: { reason: 'please' } },
      sender,
    );
    expect(notManager).toMatchObject({ moved: false, message: expect.stringContaining('only a manager') });

    const db = t.db;
    const manager = dealsHandlers({
      db,
      runner: t.deps,
      now: () => t.clock.now,
      role: async () => 'manager',
      queueChanged: () => {},
      tick: async () => undefined,
    });
    const over = await manager['deal.move'](
      { dealId: deal.id, toStageId: 'demo', override: { reason: 'Budget signed off by the CFO' } },
      sender,
    );
    expect(over).toMatchObject({ moved: true, outcome: 'override' });
    expect((await db.dealEvents.toArray()).find((e) => e.kind === 'override')?.data).toMatchObject({
      reason: 'Budget signed off by the CFO',
    });
  });

  it('entering Demo enrolls the contact who is the champion, through the engine, and records the run', async () => {
    const { h } = setup();
    const seq = await addSequence(t.db, { name: 'Demo follow-up', steps: [emailStep('a')] });
    await save(t, (p) => {
      const a = p.stages.find((s) => s.id === 'demo')!.automations[0]!;
      a.enabled = true;
      if (a.action.type === 'enroll') a.action.sequenceId = seq.id;
    });
    const { deal, contacts } = await h['deal.create'](thread(), sender);
    const bo = contacts.find((c) => c.email === 'bo@acme.example')!;
    await h['deal.setRole']({ dealId: deal.id, contactId: bo.contactId, role: 'champion' }, sender);
    await h['deal.move']({ dealId: deal.id, toStageId: 'demo' }, sender);
    const enrollments = await t.db.enrollments.toArray();
    expect(enrollments.map((e) => [e.contactId, e.sequenceId, e.status])).toEqual([
      [bo.contactId, seq.id, 'active'],
    ]);
    const run = (await t.db.dealEvents.toArray()).find((e) => e.kind === 'automation_ran');
    expect(run?.data).toMatchObject({
      automationId: 'demo-enter-enroll',
      outcome: 'enrolled',
      contactId: bo.contactId,
    });
  });

  it('fix-it items: one per flagged deal, gone by themselves when the flag clears; the flag history records both', async () => {
    const { h } = setup();
    const { deal } = await h['deal.create'](thread(), sender);
    expect((await h['deals.fixits']({}, sender)).items).toEqual([]);
    // Three weeks later with nothing done: gone quiet (error) and no next step (warning), one item.
    t.clock.now += 21 * DAY;
    const { items } = await h['deals.fixits']({}, sender);
    expect(items).toMatchObject([
      {
        dealId: deal.id,
        severity: 'error',
        message: 'No email, reply, task or meeting in 14 days',
        nextStep: 'Call to re-engage',
      },
    ]);
    // The rep follows the next step: a call lands in the queue; the deal is no longer without a next step.
    const done = await h['deal.runNextStep']({ dealId: deal.id }, sender);
    expect(done.done).toBe('Call "Re-engage: call" added to the queue');
    const task = (await t.db.tasks.toArray())[0]!;
    expect(task).toMatchObject({ type: 'call', status: 'open', title: 'Re-engage: call' });
    // The call is made: the activity clears the flag and the fix-it leaves the queue.
    await t.db.events.add({ id: 'e-meet', at: t.clock.now, type: 'meeting_booked', enrollmentId: 'x' });
    await t.db.enrollments.add({
      id: 'x',
      sequenceId: 's',
      contactId: deal.contacts[0]!.contactId,
      mailbox: 'rep@seller.example',
      status: 'finished',
      enrolledAt: 0,
      stepIndex: 1,
      edits: {},
      messageIds: [],
      failures: 0,
      version: 0,
    } as never);
    expect((await h['deals.fixits']({}, sender)).items).toEqual([]);
    const flags = await t.db.dealFlags.toArray();
    expect(flags.find((f) => f.ruleId === 'stale-14-days')).toMatchObject({
      raisedAt: NOW + 21 * DAY,
      clearedAt: NOW + 21 * DAY,
    });
  });

  it('fix-its judge again only the deals whose inputs changed, and an item still leaves when its flags clear', async () => {
    const { h, judged } = setup();
    const acme = (await h['deal.create'](thread(), sender)).deal;
    const globex = (
      await h['deal.create'](
        {
          threadId: 'thread-2',
          subject: 'Globex pilot',
          participants: [{ email: 'rep@seller.example' }, { email: 'hank@globex.example', name: 'Hank' }],
        },
        sender,
      )
    ).deal;
    t.clock.now += 21 * DAY;
    const first = await h['deals.fixits']({}, sender);
    expect(first.items.map((i) => i.dealId).sort()).toEqual([acme.id, globex.id].sort());
    expect([...judged].sort()).toEqual([acme.id, globex.id].sort());

    // Nothing changed (same hour): nobody is judged again, the same items come back.
    judged.length = 0;
    t.clock.now += 60_000;
    expect((await h['deals.fixits']({}, sender)).items).toEqual(first.items);
    expect(judged).toEqual([]);

    // Acme's contact books a meeting: only Acme is judged again, and its item leaves the queue by itself.
    await t.db.enrollments.add({
      id: 'x',
      sequenceId: 's',
      contactId: acme.contacts[0]!.contactId,
      mailbox: 'rep@seller.example',
      status: 'finished',
      enrolledAt: 0,
      stepIndex: 1,
      edits: {},
      messageIds: [],
      failures: 0,
      version: 0,
    } as never);
    await t.db.events.add({ id: 'e-meet', at: t.clock.now, type: 'meeting_booked', enrollmentId: 'x' });
    // ... and has its follow-up in the queue (a deal task), so the deal has a next step again.
    await t.db.tasks.add({
      id: `deal:${acme.id}:follow-up`,
      enrollmentId: `deal:${acme.id}`,
      sequenceId: `deal:${acme.id}`,
      contactId: acme.contacts[0]!.contactId,
      stepId: 'follow-up',
      stepIndex: 0,
      type: 'todo',
      title: 'Send the notes',
      notes: '',
      priority: 'medium',
      createdAt: t.clock.now,
      dueAt: t.clock.now + DAY,
      blocking: false,
      status: 'open',
    });
    const after = await h['deals.fixits']({}, sender);
    expect(judged).toEqual([acme.id]);
    expect(after.items.map((i) => i.dealId)).toEqual([globex.id]);
    expect(
      (await t.db.dealFlags.toArray()).find((f) => f.dealId === acme.id && f.ruleId === 'stale-14-days'),
    ).toMatchObject({ clearedAt: t.clock.now });

    // An answer changes Globex itself: judged again; Acme, unchanged, is not.
    judged.length = 0;
    await h['deal.answer'](
      { dealId: globex.id, factKey: 'pain', value: { type: 'text', value: 'Slow hiring' } },
      sender,
    );
    await h['deals.fixits']({}, sender);
    expect(judged).toEqual([globex.id]);

    // A later hour: time alone may raise or clear a flag, so every deal is judged again.
    judged.length = 0;
    t.clock.now += 3_600_000;
    await h['deals.fixits']({}, sender);
    expect([...judged].sort()).toEqual([acme.id, globex.id].sort());
  });

  it('a recap opens a reply rendered for the first contact', async () => {
    const { h } = setup();
    const { deal } = await h['deal.create'](thread(), sender);
    for (const [factKey, value] of [
      ['pain', 'Replies lost'],
      ['metrics', '2 h a day'],
    ] as const)
      await h['deal.answer']({ dealId: deal.id, factKey, value: { type: 'text', value } }, sender);
    const v = await h['deal.setRole'](
      { dealId: deal.id, contactId: deal.contacts[0]!.contactId, role: 'champion' },
      sender,
    );
    expect(v.nextStep).toMatchObject({ kind: 'action', actionType: 'meeting' });
    const r = await h['deal.runNextStep']({ dealId: deal.id }, sender);
    expect(r.reply?.body).toContain('Hi Ada,');
    // The thread the deal was made from: the queue's fix-it opens its new message "Re:" it.
    expect(r.reply?.threadSubject).toBe('Pricing for the Acme team');
    expect(r.view.nextStep).toMatchObject({ kind: 'action', actionType: 'recap' });
  });
});
