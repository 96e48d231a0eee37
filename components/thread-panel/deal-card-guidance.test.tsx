// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DealCardView } from '../../lib/protocol/deals-received';
import { DealCard } from './deal-card';

/**
 * The stage's card in the thread panel: its markdown shown formatted, as the Playbooks editor previews it, and
 * nothing an editor could slip in reaching the mail page. In jsdom: happy-dom makes DOMPurify pass everything.
 */
afterEach(cleanup);

const markdown = [
  '**Ask** who signs. See [the guide](https://example.com/guide).',
  '<script>window.__ran = 1</script>',
  '<img src="x" onerror="window.__ran = 2">',
  '![pixel](https://tracker.example/p.gif)',
  '[click](javascript:alert(3))',
].join('\n\n');

const view: DealCardView = {
  deal: { id: 'd1', name: 'Acme', stageId: 'qualified', updatedAt: 1, facts: {} },
  pipeline: {
    name: 'B2B sales',
    gate: 'warn',
    stages: [
      { id: 'qualified', name: 'Qualified', kind: 'open' },
      { id: 'won', name: 'Closed won', kind: 'won' },
    ],
  },
  stage: {
    id: 'qualified',
    name: 'Qualified',
    goal: 'Confirm budget.',
    cards: [{ id: 'q', title: 'Qualification', markdown, questions: [] }],
  },
  facts: [],
  health: 'green',
  flags: [],
  nextStep: { kind: 'move', label: 'Move to Closed won', toStageId: 'won' },
  checklist: [],
  contacts: [],
};

describe('the card’s guidance in the thread panel', () => {
  it('renders the markdown (bold as <strong>, a safe link) and drops scripts, handlers, remote images and javascript: links', () => {
    render(
      <DealCard
        view={view}
        onAnswer={vi.fn()}
        onMove={vi.fn()}
        onRunNextStep={vi.fn()}
        onSetRole={vi.fn()}
      />,
    );
    fireEvent.click(screen.getByText(/Qualification/));
    const box = screen.getByTestId('card-guidance-q');
    expect(box.querySelector('strong')?.textContent).toBe('Ask');
    expect(box.textContent).not.toContain('**');
    const link = screen.getByRole('link', { name: 'the guide' });
    expect(link.getAttribute('href')).toBe('https://example.com/guide');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(box.innerHTML).not.toMatch(/<script|onerror|<img|tracker\.example|javascript:/i);
    expect((window as { __ran?: number }).__ran).toBeUndefined();
  });
});
