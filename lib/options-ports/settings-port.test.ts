import { describe, expect, it } from 'vitest';
import { enrollContacts } from '../runner/enroll';
import { addSequence, createTestRunner, emailStep } from '../runner/testing';
import type { Runtime } from '../protocol/endpoints';
import { loadRep, loadTeamHolidays, newSequenceSettings } from '../db/settings';
import { createSettingsPort } from './settings-port';

const NOW = Date.parse('2026-03-02T10:00:00Z');

/** The background's answers to accounts.list / accounts.disconnect, recorded. */
function fakeRuntime(mailboxes: string[]) {
  const disconnected: string[] = [];
  const runtime: Runtime = {
    id: 'ext',
    onMessage: { addListener: () => undefined },
    sendMessage: async (m) => {
      const { name, request } = m as { name: string; request: { mailbox?: string } };
      if (name === 'accounts.list')
        return {
          ok: true,
          data: mailboxes.map((mailbox) => ({ provider: 'gmail', mailbox, connectedAt: 1, dailyLimit: 500 })),
        };
      disconnected.push(request.mailbox!);
      return { ok: true, data: { ok: true } };
    },
  };
  return { runtime, disconnected };
}

async function setUp() {
  const t = createTestRunner({ now: NOW });
  const { runtime, disconnected } = fakeRuntime(['rep@seller.example']);
  let ids = 0;
  const port = createSettingsPort({
    db: t.db,
    runtime,
    alarm: t.deps.alarm,
    zone: 'Europe/London',
    now: () => t.clock.now,
    newId: () => `c-${++ids}`,
  });
  return { ...t, port, disconnected };
}

async function enrollAda(t: Awaited<ReturnType<typeof setUp>>) {
  await addSequence(t.db, { steps: [emailStep('a', { value: 2, unit: 'days' })] });
  const r = await enrollContacts(t.deps, { sequenceId: 'seq-1', contacts: [{ email: 'ada@acme.example' }] });
  return r.enrolled[0]!.enrollmentId;
}

describe('the Settings page over the local database', () => {
  it('saves the rep and the defaults for new sequences where the runner and the builder read them', async () => {
    const t = await setUp();
    await t.port.saveDefaults(
      { name: 'Sam Rep', email: 'Sam@Seller.example', timeZone: 'America/New_York', signature: 'Sam\nAcme' },
      {
        sendWindow: { start: '09:00', end: '17:00' },
        timeZoneBasis: 'rep',
        weekdaysOnly: true,
        dailySendCap: 200,
        perMinuteCap: 5,
        minSecondsBetweenSends: 60,
      },
    );
    expect(await loadRep(t.db, 'UTC')).toEqual({
      name: 'Sam Rep',
      email: 'sam@seller.example',
      timeZone: 'America/New_York',
      signature: 'Sam\nAcme',
    });
    expect(await newSequenceSettings(t.db)).toMatchObject({
      sendWindow: { start: '09:00', end: '17:00' },
      dailySendCap: 200,
      holidays: [],
      tasksBlock: true,
    });
  });

  it('refuses defaults that would break sending, naming the field', async () => {
    const t = await setUp();
    const { sequence } = await t.port.loadDefaults();
    await expect(
      t.port.saveDefaults(
        { name: '', email: 'sam@seller.example', timeZone: 'Mars/Base', signature: '' },
        sequence,
      ),
    ).rejects.toThrow(/timeZone: is not an IANA time zone/);
    await expect(
      t.port.saveDefaults(
        { name: '', email: 'sam@seller.example', timeZone: 'UTC', signature: '' },
        { ...sequence, sendWindow: { start: '18:00', end: '08:00' } },
      ),
    ).rejects.toThrow(/sendWindow: the send window must end after it starts/);
  });

  it('keeps the team holidays sorted and unique for the runner', async () => {
    const t = await setUp();
    await t.port.saveHolidays(['2026-12-25', '2026-01-01', '2026-12-25']);
    expect(await loadTeamHolidays(t.db)).toEqual(['2026-01-01', '2026-12-25']);
  });

  it('remembers the unsubscribe-link choice, off until turned on', async () => {
    const t = await setUp();
    expect(await t.port.loadUnsubscribeLink()).toBe(false);
    await t.port.saveUnsubscribeLink(true);
    expect(await t.port.loadUnsubscribeLink()).toBe(true);
  });
});

