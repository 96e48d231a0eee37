import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Deal } from '@/lib/domain/deal';
import { ConditionGroupSchema, PlaybookSchema, type ConditionGroup } from '@/lib/domain/playbook';
import { clockAt, DAY_MS } from '@/lib/process/clock';
import { groupHolds } from '@/lib/process/conditions';
import { defaultPlaybook } from '@/lib/process/default-playbook';
import { RuleBuilder } from './rule-builder';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const playbook = defaultPlaybook();
const stages = playbook.stages.map((s) => ({ id: s.id, name: s.name }));
afterEach(cleanup);

/** The builder over a group held in state, as the editor holds it; `latest` is what the editor would save. */
function mount(start: ConditionGroup) {
  const out: { latest: ConditionGroup } = { latest: start };
  function Harness() {
    const [group, setGroup] = useState(start);
    return (
      <RuleBuilder
        group={group}
        label="Conditions of Test rule"
        facts={playbook.facts}
        stages={stages}
        onChange={(g) => {
          out.latest = g;
          setGroup(g);
        }}
      />
    );
  }
  render(<Harness />);
  return out;
}

const row = (n: string) => screen.getByRole('group', { name: `Condition ${n}` });
const pick = (n: string, label: string, value: string) =>
  fireEvent.change(within(row(n)).getByLabelText(label), { target: { value } });
const type = (n: string, label: string, value: string) =>
  fireEvent.change(within(row(n)).getByLabelText(label), { target: { value } });
const tick = (n: string, label: string) =>
  fireEvent.click(within(row(n)).getByRole('checkbox', { name: label }));
const options = (n: string, label: string) =>
  [...(within(row(n)).getByLabelText(label) as HTMLSelectElement).options].map((o) => o.textContent);
const addCondition = () => fireEvent.click(screen.getAllByRole('button', { name: 'Add a condition' })[0]!);

const START: ConditionGroup = {
  op: 'and',
  conditions: [{ type: 'field', field: 'close_date', op: 'empty' }],
};

function deal(over: Partial<Deal>): Deal {
  return {
    id: 'd',
    name: 'Acme',
    ownerId: 'rep@seller.example',
    pipelineId: 'b2b',
    stageId: 'discovery',
    stageEnteredAt: NOW - 40 * DAY_MS,
    contacts: [],
    facts: {},
    threadIds: [],
    status: 'open',
    createdAt: NOW - 40 * DAY_MS,
    updatedAt: NOW - 40 * DAY_MS,
    ...over,
  };
}

