import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createAutomationsPort } from '@/lib/options-ports/automation-switch';
import { createPlaybooksPort } from '@/lib/options-ports/deals';
import { ALL_AUTOMATIONS, AUTOMATIONS_OFF_KEY } from '@/lib/process/automations';
import { addSequence, createTestRunner, emailStep, type TestRunner } from '@/lib/runner/testing';
import { PlaybooksEditor } from './playbooks-editor';

const NOW = Date.parse('2026-12-07T10:00:00Z');
/** The whole editor over the default playbook re-renders on each change: slow in happy-dom on a shared machine. */
const SLOW = 90_000;
let t: TestRunner;
afterEach(() => {
  cleanup();
  t?.db.close();
});

async function open(role: 'manager' | 'rep') {
  t = createTestRunner({ now: NOW });
  const seq = await addSequence(t.db, { name: 'Demo follow-up', steps: [emailStep('a')] });
  render(
    <PlaybooksEditor
      port={createPlaybooksPort({ db: t.db, role: async () => role })}
      automations={createAutomationsPort(t.db)}
      now={() => NOW}
    />,
  );
  const demo = await screen.findByTestId('stage-demo');
  // The rep's sequences are offered once loaded.
  await waitFor(() =>
    expect(within(demo).getAllByRole('option', { name: 'Demo follow-up' }).length).toBeGreaterThan(0),
  );
  return { demo, seq };
}

const save = async () => {
  fireEvent.click(screen.getByRole('button', { name: 'Save playbook' }));
  await waitFor(() => expect(document.body.textContent).toMatch(/Saved B2B/), { timeout: 5000 });
  return (await t.db.playbooks.toArray())[0]!;
};

