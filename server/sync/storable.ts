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

/** Deeper than this, a mutation's args are refused: no domain value nests near it. */
export const MAX_DEPTH = 64;

/**
 * `path: problem` for the first string (or object key) in `value` the database cannot store, or for nesting
 * deeper than MAX_DEPTH. Iterative, and a node's path is spelled out only for the one reported: a value
 * nested thousands deep from a hostile client can neither overflow the stack nor cost quadratic time.
 */
export function unstorableText(value: unknown, path: string): string | undefined {
  interface Node {
    value: unknown;
    key: string;
    parent: Node | undefined;
    depth: number;
  }
  const pathOf = (node: Node) => {
    const keys: string[] = [];
    for (let n: Node | undefined = node; n; n = n.parent) keys.push(n.key);
    return keys.reverse().join('.');
  };
  const stack: Node[] = [{ value, key: path, parent: undefined, depth: 0 }];
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      const problem = problemOf(node.value);
      if (problem) return `${pathOf(node)}: ${problem}`;
      continue;
    }
    if (typeof node.value !== 'object' || node.value === null) continue;
    if (node.depth >= MAX_DEPTH) return `${pathOf(node)}: nested deeper than ${MAX_DEPTH} levels`;
    const entries = Object.entries(node.value);
    // Reversed onto the stack, so the first problem in document order is the one reported.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      const keyProblem = problemOf(key);
      if (keyProblem) return `${pathOf(node)}: the key ${JSON.stringify(key)} ${keyProblem}`;
      stack.push({ value: item, key, parent: node, depth: node.depth + 1 });
    }
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
