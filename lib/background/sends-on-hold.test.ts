// @vitest-environment node
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { enrollContacts } from '../runner/enroll';
import { addSequence, createTestRunner, emailStep } from '../runner/testing';
import { BackendError } from '../sync/backend-call';
import { browserToolbarIcon } from '../platform/action-icon';
import { createFakeAction } from '../platform/testing';
import { clearHold, createHoldIcon, holdReason, recordHold, sendsHold } from './sends-on-hold';

const T = Date.parse('2026-03-02T10:42:00Z');
const url = 'https://threadline.acme.example';
/** The backend's answer with this HTTP status, as backend-call and lease-client report it. */
const answered = (status: number) => Object.assign(new BackendError(`answered ${status}`), { status });

describe('why sends are on hold', () => {
  it('says the backend cannot be reached when no answer came', () => {
    expect(holdReason(new TypeError('Failed to fetch'), true)).toEqual({ reason: 'unreachable' });
    expect(holdReason(new BackendError('The backend cannot be reached'), true)).toEqual({
      reason: 'unreachable',
    });
  });

  it('says the rep is signed out when the session is gone or refused', () => {
    expect(holdReason(new BackendError('Not signed in to a backend'), false)).toEqual({
      reason: 'signed_out',
    });
    expect(holdReason(answered(401), true)).toEqual({ reason: 'signed_out' });
    expect(holdReason(answered(403), true)).toEqual({ reason: 'signed_out' });
  });

  it('says the backend refused, with its status, for any other answer', () => {
    expect(holdReason(answered(503), true)).toEqual({
      reason: 'refused',
      status: 503,
    });
  });
});

describe('the hold as recorded', () => {
  it('starts at the first failure and keeps that time while failures go on, with the latest reason', async () => {
    const t = createTestRunner({ now: T });
    expect(await sendsHold(t.db, T)).toEqual({});
    const down = new TypeError('Failed to fetch');
    expect(await recordHold(t.db, { error: down, url, signedIn: true, now: T })).toBe(true);
    expect(await recordHold(t.db, { error: down, url, signedIn: true, now: T + 60_000 })).toBe(false);
    expect(await sendsHold(t.db, T + 60_000)).toEqual({
      hold: { since: T, reason: 'unreachable', url, due: 0 },
    });
    const failing = answered(502);
    expect(await recordHold(t.db, { error: failing, url, signedIn: true, now: T + 120_000 })).toBe(true);
    expect((await sendsHold(t.db, T + 120_000)).hold).toMatchObject({
      since: T,
      reason: 'refused',
      status: 502,
    });
  });

  it('is gone once the backend answers, and says so only once', async () => {
    const t = createTestRunner({ now: T });
    await recordHold(t.db, { error: new TypeError('offline'), url, signedIn: true, now: T });
    expect(await clearHold(t.db)).toBe(true);
    expect(await clearHold(t.db)).toBe(false);
    expect(await sendsHold(t.db, T)).toEqual({});
    // A later failure is a new hold, from its own time.
    await recordHold(t.db, { error: new TypeError('offline'), url, signedIn: true, now: T + 600_000 });
    expect((await sendsHold(t.db, T + 600_000)).hold?.since).toBe(T + 600_000);
  });

  it('counts the emails due and waiting, not tasks and not emails due later', async () => {
    const t = createTestRunner({ now: T });
    const anyTime = { sendWindow: { start: '00:00', end: '24:00' }, weekdaysOnly: false };
    await addSequence(t.db, { id: 'mail', settings: anyTime, steps: [emailStep('a')] });
    await addSequence(t.db, {
      id: 'later',
      settings: anyTime,
      steps: [emailStep('b', { value: 2, unit: 'days' })],
    });
    await addSequence(t.db, {
      id: 'call',
      settings: anyTime,
      steps: [{ id: 'c', type: 'call', delay: { value: 0, unit: 'minutes' } }],
    });
    const contacts = (...emails: string[]) => emails.map((email) => ({ email, firstName: 'Ada' }));
    await enrollContacts(t.deps, { sequenceId: 'mail', contacts: contacts('ada@x.example', 'bo@x.example') });
    await enrollContacts(t.deps, { sequenceId: 'later', contacts: contacts('cy@x.example') });
    await enrollContacts(t.deps, { sequenceId: 'call', contacts: contacts('di@x.example') });
    await recordHold(t.db, { error: new TypeError('offline'), url, signedIn: true, now: T });
    expect((await sendsHold(t.db, T)).hold?.due).toBe(2);
  });
});

