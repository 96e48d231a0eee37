import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_ACTIVITY } from './conditions';
import { defaultPlaybook } from './default-playbook';
import { evaluate, healthOf, plainFlag, SEVERITY_RANK } from './evaluate';
import { BUSY, CLOCK, daysAgo, deal } from './fixtures.test-helper';

const playbook = defaultPlaybook();

describe('evaluate', () => {
  it('flags a Proposal deal with no close date, gone quiet, most severe first, each with its reasons', () => {
    const d = deal({
      stageId: 'proposal',
      createdAt: daysAgo(40),
      contacts: [
        { contactId: 'c1', role: 'champion' },
        { contactId: 'c2', role: 'economic_buyer' },
        { contactId: 'c3', role: 'decision_maker' },
      ],
      amount: { value: 40_000, currency: 'EUR' },
      facts: { pain: { type: 'text', value: 'Lost replies' } },
    });
    const flags = evaluate(
      d,
      { last: { email: daysAgo(15), reply: daysAgo(25) }, activeSequences: 0, openTasks: 0 },
      playbook,
      CLOCK,
    );
    expect(flags.map((f) => [f.ruleId, f.severity])).toEqual([
      ['stale-14-days', 'error'],
      ['proposal-no-close-date', 'error'],
      ['no-next-step', 'warning'],
      ['no-reply-21-days', 'warning'],
    ]);
    expect(flags[0]?.because).toEqual([
      `no email, reply, task or meeting in 14 days (last on ${new Date(daysAgo(15)).toISOString().slice(0, 10)})`,
    ]);
    expect(flags[1]?.because).toEqual(['stage is Proposal', 'Close date is empty']);
    expect(healthOf(flags)).toBe('red');
  });

  it('applies a rule only in its stages and never to a closed deal', () => {
    const inDiscovery = deal({ stageId: 'discovery' });
    expect(evaluate(inDiscovery, BUSY, playbook, CLOCK).map((f) => f.ruleId)).not.toContain(
      'no-economic-buyer',
    );
    expect(evaluate(deal({ stageId: 'demo' }), BUSY, playbook, CLOCK).map((f) => f.ruleId)).toContain(
      'no-economic-buyer',
    );
    expect(evaluate(deal({ stageId: 'won', status: 'won' }), NO_ACTIVITY, playbook, CLOCK)).toEqual([]);
  });

  it('leaves out a rule the playbook turned off', () => {
    const edited = defaultPlaybook();
    for (const r of edited.rules) r.enabled = r.id !== 'no-next-step';
    const old = deal({ createdAt: daysAgo(20) });
    expect(evaluate(old, NO_ACTIVITY, edited, CLOCK).map((f) => f.ruleId)).toEqual(['stale-14-days']);
  });

  it('crosses a message boundary as a plain object with its reasons', () => {
    const [flag] = evaluate(deal({ stageId: 'proposal' }), BUSY, playbook, CLOCK);
    const sent = JSON.parse(JSON.stringify(flag)) as Record<string, unknown>;
    expect(sent).toMatchObject({
      ruleId: 'no-economic-buyer',
      severity: 'error',
      because: ['no contact with the role economic buyer'],
    });
    expect(structuredClone(plainFlag(flag!))).toEqual(sent);
  });

  it('a healthy Discovery deal is green', () => {
    expect(healthOf(evaluate(deal(), BUSY, playbook, CLOCK))).toBe('green');
  });

  it('is deterministic, sorted by severity, and every flag explains itself', () => {
    const stage = fc.constantFrom(...playbook.stages.filter((s) => s.kind === 'open').map((s) => s.id));
    const role = fc.constantFrom('champion', 'decision_maker', 'economic_buyer', 'user', 'other' as const);
    const day = fc.integer({ min: 0, max: 60 });
    fc.assert(
      fc.property(
        stage,
        fc.array(role, { maxLength: 3 }),
        day,
        day,
        fc.nat(2),
        fc.nat(2),
        fc.boolean(),
        (stageId, roles, quiet, inStage, seqs, tasks, withClose) => {
          const d = deal({
            stageId,
            stageEnteredAt: daysAgo(inStage),
            contacts: roles.map((r, i) => ({ contactId: `c${i}`, role: r })),
            ...(withClose && { closeDate: '2026-12-01' }),
          });
          const activity = { last: { email: daysAgo(quiet) }, activeSequences: seqs, openTasks: tasks };
          const a = evaluate(d, activity, playbook, CLOCK);
          expect(evaluate(d, activity, playbook, CLOCK)).toEqual(a);
          for (const f of a) expect(f.because.length).toBeGreaterThan(0);
          const ranks = a.map((f) => SEVERITY_RANK[f.severity]);
          expect([...ranks].sort((x, y) => x - y)).toEqual(ranks);
        },
      ),
      { numRuns: 200 },
    );
  });
});
