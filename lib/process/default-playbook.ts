import { PlaybookSchema, type Playbook, type PlaybookInput } from '../domain/playbook';

/**
 * The playbook Threadline ships for a B2B sales pipeline: Discovery to Negotiation, then Closed won/lost, with
 * exit criteria in the spirit of MEDDICC (metrics, economic buyer, decision criteria and process, paper
 * process, identified pain, champion) and a dozen process rules. Plain data: every part is editable, and the
 * enroll steps name sequences by id the team replaces with its own ("demo-follow-up", "proposal-follow-up").
 */
export const DEFAULT_PIPELINE_ID = 'b2b';

const stale = (days: number) => ({
  op: 'and' as const,
  conditions: [{ type: 'no_activity' as const, kinds: ['email', 'reply', 'task', 'meeting'] as const, days }],
});

const input: PlaybookInput = {
  id: 'b2b-default',
  pipelineId: DEFAULT_PIPELINE_ID,
  name: 'B2B sales',
  gate: 'warn',
  facts: [
    {
      key: 'pain',
      label: 'Identified pain',
      type: 'text',
      help: 'What hurts, for whom, and what it costs them.',
    },
    { key: 'metrics', label: 'Metrics', type: 'text', help: 'The measurable gain they expect.' },
    { key: 'champion_confirmed', label: 'Champion confirmed', type: 'yes_no' },
    { key: 'budget_confirmed', label: 'Budget confirmed', type: 'yes_no' },
    { key: 'budget', label: 'Budget', type: 'money' },
    { key: 'decision_date', label: 'Decision date', type: 'date' },
    { key: 'decision_criteria', label: 'Decision criteria', type: 'text' },
    { key: 'decision_process', label: 'Decision process', type: 'text' },
    { key: 'demo_done', label: 'Demo held', type: 'yes_no' },
    { key: 'demo_attendees', label: 'People at the demo', type: 'number' },
    {
      key: 'competition',
      label: 'Competition',
      type: 'choice',
      choices: ['none', 'incumbent', 'other vendor', 'in-house build'],
    },
    { key: 'proposal_sent', label: 'Proposal sent', type: 'yes_no' },
    {
      key: 'paper_process',
      label: 'Paper process',
      type: 'text',
      help: 'Legal, procurement, security review: who signs and how.',
    },
    { key: 'verbal_yes', label: 'Verbal yes', type: 'yes_no' },
    {
      key: 'loss_reason',
      label: 'Loss reason',
      type: 'choice',
      choices: ['price', 'no decision', 'competitor', 'timing', 'other'],
    },
  ],
  stages: [
    {
      id: 'discovery',
      name: 'Discovery',
      goal: 'Understand the pain, who feels it and what solving it is worth.',
      exitCriteria: [
        { id: 'discovery-pain', label: 'The pain is identified', factKey: 'pain' },
        { id: 'discovery-metrics', label: 'The metrics are known', factKey: 'metrics' },
        {
          id: 'discovery-champion',
          label: 'A champion is on the deal',
          when: { op: 'and', conditions: [{ type: 'contact_with_role', role: 'champion' }] },
        },
      ],
      actions: [
        {
          id: 'discovery-call',
          label: 'Book a discovery call',
          type: 'meeting',
          body: 'Hi {{contact.firstName}},\n\nWould 30 minutes this week work to walk through what you are trying to solve?\n\n{{rep.signature}}',
        },
        {
          id: 'discovery-recap',
          label: 'Send the discovery recap',
          type: 'recap',
          body: 'Hi {{contact.firstName}},\n\nThank you for your time. What I heard:\n- \n\nNext step:\n\n{{rep.signature}}',
        },
      ],
      cards: [
        {
          id: 'discovery-questions',
          title: 'Discovery questions',
          markdown:
            '**Ask**\n- What made you look at this now?\n- What does it cost you today, in time or money?\n- Who else feels it?\n\n**Listen for** a number you can write down: that is your metric.',
          questions: [
            { factKey: 'pain', prompt: 'What problem are they solving?' },
            { factKey: 'metrics', prompt: 'What gain would they measure?' },
          ],
        },
      ],
    },
    {
      id: 'qualified',
      name: 'Qualified',
      goal: 'Confirm budget, the economic buyer and how they decide.',
      exitCriteria: [
        { id: 'qualified-budget', label: 'Budget is confirmed', factKey: 'budget_confirmed' },
        {
          id: 'qualified-eb',
          label: 'The economic buyer is known',
          when: { op: 'and', conditions: [{ type: 'contact_with_role', role: 'economic_buyer' }] },
        },
        { id: 'qualified-process', label: 'The decision process is known', factKey: 'decision_process' },
        { id: 'qualified-date', label: 'A decision date is set', factKey: 'decision_date' },
      ],
      actions: [
        {
          id: 'qualified-demo',
          label: 'Book the demo',
          type: 'meeting',
          body: 'Hi {{contact.firstName}},\n\nShall we set up a demo with your team? These times work for me:\n\n{{rep.signature}}',
        },
      ],
      cards: [
        {
          id: 'qualified-questions',
          title: 'Qualification',
          markdown:
            '**Ask**\n- Who signs off a purchase of this size?\n- Is there budget set aside this year?\n- What happens between a yes and a signature?',
          questions: [
            { factKey: 'budget_confirmed', prompt: 'Is the budget confirmed?' },
            { factKey: 'budget', prompt: 'How much?' },
            { factKey: 'decision_process', prompt: 'How will they decide?' },
            { factKey: 'decision_date', prompt: 'By when?' },
          ],
        },
      ],
    },
    {
      id: 'demo',
      name: 'Demo',
      goal: 'Show the product against their decision criteria, with the people who decide.',
      exitCriteria: [
        { id: 'demo-done', label: 'The demo is held', factKey: 'demo_done' },
        { id: 'demo-criteria', label: 'The decision criteria are known', factKey: 'decision_criteria' },
        { id: 'demo-champion', label: 'The champion is confirmed', factKey: 'champion_confirmed' },
      ],
      actions: [
        {
          id: 'demo-recap',
          label: 'Send the demo recap',
          type: 'recap',
          body: 'Hi {{contact.firstName}},\n\nThank you for the time today. As promised, a recap:\n- \n\n{{rep.signature}}',
        },
        {
          id: 'demo-follow-up',
          label: 'Enroll the champion in the demo follow-up',
          type: 'enroll',
          role: 'champion',
          sequenceId: 'demo-follow-up',
        },
      ],
      cards: [
        {
          id: 'demo-objections',
          title: 'Objections',
          markdown:
            '**"We already use something"**: ask what they would keep and what they would change.\n\n**"Too expensive"**: go back to the metrics.',
          questions: [
            { factKey: 'decision_criteria', prompt: 'What will they judge us on?' },
            { factKey: 'demo_attendees', prompt: 'How many people attended?' },
            { factKey: 'competition', prompt: 'Who else are they looking at?' },
          ],
        },
      ],
      automations: [
        {
          id: 'demo-enter-enroll',
          label: 'Enroll the champion in the demo follow-up',
          trigger: { on: 'enter' },
          action: { type: 'enroll', role: 'champion', sequenceId: 'demo-follow-up' },
          // Off until the team points it at one of its sequences.
          enabled: false,
        },
      ],
    },
    {
      id: 'proposal',
      name: 'Proposal',
      goal: 'A proposal they can sign, with a close date both sides agree.',
      exitCriteria: [
        { id: 'proposal-sent', label: 'The proposal is sent', factKey: 'proposal_sent' },
        { id: 'proposal-paper', label: 'The paper process is known', factKey: 'paper_process' },
        {
          id: 'proposal-close',
          label: 'Amount and close date are set',
          when: {
            op: 'and',
            conditions: [
              { type: 'field', field: 'amount', op: 'not_empty' },
              { type: 'field', field: 'close_date', op: 'not_empty' },
            ],
          },
        },
      ],
      actions: [
        {
          id: 'proposal-send',
          label: 'Send the proposal',
          type: 'task',
          taskType: 'todo',
          title: 'Send the proposal',
          dueInDays: 1,
        },
      ],
      cards: [
        {
          id: 'proposal-paper',
          title: 'Paper process',
          markdown:
            'Ask early who reviews contracts, whether security needs a questionnaire, and how long procurement takes.',
          questions: [{ factKey: 'paper_process', prompt: 'Who signs, and what reviews come first?' }],
        },
      ],
      automations: [
        {
          id: 'proposal-enter-task',
          label: 'Follow up on the proposal in 3 days',
          trigger: { on: 'enter' },
          action: { type: 'task', taskType: 'call', title: 'Follow up on the proposal', dueInDays: 3 },
        },
        {
          id: 'proposal-no-close-fix',
          label: 'Queue the fix when the close date is missing',
          trigger: { on: 'flag', ruleId: 'proposal-no-close-date' },
          action: { type: 'fix_it' },
        },
      ],
    },
    {
      id: 'negotiation',
      name: 'Negotiation',
      goal: 'Agree the terms and get the signature.',
      exitCriteria: [{ id: 'negotiation-yes', label: 'A verbal yes', factKey: 'verbal_yes' }],
      actions: [
        {
          id: 'negotiation-call',
          label: 'Call the economic buyer',
          type: 'task',
          taskType: 'call',
          title: 'Call the economic buyer about terms',
          dueInDays: 1,
        },
      ],
      cards: [
        {
          id: 'negotiation-give-get',
          title: 'Give and get',
          markdown:
            'Never give a discount without getting something: a longer term, a case study, a signature date.',
          questions: [{ factKey: 'verbal_yes', prompt: 'Did they say yes?' }],
        },
      ],
    },
    { id: 'won', name: 'Closed won', kind: 'won', goal: 'Hand over to onboarding.' },
    {
      id: 'lost',
      name: 'Closed lost',
      kind: 'lost',
      goal: 'Learn why.',
      cards: [
        {
          id: 'lost-why',
          title: 'Why we lost',
          markdown: 'Record the reason: it feeds the next quarter.',
          questions: [{ factKey: 'loss_reason', prompt: 'Why did we lose?' }],
        },
      ],
    },
  ],
  rules: [
    {
      id: 'stale-14-days',
      name: 'Gone quiet',
      severity: 'error',
      message: 'No email, reply, task or meeting in 14 days',
      when: stale(14),
      remedy: {
        id: 'stale-call',
        label: 'Call to re-engage',
        type: 'task',
        taskType: 'call',
        title: 'Re-engage: call',
        dueInDays: 0,
      },
    },
    {
      id: 'no-economic-buyer',
      name: 'No economic buyer',
      severity: 'error',
      message: 'No contact has the role economic buyer',
      stageIds: ['demo', 'proposal', 'negotiation'],
      when: { op: 'and', conditions: [{ type: 'no_contact_with_role', role: 'economic_buyer' }] },
      remedy: {
        id: 'find-eb',
        label: 'Ask the champion who signs',
        type: 'task',
        taskType: 'todo',
        title: 'Find the economic buyer',
        dueInDays: 1,
      },
    },
    {
      id: 'proposal-no-close-date',
      name: 'Proposal without a close date',
      severity: 'error',
      message: 'In Proposal with no close date',
      when: {
        op: 'and',
        conditions: [
          { type: 'stage_is', stageIds: ['proposal'] },
          { type: 'field', field: 'close_date', op: 'empty' },
        ],
      },
      remedy: {
        id: 'agree-close',
        label: 'Agree a close date',
        type: 'task',
        taskType: 'todo',
        title: 'Agree a close date with the buyer',
        dueInDays: 1,
      },
    },
    {
      id: 'close-date-passed',
      name: 'Close date passed',
      severity: 'error',
      message: 'The close date is in the past',
      when: {
        op: 'and',
        conditions: [{ type: 'field', field: 'close_date', op: 'more_than_days_ago', value: 0 }],
      },
      remedy: {
        id: 'update-close',
        label: 'Update the close date',
        type: 'task',
        taskType: 'todo',
        title: 'Update the close date',
        dueInDays: 0,
      },
    },
    {
      id: 'no-next-step',
      name: 'No next step',
      severity: 'warning',
      message: 'No active sequence and no open task',
      // Not on the first days of a deal: the checklist comes first.
      when: {
        op: 'and',
        conditions: [
          { type: 'no_active_sequence' },
          { type: 'no_open_task' },
          { type: 'field', field: 'created_at', op: 'more_than_days_ago', value: 3 },
        ],
      },
      remedy: {
        id: 'plan-next',
        label: 'Plan the next step',
        type: 'task',
        taskType: 'todo',
        title: 'Plan the next step',
        dueInDays: 0,
      },
    },
    {
      id: 'no-champion',
      name: 'No champion',
      severity: 'warning',
      message: 'No contact has the role champion',
      stageIds: ['qualified', 'demo', 'proposal', 'negotiation'],
      when: { op: 'and', conditions: [{ type: 'no_contact_with_role', role: 'champion' }] },
    },
    {
      id: 'pain-unknown',
      name: 'Pain unknown',
      severity: 'warning',
      message: 'Past discovery without an identified pain',
      stageIds: ['qualified', 'demo', 'proposal', 'negotiation'],
      when: { op: 'and', conditions: [{ type: 'fact', key: 'pain', op: 'empty' }] },
      remedy: { id: 'ask-pain', label: 'Write down the pain', type: 'answer', factKey: 'pain' },
    },
    {
      id: 'no-amount',
      name: 'No amount',
      severity: 'warning',
      message: 'No amount after the demo',
      stageIds: ['proposal', 'negotiation'],
      when: { op: 'and', conditions: [{ type: 'field', field: 'amount', op: 'empty' }] },
    },
    {
      id: 'stuck-30-days',
      name: 'Stuck in stage',
      severity: 'warning',
      message: 'In this stage for more than 30 days',
      when: {
        op: 'and',
        conditions: [{ type: 'field', field: 'stage_entered_at', op: 'more_than_days_ago', value: 30 }],
      },
    },
    {
      id: 'no-reply-21-days',
      name: 'No reply in 3 weeks',
      severity: 'warning',
      message: 'The buyer has not replied in 21 days',
      stageIds: ['demo', 'proposal', 'negotiation'],
      when: { op: 'and', conditions: [{ type: 'no_activity', kinds: ['reply'], days: 21 }] },
    },
    {
      id: 'single-threaded',
      name: 'Single-threaded',
      severity: 'info',
      message: 'Only one voice on the buying side',
      stageIds: ['demo', 'proposal', 'negotiation'],
      when: {
        op: 'or',
        conditions: [
          { type: 'fact', key: 'demo_attendees', op: 'lt', value: 2 },
          { type: 'no_contact_with_role', role: 'decision_maker' },
        ],
      },
    },
    {
      id: 'incumbent-no-criteria',
      name: 'Incumbent, criteria unknown',
      severity: 'info',
      message: 'Against an incumbent without knowing the decision criteria',
      when: {
        op: 'and',
        conditions: [
          { type: 'fact', key: 'competition', op: 'in', value: ['incumbent'] },
          { type: 'fact', key: 'decision_criteria', op: 'empty' },
        ],
      },
      remedy: {
        id: 'ask-criteria',
        label: 'Ask what they will judge on',
        type: 'answer',
        factKey: 'decision_criteria',
      },
    },
  ],
};

/** A fresh copy each call, so an edit never changes the shipped default. */
export function defaultPlaybook(): Playbook {
  return PlaybookSchema.parse(input);
}
