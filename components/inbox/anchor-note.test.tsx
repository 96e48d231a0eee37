import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seriousViolations } from '@/components/testing/axe';
import type { Runtime } from '../../lib/protocol/endpoints';
import { AnchorNote } from './anchor-note';
import { ThreadContainer } from './thread-container';

afterEach(cleanup);

describe('the note when the mail page changed', () => {
  it('says where the same actions are, opens the details, and can be dismissed', async () => {
    const details = vi.fn();
    const { container } = render(<AnchorNote client="Outlook" reason="anchor" onOpenDiagnostics={details} />);
    const note = screen.getByRole('status', { name: 'Threadline could not find its place on this page.' });
    expect(note.textContent).toContain('Outlook may have changed its page');
    expect(note.textContent).toContain('side panel');
    expect(await seriousViolations(container)).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Details' }));
    expect(details).toHaveBeenCalledOnce();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('tells a Gmail rep that InboxSDK did not load', () => {
    render(<AnchorNote client="Gmail" reason="sdk" onOpenDiagnostics={() => {}} />);
    expect(screen.getByRole('status').textContent).toContain('InboxSDK) did not load');
  });
});

describe('people whose address is unknown', () => {
  it('are listed in the thread panel with “address unknown”, and cannot be enrolled', async () => {
    const runtime: Runtime = {
      id: 'ext',
      onMessage: { addListener: () => undefined },
      sendMessage: async () => ({
        ok: true,
        data: { participants: [{ email: 'ada@acme.example', name: 'Ada', state: { kind: 'not_enrolled' } }] },
      }),
    };
    render(
      <ThreadContainer
        runtime={runtime}
        thread={{
          id: 'c1',
          subject: 'Renewal',
          participants: [{ email: 'ada@acme.example', name: 'Ada' }],
          unknownAddresses: [{ name: 'Sam Rivera' }],
        }}
      />,
    );
    await screen.findByRole('button', { name: 'Enroll: Ada' });
    const also = screen.getByRole('region', { name: 'Also in this thread' });
    expect(also.textContent).toBe('Also in this threadSam Rivera (address unknown)');
    expect(screen.queryByRole('button', { name: /Enroll: Sam/ })).toBeNull();
  });
});
