import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ComposeRequest, OpenedThread } from '../../lib/hosts/types';
import { replyHtml } from '../../lib/templates/reply';
import { DealSection } from './deal-section';
import { qualifiedDeal } from './deal-view.test-helper';

afterEach(cleanup);

const view = qualifiedDeal();

const RECAP = 'Hi Ada,\n\nWould 30 minutes <this week> work?\nRiley';
const thread: OpenedThread = {
  id: 'conv-1',
  providerThreadId: 'thread-1',
  subject: 'Acme hiring plans',
  participants: [{ email: 'ada@acme.example', name: 'Ada Lovelace' }],
};

/** The background as the card sees it: the deal, and a next step that gives the recap's text. */
function runtime() {
  return {
    id: 'ext',
    onMessage: { addListener() {} },
    async sendMessage(message: unknown) {
      const { name } = message as { name: string };
      if (name === 'deal.forThread') return { ok: true, data: { view } };
      if (name === 'deal.runNextStep')
        return { ok: true, data: { done: 'Book the meeting', reply: { body: RECAP }, view } };
      return { ok: false, error: `unexpected ${name}` };
    },
  };
}

describe('the deal’s HubSpot stage on opening the thread', () => {
  it('asks the background to read it once the card is painted, and shows a stage HubSpot moved', async () => {
    const asked: string[] = [];
    let stageId = 'qualified';
    const rt = {
      id: 'ext',
      onMessage: { addListener() {} },
      async sendMessage(message: unknown) {
        const { name, request } = message as { name: string; request: unknown };
        asked.push(name);
        if (name === 'deal.forThread')
          return {
            ok: true,
            data: {
              view: { ...view, deal: { ...view.deal, stageId, updatedAt: stageId === 'demo' ? 2 : 1 } },
            },
          };
        if (name === 'crmDeals.refresh') {
          expect(request).toEqual({ dealId: 'd1' });
          // The card was already on screen when the read was asked for.
          expect(screen.getByText('Qualified').getAttribute('aria-current')).toBe('step');
          stageId = 'demo';
          return { ok: true, data: { state: 'read', linked: true, moved: true } };
        }
        return { ok: false, error: `unexpected ${name}` };
      },
    };
    render(<DealSection runtime={rt} thread={thread} />);
    await waitFor(() => expect(screen.getByText('Demo').getAttribute('aria-current')).toBe('step'));
    expect(asked.filter((n) => n === 'crmDeals.refresh')).toHaveLength(1);
    expect(asked.indexOf('crmDeals.refresh')).toBeGreaterThan(asked.indexOf('deal.forThread'));
  });
});

describe('the deal card’s meeting or recap step', () => {
  it('opens a new message to the first contact, on the thread’s subject, with the text filled in, and says so', async () => {
    const openReply = vi.fn(async (_: ComposeRequest) => true);
    render(<DealSection runtime={runtime()} thread={thread} openReply={openReply} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Do it' }));
    await waitFor(() => expect(openReply).toHaveBeenCalledTimes(1));
    expect(openReply.mock.calls[0]![0]).toEqual({
      to: ['ada@acme.example'],
      subject: 'Re: Acme hiring plans',
      body: replyHtml(RECAP),
    });
    const said = (await screen.findByRole('alert')).textContent;
    expect(said).toContain('a new message to ada@acme.example, subject “Re: Acme hiring plans”, is open');
    expect(said).not.toMatch(/reply is open/);
    expect(screen.queryByRole('textbox', { name: /Your message/ })).toBeNull();
  });

  it('falls back to the text to copy, and says so, where the host cannot open a message', async () => {
    for (const openReply of [undefined, async () => false]) {
      const { unmount } = render(
        <DealSection runtime={runtime()} thread={thread} {...(openReply && { openReply })} />,
      );
      fireEvent.click(await screen.findByRole('button', { name: 'Do it' }));
      expect((await screen.findByRole('alert')).textContent).toContain('cannot open a new message');
      expect(
        ((await screen.findByRole('textbox', { name: /Your message/ })) as HTMLTextAreaElement).value,
      ).toBe(RECAP);
      unmount();
    }
  });
});
