import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../../lib/protocol/endpoints';
import { SendsOnHoldNotice } from './sends-on-hold';

/** The background's answer to `sends.hold`, and every message the notice sent. */
function background(hold: unknown) {
  const asked: { name: string; request: unknown }[] = [];
  const runtime: Runtime = {
    id: 'ext',
    sendMessage: vi.fn(async (message: unknown) => {
      const { name, request } = message as { name: string; request: unknown };
      asked.push({ name, request });
      if (name === 'sends.hold') return { ok: true, data: hold ? { hold } : {} };
      if (name === 'options.open') return { ok: true, data: { ok: true } };
      return { ok: false, error: `unexpected ${name}` };
    }),
    onMessage: { addListener: () => undefined },
  };
  return { runtime, asked };
}

afterEach(cleanup);

describe('the inbox’s sends-on-hold notice', () => {
  it('shows the background’s hold and opens Team & sync through the background', async () => {
    const since = Date.now() - 5 * 60_000;
    const bg = background({ since, reason: 'unreachable', url: 'http://127.0.0.1:8787', due: 1 });
    render(<SendsOnHoldNotice runtime={bg.runtime} />);
    const banner = await screen.findByRole('status');
    expect(banner.textContent).toContain('can’t reach your team’s backend at http://127.0.0.1:8787');
    fireEvent.click(screen.getByRole('button', { name: 'Open Team & sync' }));
    await waitFor(() =>
      expect(bg.asked).toContainEqual({ name: 'options.open', request: { section: 'backend' } }),
    );
  });

  it('shows nothing while sends go out, or when the background answers something unexpected', async () => {
    for (const hold of [undefined, { since: 1, reason: 'bored', url: 'x', due: 0 }]) {
      const bg = background(hold);
      const { container } = render(<SendsOnHoldNotice runtime={bg.runtime} />);
      await waitFor(() => expect(bg.asked.map((a) => a.name)).toContain('sends.hold'));
      await new Promise((resolve) => setTimeout(resolve, 20)); // the answer's render, had it one
      expect(container.textContent).toBe('');
      cleanup();
    }
  });
});
