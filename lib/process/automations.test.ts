import { describe, expect, it } from 'vitest';
import type { Contact } from '../domain/contact';
import { DealEventSchema } from '../domain/deal';
import { SequenceSchema, type Sequence } from '../domain/sequence';
import { automationEvent, planAutomations, type AutomationWorld } from './automations';
import { defaultPlaybook } from './default-playbook';
import { deal, NOW } from './fixtures.test-helper';

const seq = (id: string, body = 'Hi {{contact.firstName}}'): Sequence =>
  SequenceSchema.parse({
    id,
    name: 'Demo follow-up',
    ownerId: 'rep@us.example',
    steps: [{ id: 's1', type: 'auto_email', delay: { value: 0, unit: 'days' }, subject: 'Demo', body }],
  });
const contact = (id: string, email: string, firstName?: string): Contact => ({
  id,
  email,
  ...(firstName && { firstName }),
  custom: {},
});

const playbook = defaultPlaybook();
for (const s of playbook.stages) for (const a of s.automations) a.enabled = true;

const world = (over: Partial<AutomationWorld> = {}): AutomationWorld => ({
  rep: { email: 'rep@us.example', timeZone: 'UTC' },
  contacts: new Map([
    ['c1', contact('c1', 'ada@acme.example', 'Ada')],
    ['c2', contact('c2', 'bo@acme.example', 'Bo')],
  ]),
  sequences: new Map([['demo-follow-up', seq('demo-follow-up')]]),
  liveEnrollments: new Map(),
  suppressed: new Set(),
  turnedOff: new Set(),
  ...over,
});
const inDemo = deal({
  stageId: 'demo',
  contacts: [
    { contactId: 'c2', role: 'economic_buyer' },
    { contactId: 'c1', role: 'champion' },
  ],
});
const enter = { on: 'enter', stageId: 'demo' } as const;

describe('stage automations', () => {
  it('entering Demo enrolls the contact who holds the champion role, and the run is recorded', () => {
    const [step] = planAutomations(inDemo, playbook, enter, world(), NOW);
    expect(step).toMatchObject({
      outcome: 'enrolled',
      contactId: 'c1',
      sequenceId: 'demo-follow-up',
      detail: 'Ada (champion) enrolled in Demo follow-up',
    });
    const event = automationEvent(inDemo, step!, enter, NOW);
    expect(DealEventSchema.parse(event)).toMatchObject({
      by: 'automation',
      data: { automationId: 'demo-enter-enroll', outcome: 'enrolled', contactId: 'c1' },
    });
  });

  it('never enrolls anyone the engine would refuse: already in a sequence, suppressed, missing a token, no role', () => {
    const busy = world({
      liveEnrollments: new Map([['c1', [{ sequenceId: 'other', status: 'active' as const }]]]),
    });
    expect(planAutomations(inDemo, playbook, enter, busy, NOW)[0]).toMatchObject({
      outcome: 'refused',
      detail: expect.stringContaining('already active in a sequence'),
    });
    const suppressed = world({ suppressed: new Set(['ada@acme.example']) });
    expect(planAutomations(inDemo, playbook, enter, suppressed, NOW)[0]).toMatchObject({
      outcome: 'refused',
      detail: expect.stringContaining('do-not-contact'),
    });
    const nameless = world({ contacts: new Map([['c1', contact('c1', 'ada@acme.example')]]) });
    expect(planAutomations(inDemo, playbook, enter, nameless, NOW)[0]).toMatchObject({
      outcome: 'refused',
      detail: expect.stringContaining('no value for {{contact.firstName}}'),
    });
    const noChampion = { ...inDemo, contacts: [{ contactId: 'c2', role: 'economic_buyer' as const }] };
    expect(planAutomations(noChampion, playbook, enter, world(), NOW)[0]).toMatchObject({
      outcome: 'refused',
      detail: 'no contact with the role champion to enroll in Demo follow-up',
    });
    expect(planAutomations(inDemo, playbook, enter, world({ sequences: new Map() }), NOW)[0]).toMatchObject({
      outcome: 'refused',
      detail: 'no sequence "demo-follow-up"',
    });
  });

  it('a rep can turn an automation off; one disabled in the playbook does not run at all', () => {
    expect(
      planAutomations(inDemo, playbook, enter, world({ turnedOff: new Set(['demo-enter-enroll']) }), NOW),
    ).toMatchObject([{ outcome: 'turned_off' }]);
    expect(planAutomations(inDemo, defaultPlaybook(), enter, world(), NOW)).toEqual([]);
  });

  it('entering Proposal creates a call due in 3 days; its flag automation queues the fix-it only on that rule', () => {
    const inProposal = { ...inDemo, stageId: 'proposal' };
    expect(
      planAutomations(inProposal, playbook, { on: 'enter', stageId: 'proposal' }, world(), NOW),
    ).toMatchObject([
      {
        outcome: 'task_created',
        taskType: 'call',
        title: 'Follow up on the proposal',
        dueAt: NOW + 3 * 86_400_000,
      },
    ]);
    expect(
      planAutomations(inProposal, playbook, { on: 'flag', ruleId: 'proposal-no-close-date' }, world(), NOW),
    ).toMatchObject([{ outcome: 'fix_it_queued' }]);
    expect(
      planAutomations(inProposal, playbook, { on: 'flag', ruleId: 'stale-14-days' }, world(), NOW),
    ).toEqual([]);
  });
});
