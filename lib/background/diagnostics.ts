import { Email } from '../domain/common';
import type { Handlers, Sender } from '../protocol/endpoints';
import type { AccountView } from '../protocol/messages';
import type { MailProvider } from '../mail/provider';
import {
  clearDiagnostics,
  listDiagnostics,
  recordDiagnostic,
  type DiagnosticsDb,
} from '../diagnostics/store';

export interface DiagnosticsDeps {
  db: DiagnosticsDb;
  /** The extension's version (the manifest's). */
  version: string;
  now: () => number;
  accounts: {
    list(): Promise<AccountView[]>;
    mailFor(mailbox: string): MailProvider | undefined;
  };
}

/** The mail host a report came from: the sender's page, never what the page claims. */
const hostOf = (sender: Sender) => {
  try {
    return new URL(sender.url ?? '').hostname || 'unknown';
  } catch {
    return 'unknown';
  }
};

/**
 * The background's side of Diagnostics (anchor misses kept in IndexedDB for Settings → Diagnostics) and of
 * the Outlook driver's question about people shown by name alone, which only the background can answer: it
 * holds the mailbox's Graph provider.
 */
export function diagnosticsHandlers(deps: DiagnosticsDeps): Handlers {
  return {
    'diagnostics.record': async (report, sender) => {
      await recordDiagnostic(deps.db, { ...report, host: hostOf(sender), version: deps.version }, deps.now());
      return { ok: true as const };
    },
    'diagnostics.list': async () => ({ entries: await listDiagnostics(deps.db) }),
    'diagnostics.clear': async () => {
      await clearDiagnostics(deps.db);
      return { ok: true as const };
    },
    'thread.people': async ({ conversationId, mailbox }) => {
      const outlook = (await deps.accounts.list()).filter((a) => a.provider === 'graph');
      // The mailbox the page shows, else the only Outlook mailbox connected; never a guess among several.
      const account =
        outlook.find((a) => a.mailbox === mailbox) ?? (outlook.length === 1 ? outlook[0] : undefined);
      const provider = account ? deps.accounts.mailFor(account.mailbox) : undefined;
      if (!provider?.threadPeople) return { people: [] };
      const people = await provider.threadPeople(conversationId);
      return {
        // An address the mailbox holds but no mail client could write to is left out, not the whole answer.
        people: people
          .filter((p) => Email.safeParse(p.address).success)
          .slice(0, 500)
          .map((p) => ({
            email: p.address,
            ...(p.name ? { name: p.name.slice(0, 200) } : {}),
          })),
      };
    },
  };
}
