import type { DealCardView } from '../../lib/protocol/deals-received';

const BOOK_MEETING: DealCardView['nextStep'] = {
  kind: 'action',
  label: 'Book the meeting',
  actionType: 'meeting',
};

/**
 * The deal card tests' deal: Acme in Qualified (a require gate), flagged as gone quiet, budget not yet
 * confirmed; its next step books the meeting unless a test says otherwise.
 */
export const qualifiedDeal = (nextStep: DealCardView['nextStep'] = BOOK_MEETING): DealCardView => ({
  deal: {
    id: 'd1',
    name: 'Acme',
    stageId: 'qualified',
    updatedAt: 1,
    facts: { budget_confirmed: { type: 'yes_no', value: false } },
  },
  pipeline: {
    name: 'B2B sales',
    gate: 'require',
    stages: [
      { id: 'discovery', name: 'Discovery', kind: 'open' },
      { id: 'qualified', name: 'Qualified', kind: 'open' },
      { id: 'demo', name: 'Demo', kind: 'open' },
      { id: 'won', name: 'Closed won', kind: 'won' },
    ],
  },
  stage: {
    id: 'qualified',
    name: 'Qualified',
    goal: 'Confirm budget.',
    cards: [
      {
        id: 'q',
        title: 'Qualification',
        markdown: '**Ask** who signs',
        questions: [{ factKey: 'budget', prompt: 'How much?' }],
      },
    ],
  },
  facts: [
    { key: 'budget_confirmed', label: 'Budget confirmed', type: 'yes_no' },
    { key: 'decision_process', label: 'Decision process', type: 'text' },
    { key: 'budget', label: 'Budget', type: 'money' },
  ],
  health: 'red',
  flags: [
    {
      ruleId: 'stale-14-days',
      ruleName: 'Gone quiet',
      severity: 'error',
      message: 'No email, reply, task or meeting in 14 days',
      because: ['no email, reply, task or meeting in 14 days (last on 2026-11-20)'],
    },
  ],
  nextStep,
  checklist: [
    { id: 'qualified-budget', label: 'Budget is confirmed', met: false, factKey: 'budget_confirmed' },
    {
      id: 'qualified-process',
      label: 'The decision process is known',
      met: false,
      factKey: 'decision_process',
    },
  ],
  contacts: [{ contactId: 'c1', email: 'ada@acme.example', name: 'Ada Lovelace', role: 'other' }],
});
