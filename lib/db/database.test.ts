import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { defineVersions, ThreadlineDb } from './database';

let n = 0;
const names: string[] = [];
const freshName = () => {
  const name = `upgrade-test-${n++}`;
  names.push(name);
  return name;
};
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

describe('database versions', () => {
  it('opens a new database at the latest version', async () => {
    const db = new ThreadlineDb(freshName());
    await db.open();
    expect(db.verno).toBe(6);
    db.close();
  });

  it('upgrades v1 to v2: keeps every row and gives old contacts their company domain', async () => {
    const name = freshName();
    const v1 = new Dexie(name);
    defineVersions(v1, 1);
    await v1.open();
    await v1.table('contacts').bulkAdd([
      { id: 'c1', email: 'ada@acme.example', custom: {} },
      { id: 'c2', email: 'bo@beta.example', domain: 'beta-group.example', custom: {} },
    ]);
    await v1.table('tasks').add({ id: 't1', enrollmentId: 'e1', status: 'open', dueAt: 5 });
    v1.close();

    const db = new ThreadlineDb(name);
    await db.open();
    expect(db.verno).toBe(6);
    expect((await db.contacts.get('c1'))?.domain).toBe('acme.example');
    expect((await db.contacts.get('c2'))?.domain).toBe('beta-group.example');
    expect(await db.contacts.where('domain').equals('acme.example').count()).toBe(1);
    expect(await db.tasks.where('[status+dueAt]').between(['open', 0], ['open', 10]).count()).toBe(1);
    db.close();
  });

  it('upgrades v2 to v3: finds enrollments by thread and starts with nothing handled', async () => {
    const name = freshName();
    const v2 = new Dexie(name);
    defineVersions(v2, 2);
    await v2.open();
    await v2
      .table('enrollments')
      .add({ id: 'e1', contactId: 'c1', sequenceId: 's1', status: 'active', threadId: 't-9' });
    v2.close();

    const db = new ThreadlineDb(name);
    await db.open();
    expect((await db.enrollments.where('threadId').equals('t-9').first())?.id).toBe('e1');
    expect(await db.inbound.count()).toBe(0);
    db.close();
  });

  it('upgrades v3 to v4: an empty queue for the backend, every row kept', async () => {
    const name = freshName();
    const v3 = new Dexie(name);
    defineVersions(v3, 3);
    await v3.open();
    await v3.table('sequences').add({ id: 's1', name: 'Follow-up', ownerId: 'rep', steps: [] });
    v3.close();

    const db = new ThreadlineDb(name);
    await db.open();
    expect(db.verno).toBe(6);
    expect((await db.sequences.get('s1'))?.name).toBe('Follow-up');
    expect(await db.syncOutbox.count()).toBe(0);
    db.close();
  });

  it('upgrades v4 to v5: finds a deal by a linked thread or its company domain, every row kept', async () => {
    const name = freshName();
    const v4 = new Dexie(name);
    defineVersions(v4, 4);
    await v4.open();
    await v4
      .table('contacts')
      .add({ id: 'c1', email: 'ada@acme.example', domain: 'acme.example', custom: {} });
    v4.close();

    const db = new ThreadlineDb(name);
    await db.open();
    expect(db.verno).toBe(6);
    expect((await db.contacts.get('c1'))?.email).toBe('ada@acme.example');
    await db.deals.add({
      id: 'd1',
      name: 'Acme',
      companyDomain: 'acme.example',
      ownerId: 'rep@us.example',
      pipelineId: 'b2b',
      stageId: 'discovery',
      stageEnteredAt: 1,
      contacts: [],
      facts: {},
      threadIds: ['t-1', 't-2'],
      status: 'open',
      createdAt: 1,
      updatedAt: 1,
    });
    expect((await db.deals.where('threadIds').equals('t-2').first())?.id).toBe('d1');
    expect(await db.deals.where('companyDomain').equals('acme.example').count()).toBe(1);
    expect(await db.dealEvents.where('[dealId+at]').between(['d1', 0], ['d1', Infinity]).count()).toBe(0);
    expect(await db.dealFlags.count()).toBe(0);
    db.close();
  });

  it('upgrades v5 to v6: a sequence’s enrollments newest first from the index, every row kept', async () => {
    const name = freshName();
    const v5 = new Dexie(name);
    defineVersions(v5, 5);
    await v5.open();
    const enrollment = (id: string, sequenceId: string, enrolledAt: number) => ({
      id,
      sequenceId,
      contactId: `c-${id}`,
      mailbox: 'rep@us.example',
      status: 'active',
      enrolledAt,
      stepIndex: 0,
      edits: {},
      messageIds: [],
      failures: 0,
      version: 0,
    });
    await v5
      .table('enrollments')
      .bulkAdd([
        enrollment('e1', 'q1', 10),
        enrollment('e2', 'q1', 30),
        enrollment('e3', 'q2', 20),
        enrollment('e4', 'q1', 20),
      ]);
    v5.close();

    const db = new ThreadlineDb(name);
    await db.open();
    expect(db.verno).toBe(6);
    const newest = await db.enrollments
      .where('[sequenceId+enrolledAt]')
      .between(['q1', Dexie.minKey], ['q1', Dexie.maxKey])
      .reverse()
      .limit(2)
      .primaryKeys();
    expect(newest).toEqual(['e2', 'e4']);
    expect(await db.enrollments.count()).toBe(4);
    db.close();
  });
});