describe('the toolbar icon while sends are on hold', () => {
  const offline = { error: new TypeError('Failed to fetch'), url, signedIn: true };

  it('turns to the on-hold icon when a hold starts and back when it ends', async () => {
    const t = createTestRunner({ now: T });
    const action = createFakeAction();
    const refresh = createHoldIcon(t.db, browserToolbarIcon(action));
    await refresh();
    expect(action.current()).toBe('normal');
    await recordHold(t.db, { ...offline, now: T });
    await refresh();
    expect(action.current()).toBe('on_hold');
    expect(action.calls.at(-1)).toEqual({
      '16': '/icon/on-hold-16.png',
      '32': '/icon/on-hold-32.png',
      '48': '/icon/on-hold-48.png',
      '128': '/icon/on-hold-128.png',
    });
    await clearHold(t.db);
    await refresh();
    expect(action.current()).toBe('normal');
    expect(action.calls.at(-1)?.['16']).toBe('/icon/16.png');
  });

  it('sets the icon only when the hold starts or ends, not while it goes on', async () => {
    const t = createTestRunner({ now: T });
    const action = createFakeAction();
    const refresh = createHoldIcon(t.db, browserToolbarIcon(action));
    await recordHold(t.db, { ...offline, now: T });
    await refresh();
    await recordHold(t.db, { ...offline, error: new Error('answered 502'), now: T + 60_000 });
    await refresh();
    await refresh();
    expect(action.calls).toHaveLength(1);
  });

  it('shows a hold recorded before the worker restarted', async () => {
    const t = createTestRunner({ now: T });
    await recordHold(t.db, { ...offline, now: T });
    const action = createFakeAction(); // a new worker: a new icon host, the hold still in IndexedDB
    await createHoldIcon(t.db, browserToolbarIcon(action))();
    expect(action.current()).toBe('on_hold');
  });

  it('ends with the icon the database says when a hold ends while the browser is still drawing it', async () => {
    const t = createTestRunner({ now: T });
    const action = createFakeAction();
    let draw!: () => void;
    const drawn = new Promise<void>((resolve) => (draw = resolve));
    const slow = {
      setIcon: async (details: { path: Record<string, string> }) => {
        if (details.path['16']?.includes('on-hold')) await drawn;
        await action.setIcon(details);
      },
    };
    const refresh = createHoldIcon(t.db, browserToolbarIcon(slow));
    await recordHold(t.db, { ...offline, now: T });
    const first = refresh();
    await clearHold(t.db);
    const second = refresh();
    setTimeout(draw, 20);
    await Promise.all([first, second]);
    expect(action.current()).toBe('normal');
  });

  it('keeps following the hold after the browser refused one icon', async () => {
    const t = createTestRunner({ now: T });
    let refuse = true;
    const action = createFakeAction();
    const flaky = {
      setIcon: (details: { path: Record<string, string> }) => {
        if (refuse) throw new Error('Could not load the icon');
        return action.setIcon(details);
      },
    };
    const refresh = createHoldIcon(t.db, browserToolbarIcon(flaky));
    await recordHold(t.db, { ...offline, now: T });
    await expect(refresh()).rejects.toThrow('Could not load the icon');
    refuse = false;
    await refresh();
    expect(action.current()).toBe('on_hold');
  });
});
