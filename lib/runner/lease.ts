/**
 * The mailbox send lease (ARCHITECTURE.md, "Sending exactly once", 4): when several devices of the same rep
 * run the engine, only the one holding the mailbox's lease sends. The backend grants it (issue 5); without a
 * backend there is one device and no lease is needed.
 */
export interface SendLease {
  /** Takes or renews the lease of `mailbox` until `until`; false when another device holds it. */
  acquire(mailbox: string, holder: string, now: number, until: number): Promise<boolean>;
}

/** The lease semantics in one process: what the backend implements for several (and what tests use). */
export function createMemoryLease(): SendLease {
  const held = new Map<string, { holder: string; until: number }>();
  return {
    async acquire(mailbox, holder, now, until) {
      const current = held.get(mailbox);
      if (current && current.holder !== holder && current.until > now) return false;
      held.set(mailbox, { holder, until });
      return true;
    },
  };
}
