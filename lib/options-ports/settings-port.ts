import type { SettingsPort } from '@/lib/options-ports/interfaces/settings';
import type { ThreadlineDb } from '../db/database';
import { parseOrThrow } from '../domain/common';
import { RepSchema } from '../domain/rep';
import { send, type Runtime } from '../protocol/endpoints';
import type { AlarmPort, RunnerDeps } from '../runner/deps';
import { htmlToText } from '../templates/text';
import { importContacts } from './contacts-import';
import { deleteAllData, exportAllData } from './data-export';
import {
  SequenceDefaultsSchema,
  loadRep,
  loadSequenceDefaults,
  loadTeamHolidays,
  loadUnsubscribeLink,
  saveRep,
  saveSequenceDefaults,
  saveTeamHolidays,
  saveUnsubscribeLink,
} from '../db/settings';
import {
  addSuppressions,
  importSuppressionsCsv,
  listSuppressions,
  parseEntries,
  removeSuppression,
  suppressionsToCsv,
} from './suppressions';

export interface SettingsPortDeps {
  db: ThreadlineDb;
  /** The background, for the mailbox connections (their tokens live there). */
  runtime: Runtime;
  /** The runner's tick alarm: stopping enrollments re-arms it, deleting everything clears it. */
  alarm: AlarmPort;
  /** The browser's zone, until the rep picks one. */
  zone: string;
  now?: () => number;
  newId?: () => string;
}

/** The Settings page's port over the local database (the options page opens the same IndexedDB). */
export function createSettingsPort(deps: SettingsPortDeps): SettingsPort {
  const { db } = deps;
  const now = deps.now ?? (() => Date.now());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const runner: RunnerDeps = {
    db,
    clock: { now },
    alarm: deps.alarm,
    // The options page never sends: it only stops enrollments, which needs no mailbox.
    mailFor: () => undefined,
    rep: () => loadRep(db, deps.zone),
    teamHolidays: () => loadTeamHolidays(db),
    newId,
    htmlToText,
  };

  return {
    async loadDefaults() {
      const rep = await loadRep(db, deps.zone);
      return {
        profile: {
          name: rep.name ?? '',
          email: rep.email.endsWith('.invalid') ? '' : rep.email,
          timeZone: rep.timeZone,
          signature: rep.signature ?? '',
        },
        sequence: await loadSequenceDefaults(db),
      };
    },
    async saveDefaults(profile, sequence) {
      const rep = parseOrThrow(RepSchema, {
        email: profile.email,
        timeZone: profile.timeZone,
        ...(profile.name.trim() ? { name: profile.name.trim() } : {}),
        ...(profile.signature.trim() ? { signature: profile.signature.trim() } : {}),
      });
      const defaults = parseOrThrow(SequenceDefaultsSchema, sequence);
      await saveRep(db, rep);
      await saveSequenceDefaults(db, defaults);
    },
    loadHolidays: () => loadTeamHolidays(db),
    saveHolidays: (dates) => saveTeamHolidays(db, dates),
    loadUnsubscribeLink: () => loadUnsubscribeLink(db),
    saveUnsubscribeLink: (on) => saveUnsubscribeLink(db, on),
    listDoNotContact: () => listSuppressions(db),
    async addDoNotContact(text) {
      const { emails, rejected } = parseEntries(text);
      const r = await addSuppressions(runner, emails, now());
      return { ...r, rejected };
    },
    removeDoNotContact: (email) => removeSuppression(db, email),
    importDoNotContactCsv: (text) => importSuppressionsCsv(runner, text, now()),
    exportDoNotContactCsv: async () => suppressionsToCsv(await listSuppressions(db)),
    importContacts: (req) => importContacts(db, req, newId),
    exportAllData: async () => JSON.stringify(await exportAllData(db, now()), null, 2),
    deleteAllData: () =>
      deleteAllData(db, {
        alarm: deps.alarm,
        disconnectMailboxes: async () => {
          for (const a of await send(deps.runtime, 'accounts.list', {}))
            await send(deps.runtime, 'accounts.disconnect', { mailbox: a.mailbox });
        },
      }),
  };
}
