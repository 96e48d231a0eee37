import type { Handlers } from '../protocol/endpoints';
import { wakeMailbox } from '../runner/actions';
import type { RunnerDeps } from '../runner/deps';
import type { AccountService } from './accounts';
import { loadRep, saveRep } from '../db/settings';

export interface AccountHandlerDeps {
  accounts: AccountService;
  runner: RunnerDeps;
  /** The browser's own time zone, the rep's until they set one. */
  zone: string;
  /** Asks the engine for a tick once the accounts are loaded. */
  tickSoon(): void;
  viewsChanged(): void;
}

/** Settings → Mailboxes: connecting and disconnecting the rep's Gmail and Outlook mailboxes. */
export function accountHandlers({
  accounts,
  runner,
  zone,
  tickSoon,
  viewsChanged,
}: AccountHandlerDeps): Handlers {
  return {
    'accounts.list': () => accounts.list(),
    'accounts.connect': async (req) => {
      viewsChanged();
      const account = await accounts.connect(req);
      // Sends that waited for this mailbox go now rather than after their back-off.
      if (await wakeMailbox(runner, account.mailbox, runner.clock.now())) tickSoon();
      // The first mailbox connected on a device becomes the rep's sending address.
      const rep = await loadRep(runner.db, zone);
      if (rep.email.endsWith('.invalid')) await saveRep(runner.db, { ...rep, email: account.mailbox });
      return account;
    },
    'accounts.disconnect': async ({ mailbox }) => {
      await accounts.disconnect(mailbox);
      return { ok: true as const };
    },
  };
}
