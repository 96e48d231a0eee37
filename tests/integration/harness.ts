import { createGmailProvider } from '../../lib/mail/gmail/provider';
import { createGraphProvider } from '../../lib/mail/graph/provider';
import type { MailProvider } from '../../lib/mail/provider';
import type { RunnerDeps } from '../../lib/runner/deps';
import { createTestRunner, type TestRunner } from '../../lib/runner/testing';
import { tick } from '../../lib/runner/tick';
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

/** A device of the two-devices tests: its runner's test parts and the deps it ticks with (its lease). */
export interface TickingDevice {
  t: TestRunner;
  deps: RunnerDeps;
  /** The device is closed from this moment on: it never ticks at or after it, whatever its alarm says. */
  closesAt?: number;
}

/**
 * Lets the devices' alarms fire as browsers would, all open devices ticking together at each alarm, until none
 * is due; `advance` hears every move of the clock (a server whose lease expiry runs on the same clock).
 */
export async function tickTogether(
  devices: readonly TickingDevice[],
  start: number,
  advance: (ms: number) => void = () => {},
  maxTicks = 2_000,
): Promise<void> {
  const open = (d: TickingDevice, at: number) => d.closesAt === undefined || at < d.closesAt;
  let now = start;
  for (let i = 0; i < maxTicks; i++) {
    const next = Math.min(
      ...devices.map((d) => d.t.alarm.at ?? Infinity).filter((at, k) => open(devices[k]!, at)),
    );
    if (next === Infinity) return;
    const at = Math.max(now, next);
    advance(at - now);
    now = at;
    for (const d of devices) d.t.clock.now = now;
    await Promise.all(devices.filter((d) => open(d, now)).map((d) => tick(d.deps)));
  }
}
