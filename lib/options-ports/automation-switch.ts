import type { ThreadlineDb } from '../db/database';
import { AUTOMATIONS_OFF_KEY, parseAutomationsOff } from '../process/automations';
import type { AutomationsPort } from './interfaces/deals';

async function readOff(db: ThreadlineDb): Promise<string[]> {
  return parseAutomationsOff((await db.meta.get(AUTOMATIONS_OFF_KEY))?.value);
}

/** The rep's automation switches over this device's meta table, and the sequences on it. */
export function createAutomationsPort(db: ThreadlineDb): AutomationsPort {
  return {
    turnedOff: () => readOff(db),
    async setOff(id, off) {
      if (!id.trim()) throw new Error('No automation named');
      const now = new Set(await readOff(db));
      if (off) now.add(id);
      else now.delete(id);
      const value = [...now].sort();
      await db.meta.put({ key: AUTOMATIONS_OFF_KEY, value });
      return value;
    },
    async sequences() {
      const all = await db.sequences.toArray();
      return all
        .filter((s) => !s.archived)
        .map((s) => ({ id: s.id, name: s.name }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
