import { createGmailProvider } from '../../lib/mail/gmail/provider';
import { createGraphProvider } from '../../lib/mail/graph/provider';
import type { MailProvider } from '../../lib/mail/provider';
import { createTestRunner, type TestRunner } from '../../lib/runner/testing';
import type { Sandbox } from '../../tools/sandbox/server';

export type ProviderKind = 'gmail' | 'graph';

/** A real provider over real HTTP against the mail sandbox, with the runner's virtual clock and no real waits. */
export function sandboxProvider(
  sandbox: Sandbox,
  kind: ProviderKind,
  mailbox: string,
  clock: () => number,
): MailProvider {
  sandbox.addMailbox(mailbox, kind);
  const options = {
    mailbox,
    getAccessToken: async () => sandbox.tokenFor(mailbox),
    fetch: globalThis.fetch,
    clock,
    sleep: async () => {},
  };
  return kind === 'gmail'
    ? createGmailProvider({ ...options, baseUrl: sandbox.gmailBase })
    : createGraphProvider({ ...options, baseUrl: sandbox.graphBase });
}

/** The runner wired to a sandbox mailbox. */
export function sandboxRunner(
  sandbox: Sandbox,
  kind: ProviderKind,
  now: number,
  mailbox: string,
): TestRunner & { provider: MailProvider } {
  const holder: { provider?: MailProvider } = {};
  const t = createTestRunner({
    now,
    rep: { email: mailbox },
    mail: (m) => (m === mailbox ? holder.provider : undefined),
  });
  const provider = sandboxProvider(sandbox, kind, mailbox, () => t.clock.now);
  holder.provider = provider;
  return { ...t, provider };
}
