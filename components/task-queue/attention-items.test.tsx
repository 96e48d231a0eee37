import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AttentionItems, type AttentionItem } from './attention-items';

const missing: AttentionItem = {
  enrollmentId: 'e1',
  contact: { email: 'ada@acme.example', firstName: 'Ada' },
  sequenceName: 'Q1 outbound',
  stepNumber: 2,
  kind: 'missing_token',
  detail: 'Step 2: no value for {{custom.industry}}',
  missing: ['custom.industry'],
};
const challenge: AttentionItem = {
  ...missing,
  enrollmentId: 'e2',
  kind: 'challenge',
  detail: 'A challenge from the recipient’s server',
  from: 'verify@mx.example',
  missing: [],
};
const actions = () => ({ onFix: vi.fn(async () => {}), onResume: vi.fn(), onUnenroll: vi.fn() });

afterEach(cleanup);

describe('attention items in the task queue', () => {
  it('shows nothing when nothing needs the rep', () => {
    const { container } = render(<AttentionItems items={[]} {...actions()} />);
    expect(container.textContent).toBe('');
  });

  it('asks for a missing value inline and saves it, once filled', async () => {
    const a = actions();
    render(<AttentionItems items={[missing]} {...a} />);
    expect(screen.getByRole('heading', { name: 'Needs your attention (1)' })).toBeTruthy();
    const save = screen.getByRole('button', { name: 'Save and resume' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.input(screen.getByLabelText('industry for ada@acme.example'), {
      target: { value: 'Robotics' },
    });
    fireEvent.click(save);
    await waitFor(() => expect(a.onFix).toHaveBeenCalledWith('e1', { 'custom.industry': 'Robotics' }));
  });

  it('says what to do about a challenge and offers resume or unenroll', () => {
    const a = actions();
    render(<AttentionItems items={[challenge]} {...a} />);
    expect(screen.getByTestId('attention-item').textContent).toContain('answer it in your inbox');
    expect(screen.getByTestId('attention-item').textContent).toContain('verify@mx.example');
    fireEvent.click(screen.getByRole('button', { name: 'Unenroll' }));
    expect(a.onUnenroll).toHaveBeenCalledWith('e2');
  });

  it('shows the problem when the fix is refused', async () => {
    const a = {
      ...actions(),
      onFix: vi.fn(async () => Promise.reject(new Error('custom.industry: too long'))),
    };
    render(<AttentionItems items={[missing]} {...a} />);
    fireEvent.input(screen.getByLabelText('industry for ada@acme.example'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and resume' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('custom.industry: too long'));
  });
});