describe('the do-not-contact list', () => {
  it('adding an enrolled contact’s address stops the enrollment, and bad entries are named', async () => {
    const t = await setUp();
    const enrollmentId = await enrollAda(t);
    const r = await t.port.addDoNotContact('ADA@acme.example, bo@acme.example; acme.example not-an-address');
    expect(r.added).toEqual(['ada@acme.example', 'bo@acme.example']);
    expect(r.stopped).toBe(1);
    expect(r.rejected).toEqual([
      { entry: 'acme.example', reason: 'whole domains cannot be blocked yet: add each address' },
      { entry: 'not-an-address', reason: 'is not a valid email address' },
    ]);
    expect(await t.db.enrollments.get(enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'manual',
    });
    expect((await t.port.listDoNotContact()).map((s) => [s.email, s.reason])).toEqual([
      ['ada@acme.example', 'manual'],
      ['bo@acme.example', 'manual'],
    ]);
  });

  it('keeps the reason of an address already on the list', async () => {
    const t = await setUp();
    await t.db.suppressions.put({ email: 'ada@acme.example', reason: 'hard_bounce', at: 1 });
    const r = await t.port.addDoNotContact('ada@acme.example');
    expect(r).toMatchObject({ added: [], alreadyListed: ['ada@acme.example'] });
    expect((await t.db.suppressions.get('ada@acme.example'))?.reason).toBe('hard_bounce');
  });

  it('imports a CSV all or nothing, naming each bad row', async () => {
    const t = await setUp();
    const bad = await t.port.importDoNotContactCsv('Email,Name\nada@acme.example,Ada\nnope,Bo\n,Cy\n');
    expect(bad).toEqual({
      added: 0,
      alreadyListed: 0,
      stopped: 0,
      rejected: [
        { row: 3, problem: '"nope" is not a valid email address' },
        { row: 4, problem: 'has no email address' },
      ],
    });
    expect(await t.db.suppressions.count()).toBe(0);
    const good = await t.port.importDoNotContactCsv('ada@acme.example\nbo@acme.example\n');
    expect(good).toMatchObject({ added: 2, rejected: [] });
  });

  it('exports the list as CSV and removes an address', async () => {
    const t = await setUp();
    await t.port.addDoNotContact('ada@acme.example');
    expect(await t.port.exportDoNotContactCsv()).toBe(
      'email,reason,added,note\r\nada@acme.example,manual,2026-03-02T10:00:00.000Z,',
    );
    await t.port.removeDoNotContact('ada@acme.example');
    expect(await t.port.listDoNotContact()).toEqual([]);
  });
});

describe('your data', () => {
  it('exports every table but never a token or secret', async () => {
    const t = await setUp();
    await enrollAda(t);
    await t.db.meta.put({ key: 'backendSession', value: { token: 'secret' } });
    await t.db.meta.put({ key: 'teamHolidays', value: ['2026-12-25'] });
    const data = JSON.parse(await t.port.exportAllData());
    expect(data.format).toBe('threadline-export');
    expect(Object.keys(data.tables)).toEqual(
      expect.arrayContaining(['contacts', 'sequences', 'enrollments', 'events', 'suppressions', 'meta']),
    );
    expect(data.tables.contacts[0].email).toBe('ada@acme.example');
    expect(data.tables.meta.map((r: { key: string }) => r.key)).toEqual(['teamHolidays']);
    expect(JSON.stringify(data)).not.toContain('secret');
  });

  it('deletes everything after disconnecting the mailboxes and clearing the alarm', async () => {
    const t = await setUp();
    await enrollAda(t);
    expect(t.alarm.at).toBeDefined();
    await t.port.deleteAllData();
    expect(t.disconnected).toEqual(['rep@seller.example']);
    expect(t.alarm.at).toBeUndefined();
    for (const table of t.db.tables) expect(await table.count()).toBe(0);
  });
});
