import { z } from 'zod';
import { IsoDate } from '../domain/common';
import { RepSchema, type Rep } from '../domain/rep';
import { SettingsSchema, type Settings } from '../domain/sequence';
import type { ThreadlineDb } from './database';

/**
 * The device's settings, each a row of the `meta` table under one of these keys. The one list of keys: the
 * background (the runner's rep and holidays) and the options page's ports read and write them only here.
 */
export const SETTING_KEYS = {
  rep: 'rep',
  teamHolidays: 'teamHolidays',
  sequenceDefaults: 'sequenceDefaults',
  unsubscribeLink: 'unsubscribeLink',
} as const;

/**
 * The rep this device works for. Until the rep sets it up in the options page, the browser's own time zone
 * stands in.
 */
export async function loadRep(db: ThreadlineDb, fallbackZone: string): Promise<Rep> {
  const row = await db.meta.get(SETTING_KEYS.rep);
  const parsed = RepSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : { email: 'unknown@threadline.invalid', timeZone: fallbackZone };
}

export async function saveRep(db: ThreadlineDb, rep: Rep): Promise<void> {
  await db.meta.put({ key: SETTING_KEYS.rep, value: RepSchema.parse(rep) });
}

/** What a new sequence starts with; the builder copies these into the sequence's own settings. */
export const SequenceDefaultsSchema = SettingsSchema.pick({
  sendWindow: true,
  timeZoneBasis: true,
  weekdaysOnly: true,
  dailySendCap: true,
  perMinuteCap: true,
  minSecondsBetweenSends: true,
});
export type SequenceDefaults = z.infer<typeof SequenceDefaultsSchema>;

/** The rep's defaults for new sequences, falling back field by field to the documented ones. */
export async function loadSequenceDefaults(db: ThreadlineDb): Promise<SequenceDefaults> {
  const stored = (await db.meta.get(SETTING_KEYS.sequenceDefaults))?.value;
  const parsed = SequenceDefaultsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : SequenceDefaultsSchema.parse({});
}

export async function saveSequenceDefaults(db: ThreadlineDb, defaults: SequenceDefaults): Promise<void> {
  await db.meta.put({ key: SETTING_KEYS.sequenceDefaults, value: SequenceDefaultsSchema.parse(defaults) });
}

/** A new sequence's settings: the documented defaults with the rep's own on top. */
export async function newSequenceSettings(db: ThreadlineDb): Promise<Settings> {
  return SettingsSchema.parse(await loadSequenceDefaults(db));
}

/** The team holiday calendar the runner skips; whatever is stored that is not a string is left out. */
export async function loadTeamHolidays(db: ThreadlineDb): Promise<string[]> {
  const row = await db.meta.get(SETTING_KEYS.teamHolidays);
  return Array.isArray(row?.value) ? row.value.filter((d): d is string => typeof d === 'string') : [];
}

/** The team holiday calendar, sorted and without repeats. */
export async function saveTeamHolidays(db: ThreadlineDb, dates: readonly string[]): Promise<string[]> {
  const clean = [...new Set(z.array(IsoDate).max(1000).parse(dates))].sort();
  await db.meta.put({ key: SETTING_KEYS.teamHolidays, value: clean });
  return clean;
}

/**
 * Whether emails carry an unsubscribe link and List-Unsubscribe (RFC 8058). Stored for the runner; the
 * one-click link needs the team backend's signed URL, so it is off until the rep turns it on.
 */
export async function loadUnsubscribeLink(db: ThreadlineDb): Promise<boolean> {
  return (await db.meta.get(SETTING_KEYS.unsubscribeLink))?.value === true;
}

export async function saveUnsubscribeLink(db: ThreadlineDb, on: boolean): Promise<void> {
  await db.meta.put({ key: SETTING_KEYS.unsubscribeLink, value: on });
}
