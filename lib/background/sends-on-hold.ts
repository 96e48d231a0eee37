import type { ThreadlineDb } from '../db/database';
import type { ToolbarIcon } from '../platform/action-icon';
import type { ResponseOf } from '../protocol/messages';
import { LEASE_RETRY_MS } from '../runner/deps';
import { BackendError } from '../sync/backend-call';

/**
 * While signed in, this device sends only while it holds the backend's mailbox lease; when the backend cannot
 * be asked, nothing goes out ("never twice" wins over "on time"). This records since when and why, in
 * IndexedDB (the worker may die at any moment), so the inbox UI can tell the rep their sends are on hold.
 */
export const HOLD_KEY = 'sync.hold';

export type SendsHold = NonNullable<ResponseOf<'sends.hold'>['hold']>;
type StoredHold = Omit<SendsHold, 'due'>;

/** Why the backend could not be asked, in the rep's terms. */
export function holdReason(error: Error, signedIn: boolean): Pick<StoredHold, 'reason' | 'status'> {
  const status = error instanceof BackendError ? error.status : undefined;
  // A refused refresh token signs the device out (backend-session.ts); a refused access token means the same.
  if (!signedIn || status === 401 || status === 403) return { reason: 'signed_out' };
  if (status !== undefined) return { reason: 'refused', status };
  return { reason: 'unreachable' };
}

const loadHold = async (db: ThreadlineDb) => (await db.meta.get(HOLD_KEY))?.value as StoredHold | undefined;

/**
 * The backend could not be asked for the lease: sends are on hold from now, or still since they first were
 * (the reason is the latest). True when the banner's words change.
 */
export async function recordHold(
  db: ThreadlineDb,
  failure: { error: Error; url: string; signedIn: boolean; now: number },
): Promise<boolean> {
  const before = await loadHold(db);
  const hold: StoredHold = {
    since: before?.since ?? failure.now,
    url: failure.url,
    ...holdReason(failure.error, failure.signedIn),
  };
  if (before && JSON.stringify(before) === JSON.stringify(hold)) return false;
  await db.meta.put({ key: HOLD_KEY, value: hold });
  return true;
}

/** The backend answered (a lease granted or held by another device, a sync that went through). True if held. */
export async function clearHold(db: ThreadlineDb): Promise<boolean> {
  if (!(await loadHold(db))) return false;
  await db.meta.delete(HOLD_KEY);
  return true;
}

/**
 * The toolbar icon follows the recorded hold (greyed with a pause badge while sends are on hold), so the rep
 * sees it on any tab. Call it at worker start (the browser forgets a set icon when it restarts; the hold is in
 * IndexedDB) and whenever the hold may have changed. Calls run one after another so a hold that starts and
 * ends quickly leaves the icon as the database says, and the icon is set only when its state changes.
 */
export function createHoldIcon(db: ThreadlineDb, icon: ToolbarIcon): () => Promise<void> {
  let shown: boolean | undefined;
  let queue = Promise.resolve();
  const refresh = async () => {
    const onHold = Boolean(await loadHold(db));
    if (onHold === shown) return;
    await icon.show(onHold ? 'on_hold' : 'normal');
    shown = onHold;
  };
  return () => (queue = queue.then(refresh, refresh));
}

/**
 * The hold as the inbox shows it, with how many emails are waiting for it: enrollments due now (or put off by
 * a held lease, LEASE_RETRY_MS) whose next step is an automatic email. Due enrollments are few and indexed.
 */
export async function sendsHold(db: ThreadlineDb, now: number): Promise<ResponseOf<'sends.hold'>> {
  const hold = await loadHold(db);
  if (!hold) return {};
  const due = (
    await db.enrollments
      .where('dueAt')
      .belowOrEqual(now + LEASE_RETRY_MS)
      .toArray()
  ).filter((e) => e.status === 'active' && !e.waitingTaskId);
  const sequences = new Map(
    (await db.sequences.bulkGet([...new Set(due.map((e) => e.sequenceId))]))
      .filter((s) => s !== undefined)
      .map((s) => [s.id, s]),
  );
  const emails = due.filter((e) => sequences.get(e.sequenceId)?.steps[e.stepIndex]?.type === 'auto_email');
  return { hold: { ...hold, due: emails.length } };
}
