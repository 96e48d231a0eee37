import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seriousViolations } from '../testing/axe';
import { FixItItems, type FixItItem } from './fix-it-items';

afterEach(cleanup);

const item: FixItItem = {
  dealId: 'd1',
  dealName: 'Acme',
  severity: 'error',
  message: 'No email, reply, task or meeting in 14 days',
  because: ['no email, reply, task or meeting in 14 days (last on 2026-11-20)'],
  nextStep: 'Call to re-engage',
  raisedAt: 1,
};

describe('fix-it items', () => {
  it('shows one item per flagged deal with its next step as the button, axe clean', async () => {
    const onDo = vi.fn();
    const { container } = render(
      <FixItItems
        items={[item, { ...item, dealId: 'd2', dealName: 'Beta', severity: 'warning' }]}
        onDo={onDo}
      />,
    );
    expect(screen.getAllByTestId('fix-it-item')).toHaveLength(2);
    expect(screen.getByRole('heading', { name: 'Fix-it: deals off the playbook (2)' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Call to re-engage: Beta' }));
    expect(onDo).toHaveBeenCalledWith('d2');
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('shows nothing when no deal is flagged', () => {
    const { container } = render(<FixItItems items={[]} onDo={() => {}} />);
    expect(container.textContent).toBe('');
  });
});
