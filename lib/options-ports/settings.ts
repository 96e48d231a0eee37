import { z } from 'zod';
import type { ThreadlineDb } from '../db/database';
import { IsoDate } from '../domain/common';
import { SettingsSchema, type Settings } from '../domain/sequence';

const SEQUENCE_DEFAULTS_KEY = 'sequenceDefaults';
const HOLIDAYS_KEY = 'teamHolidays';
const UNSUBSCRIBE_KEY = 'unsubscribeLink';

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
  const stored = (await db.meta.get(SEQUENCE_DEFAULTS_KEY))?.value;
  const parsed = SequenceDefaultsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : SequenceDefaultsSchema.parse({});
}

export async function saveSequenceDefaults(db: ThreadlineDb, defaults: SequenceDefaults): Promise<void> {
  await db.meta.put({ key: SEQUENCE_DEFAULTS_KEY, value: SequenceDefaultsSchema.parse(defaults) });
}

/** A new sequence's settings: the documented defaults with the rep's own on top. */
export async function newSequenceSettings(db: ThreadlineDb): Promise<Settings> {
  return SettingsSchema.parse(await loadSequenceDefaults(db));
}

/** The team holiday calendar, sorted and without repeats (read by the runner through loadTeamHolidays). */
export async function saveTeamHolidays(db: ThreadlineDb, dates: readonly string[]): Promise<string[]> {
  const clean = [...new Set(z.array(IsoDate).max(1000).parse(dates))].sort();
  await db.meta.put({ key: HOLIDAYS_KEY, value: clean });
  return clean;
}

/**
 * Whether emails carry an unsubscribe link and List-Unsubscribe (RFC 8058). Stored for the runner; the
 * one-click link needs the team backend's signed URL, so it is off until the rep turns it on.
 */
export async function loadUnsubscribeLink(db: ThreadlineDb): Promise<boolean> {
  return (await db.meta.get(UNSUBSCRIBE_KEY))?.value === true;
}

export async function saveUnsubscribeLink(db: ThreadlineDb, on: boolean): Promise<void> {
  await db.meta.put({ key: UNSUBSCRIBE_KEY, value: on });
}