describe('the stage editor', () => {
  it(
    'edits a stage’s goal, criteria, actions, cards and automations, and saves them',
    async () => {
      const { demo, seq } = await open('manager');
      const stage = within(demo);
      fireEvent.change(stage.getByLabelText('Goal'), { target: { value: 'Show the product to the buyers' } });

      // An exit criterion as built conditions: a decision maker is on the deal.
      fireEvent.click(stage.getByRole('button', { name: 'Add an exit criterion to Demo' }));
      const criteria = stage.getAllByLabelText('Must hold');
      const added = criteria.at(-1)!;
      fireEvent.change(added, { target: { value: '' } });
      const builder = stage.getByRole('group', { name: /^Conditions of / });
      fireEvent.change(within(builder).getByLabelText('Operator'), {
        target: { value: 'contact_with_role' },
      });

      // A recommended action: enroll the champion in one of the rep's sequences.
      fireEvent.click(stage.getByRole('button', { name: 'Add a recommended action to Demo' }));
      const action = stage.getAllByTestId(/^action-/).at(-1)!;
      fireEvent.change(within(action).getByLabelText('Action'), { target: { value: 'Enroll the champion' } });
      fireEvent.change(within(action).getByLabelText('Does'), { target: { value: 'enroll' } });
      fireEvent.change(within(action).getByLabelText('Sequence'), { target: { value: seq.id } });

      // A card whose markdown renders sanitised, with a question that writes a fact.
      fireEvent.click(stage.getByRole('button', { name: 'Add a card to Demo' }));
      const card = stage.getAllByTestId(/^card-(?!preview)/).at(-1)!;
      fireEvent.change(within(card).getByLabelText('Guidance (markdown)'), {
        target: { value: '**Ask** who *signs*\n\n- budget\n- timing' },
      });
      const preview = within(card).getByTestId('card-preview');
      expect(preview.querySelector('strong')?.textContent).toBe('Ask');
      expect([...preview.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['budget', 'timing']);
      fireEvent.click(within(card).getByRole('button', { name: 'Add a question to New card' }));
      fireEvent.change(within(card).getByLabelText('Question'), { target: { value: 'Who decides?' } });
      fireEvent.change(within(card).getByLabelText('Writes the fact'), {
        target: { value: 'decision_process' },
      });

      // An automation on a rule's flag: create a call.
      fireEvent.click(stage.getByRole('button', { name: 'Add an automation to Demo' }));
      const auto = stage.getByTestId('automation-demo_automation');
      fireEvent.change(within(auto).getByLabelText('When'), { target: { value: 'flag:stale-14-days' } });
      fireEvent.change(within(auto).getByLabelText('Does'), { target: { value: 'task' } });
      fireEvent.change(within(auto).getByLabelText('Task'), { target: { value: 'call' } });
      fireEvent.change(within(auto).getByLabelText('Title'), { target: { value: 'Call the champion' } });
      expect(within(auto).getByTestId('automation-state').textContent).toBe('Runs on your deals.');

      const saved = (await save()).stages.find((s) => s.id === 'demo')!;
      expect(saved.goal).toBe('Show the product to the buyers');
      expect(saved.exitCriteria.at(-1)).toMatchObject({
        when: { op: 'and', conditions: [{ type: 'contact_with_role', role: 'decision_maker' }] },
      });
      expect(saved.exitCriteria.at(-1)?.factKey).toBeUndefined();
      expect(saved.actions.at(-1)).toMatchObject({
        type: 'enroll',
        label: 'Enroll the champion',
        role: 'champion',
        sequenceId: seq.id,
      });
      expect(saved.cards.at(-1)).toMatchObject({
        markdown: '**Ask** who *signs*\n\n- budget\n- timing',
        questions: [{ factKey: 'decision_process', prompt: 'Who decides?' }],
      });
      expect(saved.automations.at(-1)).toEqual({
        id: 'demo_automation',
        label: 'On entering Demo',
        trigger: { on: 'flag', ruleId: 'stale-14-days' },
        action: { type: 'task', taskType: 'call', title: 'Call the champion', dueInDays: 1 },
        enabled: true,
      });
    },
    SLOW,
  );

  it(
    'refuses to save a rule whose value is not of its type, naming the rule and the condition',
    async () => {
      await open('manager');
      const rule = screen.getByTestId('rule-stuck-30-days');
      const row = within(rule).getByRole('group', { name: 'Condition 1' });
      fireEvent.change(within(row).getByLabelText('Subject'), { target: { value: 'fact:demo_attendees' } });
      fireEvent.change(within(row).getByLabelText('Value'), { target: { value: '' } });
      expect(within(row).getByTestId('condition-problem').textContent).toBe('value: a number is needed');
      fireEvent.click(screen.getByRole('button', { name: 'Save playbook' }));
      expect((await screen.findByRole('alert')).textContent).toBe(
        'rule "Stuck in stage", condition 1: value: a number is needed',
      );
      expect(await t.db.playbooks.count()).toBe(0);
    },
    SLOW,
  );
});

describe('the JSON view of a rule', () => {
  it(
    'round-trips to the builder; JSON that is no group stays in the JSON view, said so',
    async () => {
      await open('manager');
      const rule = within(screen.getByTestId('rule-stuck-30-days'));
      fireEvent.click(rule.getByRole('button', { name: 'Edit Stuck in stage as JSON' }));
      const json = rule.getByRole('textbox', { name: 'Conditions of Stuck in stage' });
      fireEvent.change(json, { target: { value: '{"op":"or","conditions":[{"type":"no_open_task"}]}' } });
      fireEvent.click(rule.getByRole('button', { name: 'Edit Stuck in stage as JSON' }));
      const row = within(rule.getByRole('group', { name: 'Condition 1' }));
      expect((row.getByLabelText('Subject') as HTMLSelectElement).value).toBe('no_open_task');
      expect((rule.getByLabelText('Match') as HTMLSelectElement).value).toBe('or');

      fireEvent.click(rule.getByRole('button', { name: 'Edit Stuck in stage as JSON' }));
      fireEvent.change(rule.getByRole('textbox', { name: 'Conditions of Stuck in stage' }), {
        target: { value: '{"op":"and"}' },
      });
      fireEvent.click(rule.getByRole('button', { name: 'Edit Stuck in stage as JSON' }));
      expect(rule.getByTestId('rule-json-only')).toBeTruthy();
      expect(rule.getByRole('textbox', { name: 'Conditions of Stuck in stage' })).toBeTruthy();
      expect(screen.getByTestId('playbook-invalid').textContent).toContain('playbook.rules.');
    },
    SLOW,
  );
});

describe('the rep’s automation switch', () => {
  it(
    'a rep (who cannot edit the playbook) turns one automation or all off for their deals, and back on',
    async () => {
      await open('rep');
      const proposal = screen.getByTestId('stage-proposal');
      expect((screen.getByRole('button', { name: 'Save playbook' }) as HTMLButtonElement).disabled).toBe(
        true,
      );
      const section = within(screen.getByRole('region', { name: 'Automations on your deals' }));
      expect(screen.getByTestId('automations-state').textContent).toBe('Automations run on your deals.');
      const one = section.getByRole('checkbox', { name: 'Proposal: Follow up on the proposal in 3 days' });
      expect((one as HTMLInputElement).disabled).toBe(false);

      fireEvent.click(one);
      await waitFor(() =>
        expect(screen.getByTestId('automations-state').textContent).toBe(
          '1 automation turned off on your deals.',
        ),
      );
      expect((await t.db.meta.get(AUTOMATIONS_OFF_KEY))?.value).toEqual(['proposal-enter-task']);
      // The stage shows it, where the automation is described.
      const state = () =>
        within(within(proposal).getByTestId('automation-proposal-enter-task')).getByTestId('automation-state')
          .textContent;
      expect(state()).toBe('Turned off for your deals (see “Automations on your deals”).');

      fireEvent.click(section.getByRole('checkbox', { name: 'Pause every automation on my deals' }));
      await waitFor(() =>
        expect(screen.getByTestId('automations-state').textContent).toBe(
          'Every automation is paused on your deals.',
        ),
      );
      expect((await t.db.meta.get(AUTOMATIONS_OFF_KEY))?.value).toEqual([
        ALL_AUTOMATIONS,
        'proposal-enter-task',
      ]);
      expect((one as HTMLInputElement).disabled).toBe(true);

      fireEvent.click(section.getByRole('checkbox', { name: 'Pause every automation on my deals' }));
      await waitFor(() =>
        expect(screen.getByTestId('automations-state').textContent).toBe(
          '1 automation turned off on your deals.',
        ),
      );
      fireEvent.click(one);
      await waitFor(() =>
        expect(screen.getByTestId('automations-state').textContent).toBe('Automations run on your deals.'),
      );
      expect((await t.db.meta.get(AUTOMATIONS_OFF_KEY))?.value).toEqual([]);
      expect(state()).toBe('Runs on your deals.');
    },
    SLOW,
  );
});
