import { afterEach, describe, expect, it } from 'vitest';
import { ThreadlineDb } from '../db/database';
import { defaultPlaybook } from '../process/default-playbook';
import { localProcessSource, remoteProcessSource } from './process-analytics';

/** Process analytics names rules as the playbooks do, from the device and from the backend alike. */
let db: ThreadlineDb;
afterEach(() => db?.close());

describe('rule names for Process analytics', () => {
  it('the device scope names every rule of the playbooks on it, a renamed one by its new name', async () => {
    db = new ThreadlineDb('process-rule-names');
    const playbook = defaultPlaybook();
    playbook.rules.find((r) => r.id === 'pain-unknown')!.name = 'Pain not yet found';
    await db.playbooks.put(playbook);
    const scope = await localProcessSource(db, 'UTC').scope();
    expect(scope.ruleNames?.['pain-unknown']).toBe('Pain not yet found');
    expect(Object.keys(scope.ruleNames ?? {}).sort()).toEqual(playbook.rules.map((r) => r.id).sort());
  });

  it('the backend scope carries the names given to it (the synced playbooks)', async () => {
    const scope = await remoteProcessSource({
      baseUrl: 'http://127.0.0.1:1',
      token: async () => 'unused',
      fetch: () => Promise.reject(new Error('scope does not call the backend')),
      timeZone: 'UTC',
      reps: async () => [],
      stageNames: async () => ({ discovery: 'Discovery' }),
      ruleNames: async () => ({ 'pain-unknown': 'Pain unknown' }),
    }).scope();
    expect(scope).toMatchObject({ scope: 'team', ruleNames: { 'pain-unknown': 'Pain unknown' } });
  });
});
