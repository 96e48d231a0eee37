import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seriousViolations } from '../testing/axe';
import { SendsOnHold, type SendsHold } from './sends-on-hold';

// Monday 9 March 2026, 14:00 in New York; sends held since 10:42 that morning.
const now = Date.parse('2026-03-09T18:00:00Z');
const repTimeZone = 'America/New_York';
const since = Date.parse('2026-03-09T14:42:00Z');
const url = 'https://threadline.acme.example';
const unreachable: SendsHold = { since, reason: 'unreachable', url, due: 3 };

afterEach(cleanup);

const show = (hold: SendsHold | undefined, onOpenSettings = vi.fn()) =>
  render(<SendsOnHold hold={hold} now={now} repTimeZone={repTimeZone} onOpenSettings={onOpenSettings} />);

describe('the sends-on-hold banner', () => {
  it('shows nothing while sends go out as usual', () => {
    const { container } = show(undefined);
    expect(container.textContent).toBe('');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says sends are held, since when on the rep’s clock, why, and how many emails wait', () => {
    show(unreachable);
    expect(screen.getByRole('status').textContent).toBe(
      `Sends are on hold: this computer can’t reach your team’s backend at ${url} since 10:42. ` +
        '3 emails due will go out once it can. Open Team & sync',
    );
  });

  it('names the day when the hold began before today, and speaks of emails due when none is counted', () => {
    show({ ...unreachable, since: since - 86_400_000, due: 0 });
    expect(screen.getByRole('status').textContent).toContain('since yesterday 10:42. Emails due will go out');
  });

  it('asks the rep to sign in again when the session is gone', () => {
    show({ since, reason: 'signed_out', url, due: 1 });
    const banner = screen.getByRole('status');
    expect(banner.textContent).toContain(
      'this computer has been signed out of your team’s backend since 10:42.',
    );
    expect(banner.textContent).toContain('1 email due will go out once you sign in again.');
    expect(screen.getByRole('button', { name: 'Sign in again' })).toBeTruthy();
  });

  it('tells a failing backend from one that refuses this computer', () => {
    show({ since, reason: 'refused', url, status: 503, due: 2 });
    expect(screen.getByRole('status').textContent).toContain(
      `your team’s backend at ${url} has been failing (HTTP 503) since 10:42.`,
    );
    cleanup();
    show({ since, reason: 'refused', url, status: 404, due: 2 });
    expect(screen.getByRole('status').textContent).toContain(
      'has refused this computer (HTTP 404) since 10:42.',
    );
  });

  it('opens Settings → Team & sync from its button, and has no serious accessibility problem', async () => {
    const open = vi.fn();
    const { container } = show(unreachable, open);
    fireEvent.click(screen.getByRole('button', { name: 'Open Team & sync' }));
    expect(open).toHaveBeenCalledTimes(1);
    expect(await seriousViolations(container)).toEqual([]);
  });
});
