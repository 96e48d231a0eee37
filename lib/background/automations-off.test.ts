import { afterEach, describe, expect, it } from 'vitest';
import { PlaybookSchema } from '../domain/playbook';
import { createAutomationsPort } from '../options-ports/automation-switch';
import { ALL_AUTOMATIONS, AUTOMATIONS_OFF_KEY, defaultPlaybook } from '../process';
import { addSequence, createTestRunner, emailStep, type TestRunner } from '../runner/testing';
import { dealsHandlers } from './deals';

/**
 * The rep's automation switch, as the Playbooks tab writes it (lib/options-ports/automation-switch.ts), read on
 * the background's handler path: a stage's entry automation does not enroll anyone while it is off (one, or
 * all), the skipped run is on the deal's history, and it enrolls again once back on.
 */
const NOW = Date.parse('2026-12-07T10:00:00Z');
let t: TestRunner;
afterEach(() => t?.db.close());
const sender = {} as never;

async function setup() {
  t = createTestRunner({ now: NOW });
  const h = dealsHandlers({
    db: t.db,
    runner: t.deps,
    now: () => t.clock.now,
    role: async () => 'rep',
    queueChanged: () => undefined,
    tick: async () => undefined,
  });
  const seq = await addSequence(t.db, { name: 'Demo follow-up', steps: [emailStep('a')] });
  const p = defaultPlaybook();
  const a = p.stages.find((s) => s.id === 'demo')!.automations[0]!;
  a.enabled = true;
  if (a.action.type === 'enroll') a.action.sequenceId = seq.id;
  await t.db.playbooks.put(PlaybookSchema.parse(p));
  return { h, seq, port: createAutomationsPort(t.db) };
}

/** A deal for `company` with its champion, moved into Demo; what the automation did. */
async function enterDemo(h: Awaited<ReturnType<typeof setup>>['h'], company: string) {
  const view = await h['deal.create'](
    {
      threadId: `thread-${company}`,
      subject: 'Pricing',
      participants: [
        { email: 'rep@seller.example' },
        { email: `ada@${company}.example`, name: 'Ada Lovelace' },
      ],
    },
    sender,
  );
  const ada = view.contacts[0]!;
  await h['deal.setRole']({ dealId: view.deal.id, contactId: ada.contactId, role: 'champion' }, sender);
  await h['deal.move']({ dealId: view.deal.id, toStageId: 'demo' }, sender);
  const runs = (await t.db.dealEvents.toArray()).filter(
    (e) => e.dealId === view.deal.id && e.kind === 'automation_ran',
  );
  const enrolled = (await t.db.enrollments.toArray()).filter((e) => e.contactId === ada.contactId);
  return { runs: runs.map((r) => r.data), enrolled };
}

describe('the rep’s automation switch on the handler path', () => {
  it('a damaged meta row keeps its named automations off on the background path, and the page reads the same', async () => {
    const { h, port } = await setup();
    await t.db.meta.put({ key: AUTOMATIONS_OFF_KEY, value: [7, 'demo-enter-enroll', null] });
    expect(await port.turnedOff()).toEqual(['demo-enter-enroll']);
    const off = await enterDemo(h, 'acme');
    expect(off.enrolled).toEqual([]);
    expect(off.runs).toMatchObject([{ automationId: 'demo-enter-enroll', outcome: 'turned_off' }]);
  });

  it('one automation off: entering Demo enrolls nobody and records the skip; back on, it enrolls', async () => {
    const { h, port } = await setup();
    await port.setOff('demo-enter-enroll', true);
    const off = await enterDemo(h, 'acme');
    expect(off.enrolled).toEqual([]);
    expect(off.runs).toMatchObject([{ automationId: 'demo-enter-enroll', outcome: 'turned_off' }]);

    await port.setOff('demo-enter-enroll', false);
    const on = await enterDemo(h, 'globex');
    expect(on.enrolled.map((e) => e.status)).toEqual(['active']);
    expect(on.runs).toMatchObject([{ automationId: 'demo-enter-enroll', outcome: 'enrolled' }]);
  });

  it('all paused: no automation acts on the rep’s deals, whatever its id', async () => {
    const { h, port } = await setup();
    await port.setOff(ALL_AUTOMATIONS, true);
    const off = await enterDemo(h, 'initech');
    expect(off.enrolled).toEqual([]);
    expect(off.runs).toMatchObject([{ automationId: 'demo-enter-enroll', outcome: 'turned_off' }]);
  });
});
