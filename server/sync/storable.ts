/**
 * What PostgreSQL cannot store, said plainly. Zod accepts any JavaScript string, but a `text` or `jsonb`
 * value cannot hold U+0000, and `jsonb` refuses half of a UTF-16 surrogate pair (a string cut in the middle
 * of an emoji). A mutation carrying either is rejected before it reaches the database, and any other
 * database error that is the data's fault becomes that mutation's rejection (server/sync/routes.ts).
 */

const NUL = 'contains a NUL character, which cannot be stored';
const SURROGATE = 'contains half of a UTF-16 surrogate pair (a broken character), which cannot be stored';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problemOf(text: string): string | undefined {
  if (text.includes('\u0000')) return NUL;
  if (LONE_SURROGATE.test(text)) return SURROGATE;
  return undefined;
}

/** `path: problem` for the first string (or object key) in `value` the database cannot store. */
export function unstorableText(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    const problem = problemOf(value);
    return problem && `${path}: ${problem}`;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = problemOf(key);
    if (keyProblem) return `${path}: the key ${JSON.stringify(key)} ${keyProblem}`;
    const found = unstorableText(item, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * SQLSTATEs that say the data itself is wrong, so sending it again would fail again: data exceptions (22…,
 * e.g. a number out of range, text the encoding refuses), program limits (54…, e.g. a value too large),
 * a not-null or check constraint. Not unique or foreign-key violations, serialization failures, lost
 * connections or shutdowns: those may pass on a retry, so the push fails as a whole and the client retries.
 */
function isDataError(code: string): boolean {
  return code.startsWith('22') || code.startsWith('54') || code === '23502' || code === '23514';
}

/**
 * The reason to give for a database error caused by a mutation's data, or undefined when the error is not
 * the data's fault. The database's own message, without its details (they can quote internals).
 */
export function refusalOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, detail } = error as { code?: unknown; message?: unknown; detail?: unknown };
  if (typeof code !== 'string' || !isDataError(code)) return undefined;
  const said = `${String(message)} ${typeof detail === 'string' ? detail : ''}`;
  if (/\\u0000|0x00\b/.test(said)) return `text ${NUL}`;
  if (/surrogate/i.test(said)) return `text ${SURROGATE}`;
  return `the database refused it: ${String(message)}`;
}
