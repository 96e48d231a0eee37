/**
 * InboxSDK checks its app id offline against this pattern (HOSTS.md, InboxSDK 2.2.x): `sdk_<name>_<10 hex>`,
 * the hex part being the first 10 characters of sha1 of the app's name. A bad id only logs an error and
 * shows a warning inside Gmail, so Threadline says so itself (Settings → Diagnostics).
 */
const APP_ID = /^sdk_(.{5,15})_([0-9a-f]{10})$/;

export type AppIdProblem = 'no_app_id' | 'invalid_app_id';

export function appIdProblem(appId: string | undefined): AppIdProblem | undefined {
  if (!appId?.trim()) return 'no_app_id';
  return APP_ID.test(appId.trim()) ? undefined : 'invalid_app_id';
}

/** How long Gmail may take to load InboxSDK before the rep is told it did not. */
export const SDK_LOAD_TIMEOUT_MS = 30_000;

/**
 * Loads the SDK, reporting a missing or malformed app id (InboxSDK still tries) and a load that fails or
 * takes longer than `timeoutMs` (it may still finish: the driver starts then).
 */
export async function loadReporting<T>(
  appId: string | undefined,
  load: (appId: string) => Promise<T>,
  report: (detail: AppIdProblem | 'load_failed') => void,
  timeoutMs = SDK_LOAD_TIMEOUT_MS,
): Promise<T> {
  const problem = appIdProblem(appId);
  if (problem) report(problem);
  const slow = setTimeout(() => report('load_failed'), timeoutMs);
  try {
    return await load(appId?.trim() ?? '');
  } catch (error) {
    report('load_failed');
    throw error;
  } finally {
    clearTimeout(slow);
  }
}
