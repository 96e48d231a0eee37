/**
 * The OData `$filter` and `$orderby` subset the sandbox understands on message lists, with Exchange's rule for
 * using both at once (Microsoft Graph, "Update to filtering and sorting", and the list-messages docs): every
 * property of `$orderby` must also be in `$filter`, in the same order, before any other property; otherwise
 * Graph answers 400 InefficientFilter. The reference CSDL (tests/fixtures/reference) lists the properties but not
 * this rule, so it is written down here.
 */
import { graphError, type Reply } from './errors';
import type { StoredMessage } from './store';

/** How the mailbox names a message's folder (`parentFolderId`): the one thing a filter needs beyond the message. */
export type FolderIdOf = (m: StoredMessage) => string;

type Value = string | number | boolean | null;
type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** The properties a filter or sort may name, read the way messageJson shows them. */
const PROPERTIES: Record<
  string,
  { kind: 'string' | 'date' | 'boolean'; of(m: StoredMessage, folderIdOf: FolderIdOf): Value }
> = {
  internetMessageId: { kind: 'string', of: (m) => m.parsed.messageId ?? null },
  conversationId: { kind: 'string', of: (m) => m.threadId },
  // Filterable on Graph (list messages across folders minus some, e.g. Sent Items).
  parentFolderId: { kind: 'string', of: (m, folderIdOf) => folderIdOf(m) },
  subject: { kind: 'string', of: (m) => (m.draft ? m.draft.subject : m.parsed.subject) },
  isDraft: { kind: 'boolean', of: (m) => m.isDraft },
  isRead: { kind: 'boolean', of: (m) => m.isRead },
  receivedDateTime: { kind: 'date', of: (m) => m.sentAt ?? m.createdAt },
  sentDateTime: { kind: 'date', of: (m) => m.sentAt ?? null },
  createdDateTime: { kind: 'date', of: (m) => m.createdAt },
  lastModifiedDateTime: { kind: 'date', of: (m) => m.modifiedAt },
};
const bad = (code: string, message: string): Reply => graphError(400, code, message);
const INEFFICIENT = (): Reply =>
  bad('InefficientFilter', 'The restriction or sort order is too complex for this operation.');

interface Clause {
  property: string;
  op: Op;
  value: Value;
}

const CLAUSE =
  /^\s*(\w+)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|true|false|null|\d{4}-\d\d-\d\dT[\d:.]+Z)\s*$/;

function parseClauses(raw: string): Clause[] | Reply {
  // Quoted literals may contain " and "; split only outside quotes.
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "'") quoted = !quoted;
    if (!quoted && raw.slice(i, i + 5).toLowerCase() === ' and ') {
      parts.push(current);
      current = '';
      i += 4;
      continue;
    }
    current += c;
  }
  parts.push(current);
  const clauses: Clause[] = [];
  for (const part of parts) {
    const m = CLAUSE.exec(part);
    const property = m?.[1] ?? '';
    const spec = PROPERTIES[property];
    if (!m || !spec)
      return bad(
        'ErrorInvalidUrlQueryFilter',
        `The sandbox supports "<property> <eq|ne|gt|ge|lt|le> <literal>" joined by "and" on ${Object.keys(PROPERTIES).join(', ')}, not: ${part.trim()}`,
      );
    const literal = m[3]!;
    let value: Value;
    if (literal.startsWith("'")) value = literal.slice(1, -1).replace(/''/g, "'");
    else if (literal === 'true' || literal === 'false') value = literal === 'true';
    else if (literal === 'null') value = null;
    else value = Date.parse(literal);
    const kindOf =
      value === null
        ? spec.kind
        : typeof value === 'string'
          ? 'string'
          : typeof value === 'boolean'
            ? 'boolean'
            : 'date';
    if (kindOf !== spec.kind)
      return bad(
        'BadRequest',
        `A binary operator with incompatible types was detected: ${property} and ${literal}.`,
      );
    clauses.push({ property, op: m[2] as Op, value });
  }
  return clauses;
}

function test(actual: Value, op: Op, wanted: Value): boolean {
  if (op === 'eq') return actual === wanted;
  if (op === 'ne') return actual !== wanted;
  if (actual === null || wanted === null) return false;
  if (op === 'gt') return actual > wanted;
  if (op === 'ge') return actual >= wanted;
  if (op === 'lt') return actual < wanted;
  return actual <= wanted;
}

export interface MessageQuery {
  filter(m: StoredMessage): boolean;
  /** Sorts a mailbox's messages (in arrival order) newest first unless `$orderby` says otherwise. */
  sort(messages: StoredMessage[]): StoredMessage[];
}

export function messageQuery(query: URLSearchParams, folderIdOf: FolderIdOf): MessageQuery | Reply {
  const rawFilter = query.get('$filter');
  const clauses = rawFilter === null ? [] : parseClauses(rawFilter);
  if (!Array.isArray(clauses)) return clauses;
  const rawOrder = query.get('$orderby');
  const order: { property: string; desc: boolean }[] = [];
  for (const item of rawOrder === null ? [] : rawOrder.split(',')) {
    const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(item);
    if (!m || !PROPERTIES[m[1]!])
      return bad('BadRequest', `Could not find a property named '${item.trim()}' to sort messages by.`);
    order.push({ property: m[1]!, desc: m[2]?.toLowerCase() === 'desc' });
  }
  if (order.length > 0 && clauses.length > 0) {
    // Each sorted property first in the filter, in the sort's order; other properties only after them.
    const named = [...new Set(clauses.map((c) => c.property))];
    if (order.some((o, i) => named[i] !== o.property)) return INEFFICIENT();
  }
  const keys = order.length > 0 ? order : [{ property: 'receivedDateTime', desc: true }];
  return {
    filter: (m) => clauses.every((c) => test(PROPERTIES[c.property]!.of(m, folderIdOf), c.op, c.value)),
    sort: (messages) =>
      messages
        .map((m, arrival) => ({ m, arrival }))
        .sort((a, b) => {
          for (const { property, desc } of keys) {
            const x = PROPERTIES[property]!.of(a.m, folderIdOf);
            const y = PROPERTIES[property]!.of(b.m, folderIdOf);
            if (x === y) continue;
            const less = x === null || (y !== null && x < y);
            return (less ? -1 : 1) * (desc ? -1 : 1);
          }
          // Same instant: the later arrival counts as the newer, as Exchange's finer clock would have it.
          return (keys[0]!.desc ? -1 : 1) * (a.arrival - b.arrival);
        })
        .map(({ m }) => m),
  };
}
