// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../contract/auth';
import { ThreadlineDb } from '../db/database';
import {
  applyContactSignal,
  finishTask,
  pauseEnrollment,
  resumeEnrollment,
  unenrollEnrollment,
} from '../runner/actions';
import type { Enrollment } from '../domain/enrollment';
import { MailError } from '../mail/provider';
import { enrollContacts } from '../runner/enroll';
import {
  addSequence,
  ANY_TIME,
  createTestRunner,
  emailStep,
  runUntil,
  type TestRunner,
} from '../runner/testing';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import { createDexieSyncStore, disableSync, enableSync } from './dexie-store';
import { createSyncClient } from './sync-client';

/**
 * The extension's local database synced through the real backend (in-process, on PostgreSQL): what one
 * device does, the rep's other device and the rep's manager see; nothing is pushed back that came from the
 * server; nothing is queued before the rep signs in.
 */
let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
}, 60_000);
afterAll(() => server?.close());

const START = Date.parse('2026-03-02T09:00:00Z');
let clients = 0;

function syncer(db: ThreadlineDb, session: () => Session) {
  return createSyncClient({
    baseUrl: 'http://threadline.test',
    fetch: (input, init) => Promise.resolve(server.app.request(String(input), init)),
    token: () => session().accessToken,
    clientId: `client-${++clients}`,
    store: createDexieSyncStore(db),
    now: () => START,
  });
}

async function workedDevice(rep: Session): Promise<TestRunner> {
  const laptop = createTestRunner({ now: START, rep: { email: rep.user.email } });
  await enableSync(laptop.db, rep.user.id);
  await addSequence(laptop.db, {
    settings: ANY_TIME,
    steps: [
      emailStep('a'),
      { id: 'call', type: 'call', delay: { value: 1, unit: 'hours' }, title: 'Call {{contact.firstName}}' },
      emailStep('b', { value: 1, unit: 'hours' }),
    ],
  });
  await enrollContacts(laptop.deps, {
    sequenceId: 'seq-1',
    contacts: [
      { email: 'ada@buyer.example', firstName: 'Ada' },
      { email: 'bo@buyer.example', firstName: 'Bo' },
    ],
  });
  await runUntil(laptop, START + 2 * 3_600_000);
  return laptop;
}