describe('the visual rule builder', () => {
  it('builds every condition kind lib/process evaluates, with typed values, into the rule’s JSON', () => {
    const built = mount(START);
    // 1: a money fact, compared within its currency.
    pick('1', 'Subject', 'fact:budget');
    pick('1', 'Operator', 'gte');
    type('1', 'Amount', '5000');
    type('1', 'Currency', 'usd');
    // 2: a date fact, "more than N days ago".
    addCondition();
    pick('2', 'Subject', 'fact:decision_date');
    expect(options('2', 'Operator')).toContain('was more than N days ago');
    expect(options('2', 'Operator')).toContain('is before');
    type('2', 'Days', '30');
    // 3: a choice fact, "is one of" its choices.
    addCondition();
    pick('3', 'Subject', 'fact:competition');
    tick('3', 'incumbent');
    tick('3', 'none');
    // 4: contacts by role.
    addCondition();
    pick('4', 'Subject', 'role');
    pick('4', 'Role', 'economic_buyer');
    // 5: activity recency: no email, reply or task in 21 days (meetings not counted).
    addCondition();
    pick('5', 'Subject', 'activity');
    tick('5', 'meeting');
    type('5', 'In the last (days)', '21');
    // 6, 7: no active sequence, no open task.
    addCondition();
    pick('6', 'Subject', 'no_active_sequence');
    addCondition();
    pick('7', 'Subject', 'no_open_task');
    // 8: the stage is Proposal.
    addCondition();
    pick('8', 'Subject', 'stage');
    tick('8', 'Proposal');
    tick('8', 'Discovery');
    // 9: an instant field takes only "days ago" comparisons (nothing else can hold for it).
    addCondition();
    pick('9', 'Subject', 'field:created_at');
    expect(options('9', 'Operator')).toEqual(['was more than N days ago', 'was less than N days ago']);
    type('9', 'Days', '60');
    // 10: yes/no; 11: text contains; 12: number; 13: has a contact with a role.
    addCondition();
    pick('10', 'Subject', 'fact:demo_done');
    expect(options('10', 'Operator')).toEqual(['is yes', 'is no', 'is empty', 'is not empty']);
    pick('10', 'Operator', 'is_no');
    addCondition();
    pick('11', 'Subject', 'fact:metrics');
    pick('11', 'Operator', 'contains');
    type('11', 'Value', 'hours');
    addCondition();
    pick('12', 'Subject', 'fact:demo_attendees');
    pick('12', 'Operator', 'lt');
    type('12', 'Value', '2');
    addCondition();
    pick('13', 'Subject', 'role');
    pick('13', 'Operator', 'contact_with_role');
    // 14: a text fact "is one of" a typed list; 15: a date fact before a date; 16: the amount is empty.
    addCondition();
    pick('14', 'Subject', 'fact:decision_process');
    pick('14', 'Operator', 'in');
    type('14', 'Values (comma-separated)', 'legal, procurement,');
    addCondition();
    pick('15', 'Subject', 'fact:decision_date');
    pick('15', 'Operator', 'lt');
    type('15', 'Date', '2027-01-31');
    addCondition();
    pick('16', 'Subject', 'field:amount');
    pick('16', 'Operator', 'empty');

    expect(screen.queryAllByTestId('condition-problem')).toEqual([]);
    expect(built.latest).toEqual({
      op: 'and',
      conditions: [
        { type: 'fact', key: 'budget', op: 'gte', value: { value: 5000, currency: 'USD' } },
        { type: 'fact', key: 'decision_date', op: 'more_than_days_ago', value: 30 },
        { type: 'fact', key: 'competition', op: 'in', value: ['incumbent'] },
        { type: 'no_contact_with_role', role: 'economic_buyer' },
        { type: 'no_activity', kinds: ['email', 'reply', 'task'], days: 21 },
        { type: 'no_active_sequence' },
        { type: 'no_open_task' },
        { type: 'stage_is', stageIds: ['proposal'] },
        { type: 'field', field: 'created_at', op: 'more_than_days_ago', value: 60 },
        { type: 'fact', key: 'demo_done', op: 'is_no' },
        { type: 'fact', key: 'metrics', op: 'contains', value: 'hours' },
        { type: 'fact', key: 'demo_attendees', op: 'lt', value: 2 },
        { type: 'contact_with_role', role: 'decision_maker' },
        { type: 'fact', key: 'decision_process', op: 'in', value: ['legal', 'procurement'] },
        { type: 'fact', key: 'decision_date', op: 'lt', value: '2027-01-31' },
        { type: 'field', field: 'amount', op: 'empty' },
      ],
    });
    // What it built is a valid rule of the playbook.
    const rule = { id: 'built', name: 'Built', severity: 'warning', message: 'Built', when: built.latest };
    const parsed = PlaybookSchema.safeParse({ ...playbook, rules: [...playbook.rules, rule] });
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('nests AND/OR groups; the saved group evaluates as built with lib/process', () => {
    const built = mount(START);
    pick('1', 'Subject', 'stage');
    fireEvent.click(screen.getByRole('button', { name: 'Add a group' }));
    const group = screen.getByRole('group', { name: 'Group 2' });
    fireEvent.change(within(group).getByLabelText('Match'), { target: { value: 'or' } });
    pick('2.1', 'Subject', 'role');
    pick('2.1', 'Role', 'economic_buyer');
    fireEvent.click(within(group).getByRole('button', { name: 'Add a condition to group 2' }));
    pick('2.2', 'Subject', 'fact:budget');
    pick('2.2', 'Operator', 'lt');
    type('2.2', 'Amount', '1000');
    type('2.2', 'Currency', 'EUR');

    const expected: ConditionGroup = {
      op: 'and',
      conditions: [
        { type: 'stage_is', stageIds: ['discovery'] },
        {
          op: 'or',
          conditions: [
            { type: 'no_contact_with_role', role: 'economic_buyer' },
            { type: 'fact', key: 'budget', op: 'lt', value: { value: 1000, currency: 'EUR' } },
          ],
        },
      ],
    };
    expect(built.latest).toEqual(expected);
    expect(ConditionGroupSchema.parse(built.latest)).toEqual(expected);

    const holds = (d: Deal) =>
      groupHolds(built.latest, {
        deal: d,
        activity: { last: {}, activeSequences: 0, openTasks: 0 },
        playbook,
        clock: clockAt(NOW, 'UTC'),
      });
    const buyer = [{ contactId: 'c1', role: 'economic_buyer' as const }];
    const budget = (value: number) => ({
      budget: { type: 'money' as const, value: { value, currency: 'EUR' } },
    });
    expect(holds(deal({}))).toBe(true); // in Discovery, no economic buyer
    expect(holds(deal({ contacts: buyer, facts: budget(500) }))).toBe(true); // buyer, but a small budget
    expect(holds(deal({ contacts: buyer, facts: budget(5000) }))).toBe(false); // neither
    expect(holds(deal({ stageId: 'demo' }))).toBe(false); // another stage

    // Removing the group leaves the stage condition alone.
    fireEvent.click(within(group).getByRole('button', { name: 'Remove group 2' }));
    expect(built.latest).toEqual({ op: 'and', conditions: [{ type: 'stage_is', stageIds: ['discovery'] }] });
  });

  it('names an invalid value at its field, and the schema’s issues under their condition', () => {
    mount(START);
    pick('1', 'Subject', 'fact:demo_attendees');
    pick('1', 'Operator', 'gt');
    const value = within(row('1')).getByLabelText('Value');
    fireEvent.change(value, { target: { value: '' } });
    expect(within(row('1')).getByTestId('condition-problem').textContent).toBe('value: a number is needed');
    expect(value.getAttribute('aria-invalid')).toBe('true');
    expect(value.getAttribute('aria-describedby')).toBe(within(row('1')).getByTestId('condition-problem').id);
    fireEvent.change(value, { target: { value: '3' } });
    expect(within(row('1')).queryByTestId('condition-problem')).toBeNull();

    pick('1', 'Subject', 'fact:budget');
    type('1', 'Currency', 'EU');
    expect(within(row('1')).getByTestId('condition-problem').textContent).toMatch(
      /^value: currency must be a three-letter currency code/,
    );
  });

  it('shows the schema’s issues under the condition they name', () => {
    const group: ConditionGroup = {
      op: 'and',
      conditions: [{ type: 'no_activity', kinds: ['email'], days: 0 }],
    };
    const issues = ConditionGroupSchema.safeParse(group).error?.issues ?? [];
    expect(issues.length).toBeGreaterThan(0);
    render(
      <RuleBuilder
        group={group}
        label="Conditions of Quiet"
        facts={playbook.facts}
        stages={stages}
        onChange={() => undefined}
        issues={issues}
      />,
    );
    expect(within(row('1')).getByTestId('condition-problem').textContent).toMatch(/^days: .*1/);
  });
});
