import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ComposeRequest } from '../../lib/hosts/types';
import { seriousViolations } from '../testing/axe';
import { replyHtml } from '../../lib/templates/reply';
import { FixItItems, FixItSection, type FixItItem } from './fix-it-items';
import { qualifiedDeal } from '../thread-panel/deal-view.test-helper';

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

const view = qualifiedDeal();

const RECAP = 'Hi Ada,\n\nThanks for the call.';
/** The background: Acme flagged, its next step a recap (on the thread Acme was made from, when given). */
const runtime = (threadSubject?: string) => ({
  id: 'ext',
  onMessage: { addListener() {} },
  async sendMessage(message: unknown) {
    const { name } = message as { name: string };
    if (name === 'deals.fixits')
      return { ok: true, data: { items: [{ ...item, nextStep: 'Send the recap' }] } };
    if (name === 'deal.runNextStep')
      return {
        ok: true,
        data: {
          done: 'Send the recap',
          reply: { body: RECAP, ...(threadSubject && { threadSubject }) },
          view,
        },
      };
    return { ok: false, error: `unexpected ${name}` };
  },
});

describe('a fix-it whose next step is a recap', () => {
  it('opens the host’s compose to the deal’s first contact, “Re:” the deal’s thread, with the text filled in', async () => {
    const openCompose = vi.fn(async (_: ComposeRequest) => true);
    render(<FixItSection runtime={runtime('Acme hiring plans')} openCompose={openCompose} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Send the recap: Acme' }));
    await waitFor(() => expect(openCompose).toHaveBeenCalledTimes(1));
    // The same message the deal card opens on that thread (components/thread-panel/next-step-message.ts).
    expect(openCompose.mock.calls[0]![0]).toEqual({
      to: ['ada@acme.example'],
      subject: 'Re: Acme hiring plans',
      body: replyHtml(RECAP),
    });
    expect((await screen.findByRole('status')).textContent).toBe(
      'Send the recap: a new message to ada@acme.example, subject “Re: Acme hiring plans”, is open with the text filled in; check it and send it.',
    );
  });

  it('takes the deal’s name as the subject of a deal made without a thread', async () => {
    const openCompose = vi.fn(async (_: ComposeRequest) => true);
    render(<FixItSection runtime={runtime()} openCompose={openCompose} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Send the recap: Acme' }));
    await waitFor(() => expect(openCompose).toHaveBeenCalledTimes(1));
    expect(openCompose.mock.calls[0]![0]).toEqual({
      to: ['ada@acme.example'],
      subject: 'Acme',
      body: replyHtml(RECAP),
    });
    expect((await screen.findByRole('status')).textContent).toBe(
      'Send the recap: a new message to ada@acme.example, subject “Acme”, is open with the text filled in; check it and send it.',
    );
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  it('shows the text to copy, saying why, where no compose can be opened (no host, or it could not)', async () => {
    for (const openCompose of [undefined, async () => false]) {
      const { unmount } = render(<FixItSection runtime={runtime()} {...(openCompose && { openCompose })} />);
      fireEvent.click(await screen.findByRole('button', { name: 'Send the recap: Acme' }));
      const box = (await screen.findByRole('textbox', {
        name: /cannot open a new message/,
      })) as HTMLTextAreaElement;
      expect(box.value).toBe(RECAP);
      expect(screen.queryByRole('status')).toBeNull();
      unmount();
    }
  });
});
