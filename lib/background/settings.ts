import type { ThreadlineDb } from '../db/database';
import { RepSchema, type Rep } from '../domain/rep';

const REP_KEY = 'rep';
const HOLIDAYS_KEY = 'teamHolidays';

/**
 * The rep this device works for, stored in the local database. Until the rep sets it up in the options page,
 * the browser's own time zone stands in.
 */
export async function loadRep(db: ThreadlineDb, fallbackZone: string): Promise<Rep> {
  const row = await db.meta.get(REP_KEY);
  const parsed = RepSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : { email: 'unknown@threadline.invalid', timeZone: fallbackZone };
}

export async function saveRep(db: ThreadlineDb, rep: Rep): Promise<void> {
  await db.meta.put({ key: REP_KEY, value: RepSchema.parse(rep) });
}

export async function loadTeamHolidays(db: ThreadlineDb): Promise<string[]> {
  const row = await db.meta.get(HOLIDAYS_KEY);
  return Array.isArray(row?.value) ? row.value.filter((d): d is string => typeof d === 'string') : [];
}
