import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seriousViolations } from '../testing/axe';
import { CreateDeal, DealCard } from './deal-card';
import { qualifiedDeal } from './deal-view.test-helper';

afterEach(cleanup);

const view = qualifiedDeal({
  kind: 'criterion',
  label: 'The decision process is known',
  factKey: 'decision_process',
});

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