describe('the local database syncs through the backend', () => {
  it('queues nothing until the rep signs in, then everything the device already holds', async () => {
    const t = createTestRunner({ now: START });
    await addSequence(t.db, { steps: [emailStep('a')] });
    await enrollContacts(t.deps, { sequenceId: 'seq-1', contacts: [{ email: 'cy@buyer.example' }] });
    expect(await t.db.syncOutbox.count()).toBe(0);
    await enableSync(t.db, 'member-1');
    const names = (await t.db.syncOutbox.toArray()).map((m) => m.name);
    expect(names.slice(0, 3)).toEqual(['contact.upsert', 'sequence.upsert', 'enroll']);
    expect(names).toContain('events.record');
    await pauseEnrollment(t.deps, (await t.db.enrollments.toArray())[0]!.id, START + 1);
    const queued = (await t.db.syncOutbox.toArray()).slice(-3);
    expect(queued.map((m) => m.name)).toEqual(['enrollment.pause', 'enrollment.progress', 'events.record']);
    // The delay left when paused goes with it (a resume on any device waits it out).
    expect(queued[1]!.args).toHaveProperty('remainingMs');
    await disableSync(t.db);
    expect(await t.db.syncOutbox.count()).toBe(0);
  });

  it('shows the rep’s other device and manager what one device did, and brings changes back', async () => {
    const { admin: manager, members } = await server.newTeam('rep');
    const rep = members[0]!;
    const laptop = await workedDevice(rep);
    const call = (await laptop.db.tasks.toArray())[0]!;
    await finishTask(laptop.deps, call.id, 'completed', START + 2 * 3_600_000, { outcome: 'connected' });

    const laptopSync = syncer(laptop.db, () => rep);
    const first = await laptopSync.syncOnce();
    expect(first.error).toBeUndefined();
    expect(first.rejected).toEqual([]);
    // What came back from the server is not queued again.
    expect(await laptop.db.syncOutbox.count()).toBe(0);

    const desktop = new ThreadlineDb(`desktop-${Date.now()}`);
    await enableSync(desktop, rep.user.id);
    const desktopSync = syncer(desktop, () => rep);
    expect((await desktopSync.syncOnce()).error).toBeUndefined();
    const byId = <T extends { id: string }>(rows: T[]) => rows.sort((a, b) => a.id.localeCompare(b.id));
    const strip = <T extends { version?: number }>(rows: T[]) => rows.map(({ version: _v, ...r }) => r);
    expect(strip(byId(await desktop.enrollments.toArray()))).toEqual(
      strip(byId(await laptop.db.enrollments.toArray())),
    );
    expect(byId(await desktop.tasks.toArray())).toEqual(byId(await laptop.db.tasks.toArray()));
    expect(await desktop.events.count()).toBe(await laptop.db.events.count());
    expect((await desktop.tasks.get(call.id))?.outcome).toBe('connected');
    // The rep's own sequence stays theirs by address on the other device (the backend keeps member ids).
    await desktop.meta.put({ key: 'rep', value: { email: rep.user.email, timeZone: 'Europe/London' } });
    await desktop.meta.put({ key: 'sync.cursor', value: 0 });
    await desktopSync.syncOnce();
    expect((await desktop.sequences.get('seq-1'))?.ownerId).toBe(rep.user.email);

    // The desktop pauses Ada; the laptop learns it at its next sync.
    const ada = (await desktop.contacts.where('email').equals('ada@buyer.example').first())!;
    const adaEnrollment = (await desktop.enrollments.where('contactId').equals(ada.id).first())!;
    await pauseEnrollment({ ...laptop.deps, db: desktop }, adaEnrollment.id, START + 3 * 3_600_000);
    expect((await desktopSync.syncOnce()).rejected).toEqual([]);
    await laptopSync.syncOnce();
    expect((await laptop.db.enrollments.get(adaEnrollment.id))?.status).toBe('paused');

    // The manager's device keeps the team's enrollments out of its own working tables (its runner would
    // otherwise try to send them) but sees the shared do-not-contact list.
    await laptop.db.suppressions.put({ email: 'no@buyer.example', reason: 'manual', at: START });
    await laptopSync.syncOnce();
    const managerDb = new ThreadlineDb(`manager-${Date.now()}`);
    await enableSync(managerDb, manager.user.id);
    expect((await syncer(managerDb, () => manager).syncOnce()).error).toBeUndefined();
    expect(await managerDb.enrollments.count()).toBe(0);
    expect(await managerDb.suppressions.get('no@buyer.example')).toBeTruthy();
  }, 60_000);

  it('carries a sequence on past a completed task, on the device that did it and on the other', async () => {
    const { members } = await server.newTeam('rep');
    const rep = members[0]!;
    const laptop = await workedDevice(rep);
    const laptopSync = syncer(laptop.db, () => rep);
    await laptopSync.syncOnce();
    // Both calls are due; the rep does them, the steps after wait no more.
    for (const call of await laptop.db.tasks.toArray())
      await finishTask(laptop.deps, call.id, 'completed', START + 2 * 3_600_000, { outcome: 'connected' });
    const waiting = (rows: { waitingTaskId?: string }[]) => rows.filter((e) => e.waitingTaskId).length;
    expect(waiting(await laptop.db.enrollments.toArray())).toBe(0);
    expect((await laptopSync.syncOnce()).rejected).toEqual([]);
    await laptopSync.syncOnce();
    expect(waiting(await laptop.db.enrollments.toArray())).toBe(0);

    const desktop = new ThreadlineDb(`desktop-task-${Date.now()}`);
    await enableSync(desktop, rep.user.id);
    expect((await syncer(desktop, () => rep).syncOnce()).error).toBeUndefined();
    const enrollments = await desktop.enrollments.toArray();
    expect(enrollments).toHaveLength(2);
    expect(waiting(enrollments)).toBe(0);
    expect(enrollments.every((e) => e.dueAt === START + 3 * 3_600_000)).toBe(true);

    // Paused half an hour before its next email, an enrollment keeps that half hour through the round trip.
    const one = enrollments[0]!;
    await pauseEnrollment(laptop.deps, one.id, START + 2.5 * 3_600_000);
    await laptopSync.syncOnce();
    await laptopSync.syncOnce();
    expect(await laptop.db.enrollments.get(one.id)).toMatchObject({
      status: 'paused',
      remainingMs: 1_800_000,
    });
    expect((await laptop.db.enrollments.get(one.id))?.dueAt).toBeUndefined();
    await syncer(desktop, () => rep).syncOnce();
    expect(await desktop.enrollments.get(one.id)).toMatchObject({ status: 'paused', remainingMs: 1_800_000 });
  }, 60_000);

  it('after every sync the backend holds exactly the rows the device wrote, through a sequence’s whole life', async () => {
    const { members } = await server.newTeam('rep');
    const rep = members[0]!;
    const t = createTestRunner({ now: START, rep: { email: rep.user.email } });
    await enableSync(t.db, rep.user.id);
    const sync = syncer(t.db, () => rep);
    const H = 3_600_000;
    await addSequence(t.db, {
      settings: ANY_TIME,
      steps: [
        emailStep('a'),
        { id: 'call', type: 'call', delay: { value: 1, unit: 'hours' }, title: 'Call {{contact.firstName}}' },
        emailStep('b', { value: 1, unit: 'hours' }),
        { id: 'li', type: 'linkedin', delay: { value: 1, unit: 'hours' }, title: 'Connect' },
        emailStep('c', { value: 1, unit: 'hours' }),
      ],
    });
    const people = ['ada', 'bo', 'cy', 'di'];
    await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: people.map((p) => ({ email: `${p}@buyer.example`, firstName: p })),
    });
    const id = async (p: string) => {
      const c = (await t.db.contacts.where('email').equals(`${p}@buyer.example`).first())!;
      return (await t.db.enrollments.where('contactId').equals(c.id).first())!.id;
    };
    const strip = <T extends { version?: number }>({ version: _v, ...row }: T) => row;
    const same = async (when: string) => {
      expect((await sync.syncOnce()).rejected, when).toEqual([]);
      const pulled = await server.call<{ rows: { kind: string; id: string; data: unknown }[] }>(
        'GET',
        '/sync/pull?cursor=0&limit=10000',
        { token: rep.accessToken },
      );
      const held = new Map(
        pulled.body.rows.filter((r) => r.kind === 'enrollment').map((r) => [r.id, r.data as Enrollment]),
      );
      for (const local of await t.db.enrollments.toArray())
        expect(strip(held.get(local.id)!), `${when}: ${local.id}`).toEqual(strip(local));
    };
    const openTasks = async () => (await t.db.tasks.toArray()).filter((x) => x.status === 'open');

    await runUntil(t, START + 1.5 * H);
    await same('first emails sent, calls waiting');
    // Bo's call is done; Cy's is skipped; Ada's email fails once for a while (backing off).
    const calls = await openTasks();
    for (const task of calls) {
      const who = task.enrollmentId;
      if (who === (await id('bo')))
        await finishTask(t.deps, task.id, 'completed', START + 1.5 * H, { outcome: 'connected' });
      if (who === (await id('cy'))) await finishTask(t.deps, task.id, 'skipped', START + 1.5 * H);
    }
    await same('a call done, a call skipped');
    await pauseEnrollment(t.deps, await id('bo'), START + 2 * H);
    await applyContactSignal(
      t.deps,
      'di@buyer.example',
      { type: 'out_of_office', returnAt: START + 30 * H },
      START + 2 * H,
    );
    await same('paused by the rep and by an out-of-office');
    await resumeEnrollment(t.deps, await id('bo'), START + 3 * H);
    t.mail.failNext('send', new MailError('503 Service Unavailable', 'transient', 503));
    await runUntil(t, START + 3.5 * H);
    await same('resumed, a send backing off');
    for (const task of await openTasks()) await finishTask(t.deps, task.id, 'completed', START + 4 * H);
    await unenrollEnrollment(t.deps, await id('ada'), START + 4 * H);
    await runUntil(t, START + 40 * H);
    for (const task of await openTasks()) await finishTask(t.deps, task.id, 'completed', START + 40 * H);
    await runUntil(t, START + 48 * H);
    await same('finished, unenrolled, back from the out-of-office');
    const statuses = (await t.db.enrollments.toArray()).map((e) => e.status).sort();
    expect(statuses).toEqual(['finished', 'finished', 'finished', 'unenrolled']);
  }, 60_000);

  it('brings back a row it held off while its own change waited, when the server ignored that change', async () => {
    const { members } = await server.newTeam('rep');
    const rep = members[0]!;
    const laptop = await workedDevice(rep);
    const laptopSync = syncer(laptop.db, () => rep);
    await laptopSync.syncOnce();
    const desktop = new ThreadlineDb(`desktop-ignored-${Date.now()}`);
    await enableSync(desktop, rep.user.id);
    const desktopSync = syncer(desktop, () => rep);
    await desktopSync.syncOnce();
    const id = (await laptop.db.enrollments.toArray())[0]!.id;
    // The desktop ends the enrollment; the laptop, not told yet, pauses it.
    await unenrollEnrollment({ ...laptop.deps, db: desktop }, id, START + 3 * 3_600_000);
    expect((await desktopSync.syncOnce()).rejected).toEqual([]);
    await pauseEnrollment(laptop.deps, id, START + 3 * 3_600_000 + 60_000);
    // A pull lands while the pause still waits to be pushed (the rep paused during a sync): the pulled row
    // must not undo the pause yet.
    const store = createDexieSyncStore(laptop.db);
    const pull = await server.call<{ rows: never[]; cursor: number }>(
      'GET',
      `/sync/pull?cursor=${await store.cursor()}`,
      { token: rep.accessToken },
    );
    await store.applyPulled(pull.body.rows, pull.body.cursor);
    expect((await laptop.db.enrollments.get(id))?.status).toBe('paused');
    // The pause reaches the server, which ignores it (an ended enrollment stays ended); the laptop follows.
    expect((await laptopSync.syncOnce()).error).toBeUndefined();
    expect(await laptop.db.enrollments.get(id)).toMatchObject({ status: 'unenrolled', reason: 'manual' });
  }, 60_000);

  it('never lets a pulled row overwrite a local change that is still waiting to be pushed', async () => {
    const { members } = await server.newTeam('rep');
    const rep = members[0]!;
    const laptop = await workedDevice(rep);
    const laptopSync = syncer(laptop.db, () => rep);
    await laptopSync.syncOnce();
    const enrollment = (await laptop.db.enrollments.toArray())[0]!;
    await pauseEnrollment(laptop.deps, enrollment.id, START + 3 * 3_600_000);
    // The server still has it active; a pull alone (as if the push had failed) must keep the pause.
    const store = createDexieSyncStore(laptop.db);
    const pull = await server.call<{ rows: never[]; cursor: number }>('GET', '/sync/pull?cursor=0', {
      token: rep.accessToken,
    });
    await store.applyPulled(pull.body.rows, pull.body.cursor);
    expect((await laptop.db.enrollments.get(enrollment.id))?.status).toBe('paused');
    expect((await laptopSync.syncOnce()).rejected).toEqual([]);
    expect((await laptop.db.enrollments.get(enrollment.id))?.status).toBe('paused');
  }, 60_000);
});
