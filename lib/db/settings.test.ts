import { describe, expect, it } from 'vitest';
import { ThreadlineDb } from './database';
import { loadRep, loadTeamHolidays, saveRep, saveTeamHolidays, SETTING_KEYS } from './settings';

let n = 0;
const fresh = () => new ThreadlineDb(`settings-test-${++n}-${Math.random()}`);

describe('device settings (one module, one list of keys)', () => {
  it('reads back the holidays the options page saved, sorted and without repeats, under the one key', async () => {
    const db = fresh();
    await saveTeamHolidays(db, ['2026-12-25', '2026-01-01', '2026-12-25']);
    expect(await loadTeamHolidays(db)).toEqual(['2026-01-01', '2026-12-25']);
    expect((await db.meta.get(SETTING_KEYS.teamHolidays))?.value).toEqual(['2026-01-01', '2026-12-25']);
    await expect(saveTeamHolidays(db, ['25/12/2026'])).rejects.toThrow();
    expect(await loadTeamHolidays(db)).toEqual(['2026-01-01', '2026-12-25']);
  });

  it('stands in the browser zone for a rep not set up yet, and keeps the saved rep', async () => {
    const db = fresh();
    expect(await loadRep(db, 'Europe/Paris')).toEqual({
      email: 'unknown@threadline.invalid',
      timeZone: 'Europe/Paris',
    });
    await saveRep(db, { email: 'rep@seller.example', timeZone: 'America/New_York' });
    expect(await loadRep(db, 'Europe/Paris')).toMatchObject({
      email: 'rep@seller.example',
      timeZone: 'America/New_York',
    });
  });

  it('gives every setting its own key', () => {
    const keys = Object.values(SETTING_KEYS);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
