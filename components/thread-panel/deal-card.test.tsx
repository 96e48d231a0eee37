import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DealCardView } from '../../lib/protocol/deals-received';
import { seriousViolations } from '../testing/axe';
import { CreateDeal, DealCard } from './deal-card';

afterEach(cleanup);

const view: DealCardView = {
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
  nextStep: { kind: 'criterion', label: 'The decision process is known', factKey: 'decision_process' },
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
};

const handlers = () => ({ onAnswer: vi.fn(), onMove: vi.fn(), onRunNextStep: vi.fn(), onSetRole: vi.fn() });

describe('the deal card', () => {
  it('shows the stage as a stepper, the state with its reasons one click away, and is axe clean', async () => {
    const { container } = render(<DealCard view={view} {...handlers()} />);
    expect(screen.getByText('Qualified').getAttribute('aria-current')).toBe('step');
    expect(screen.getByText('At risk')).toBeTruthy();
    expect(screen.queryByText(/last on 2026-11-20/)?.closest('[hidden]')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Why?' }));
    expect(screen.getByText(/last on 2026-11-20/).closest('[hidden]')).toBeNull();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('answers a criterion inline and the Next step button lands in its field', () => {
    const h = handlers();
    render(<DealCard view={view} {...h} />);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Budget confirmed' }));
    expect(h.onAnswer).toHaveBeenCalledWith('budget_confirmed', { type: 'yes_no', value: true });
    fireEvent.click(screen.getByRole('button', { name: 'Answer' }));
    const field = screen.getByRole('textbox', { name: 'Decision process' });
    expect(document.activeElement).toBe(field);
    fireEvent.change(field, { target: { value: 'CFO signs above 20k' } });
    fireEvent.click(within(field.closest('form')!).getByRole('button', { name: 'Save' }));
    expect(h.onAnswer).toHaveBeenCalledWith('decision_process', {
      type: 'text',
      value: 'CFO signs above 20k',
    });
  });

  it('moves from the stepper; a refusal names the criteria and offers the override with a reason', () => {
    const h = handlers();
    const { rerender } = render(<DealCard view={view} {...h} />);
    fireEvent.click(screen.getByRole('button', { name: 'Move to Demo' }));
    expect(h.onMove).toHaveBeenCalledWith('demo');
    rerender(
      <DealCard
        view={view}
        notice={{
          tone: 'danger',
          text: 'Not moved. Not yet: Budget is confirmed',
          unmet: ['Budget is confirmed'],
          overrideTo: 'demo',
        }}
        {...h}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText('Budget is confirmed')).toBeTruthy();
    const override = within(alert).getByRole('button', { name: 'Override and move' }) as HTMLButtonElement;
    expect(override.disabled).toBe(true);
    fireEvent.change(within(alert).getByLabelText(/Reason for the override/), {
      target: { value: 'CFO said yes' },
    });
    fireEvent.click(override);
    expect(h.onMove).toHaveBeenLastCalledWith('demo', { reason: 'CFO said yes' });
  });

  it('sets a contact role and keeps the guidance collapsed', () => {
    const h = handlers();
    render(<DealCard view={view} {...h} />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Role: Ada Lovelace' }), {
      target: { value: 'champion' },
    });
    expect(h.onSetRole).toHaveBeenCalledWith('c1', 'champion');
    expect(screen.getByText('Guidance: Qualification').closest('details')?.open).toBe(false);
  });

  it('offers to create a deal when the thread has none', () => {
    const onCreate = vi.fn();
    render(<CreateDeal company="Acme" people={['Ada Lovelace']} busy={false} onCreate={onCreate} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create a deal for Acme' }));
    expect(onCreate).toHaveBeenCalled();
  });
});
