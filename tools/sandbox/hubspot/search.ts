/** CRM search (POST /crm/v3/objects/{t}/search): filter groups, operators, one sort, paging. Pure. */
import { isRecord } from '../context';

export interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
  highValue?: string;
}

export interface SearchRequest {
  filterGroups: { filters: Filter[] }[];
  sorts: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
  query?: string;
  properties?: string[];
  limit: number;
  after: number;
}

export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
];

export const MAX_GROUPS = 5;
export const MAX_FILTERS_PER_GROUP = 6;
export const MAX_FILTERS = 18;
export const MAX_LIMIT = 200;
export const MAX_RESULTS = 10_000;
export const MAX_QUERY = 3000;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** The request, or the message of the 400 HubSpot answers. */
export function parseSearch(body: unknown): SearchRequest | string {
  const b = isRecord(body) ? body : {};
  const groupsIn = b.filterGroups ?? [];
  if (!Array.isArray(groupsIn)) return 'filterGroups must be an array';
  if (groupsIn.length > MAX_GROUPS)
    return `There are too many filter groups (${groupsIn.length}); the limit is ${MAX_GROUPS}.`;
  const filterGroups: SearchRequest['filterGroups'] = [];
  let total = 0;
  for (const [gi, g] of groupsIn.entries()) {
    const filtersIn = isRecord(g) && Array.isArray(g.filters) ? g.filters : undefined;
    if (!filtersIn) return `filterGroups[${gi}].filters must be an array`;
    if (filtersIn.length > MAX_FILTERS_PER_GROUP)
      return `filterGroups[${gi}] has ${filtersIn.length} filters; the limit per group is ${MAX_FILTERS_PER_GROUP}.`;
    total += filtersIn.length;
    const filters: Filter[] = [];
    for (const [fi, f] of filtersIn.entries()) {
      if (!isRecord(f) || typeof f.propertyName !== 'string' || typeof f.operator !== 'string')
        return `filterGroups[${gi}].filters[${fi}] needs propertyName and operator`;
      if (!OPERATORS.includes(f.operator))
        return `filterGroups[${gi}].filters[${fi}].operator ${f.operator} is not one of ${OPERATORS.join(', ')}`;
      const value = str(f.value);
      const highValue = str(f.highValue);
      const values = Array.isArray(f.values) ? f.values.map((v) => str(v) ?? '') : undefined;
      const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(f.operator);
      if (needsValue && value === undefined)
        return `filterGroups[${gi}].filters[${fi}]: operator ${f.operator} needs a value`;
      if ((f.operator === 'IN' || f.operator === 'NOT_IN') && !values)
        return `filterGroups[${gi}].filters[${fi}]: operator ${f.operator} needs values`;
      if (f.operator === 'BETWEEN' && highValue === undefined)
        return `filterGroups[${gi}].filters[${fi}]: BETWEEN needs a highValue`;
      filters.push({
        propertyName: f.propertyName,
        operator: f.operator,
        ...(value !== undefined ? { value } : {}),
        ...(values ? { values } : {}),
        ...(highValue !== undefined ? { highValue } : {}),
      });
    }
    filterGroups.push({ filters });
  }
  if (total > MAX_FILTERS) return `There are ${total} filters in all; the limit is ${MAX_FILTERS}.`;
  const sortsIn = b.sorts ?? [];
  if (!Array.isArray(sortsIn)) return 'sorts must be an array';
  if (sortsIn.length > 1) return 'Only one sort is allowed.';
  const sorts: SearchRequest['sorts'] = [];
  for (const s of sortsIn) {
    if (typeof s === 'string') {
      // The spec types a sort as a string: "-createdate" for descending.
      sorts.push(
        s.startsWith('-')
          ? { propertyName: s.slice(1), direction: 'DESCENDING' }
          : { propertyName: s, direction: 'ASCENDING' },
      );
    } else if (isRecord(s) && typeof s.propertyName === 'string') {
      const direction = s.direction ?? 'ASCENDING';
      if (direction !== 'ASCENDING' && direction !== 'DESCENDING')
        return `sorts[0].direction must be ASCENDING or DESCENDING`;
      sorts.push({ propertyName: s.propertyName, direction });
    } else return 'sorts[0] needs a propertyName';
  }
  const query = b.query === undefined ? undefined : str(b.query);
  if (query !== undefined && query.length > MAX_QUERY)
    return `query is ${query.length} characters; the limit is ${MAX_QUERY}.`;
  const limit = b.limit === undefined ? 10 : Number(b.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    return `limit must be an integer from 1 to ${MAX_LIMIT}`;
  const after = b.after === undefined || b.after === '' ? 0 : Number(b.after);
  if (!Number.isInteger(after) || after < 0) return 'after must be a non-negative integer string';
  if (after + limit > MAX_RESULTS)
    return `Paging past ${MAX_RESULTS} results is not allowed; narrow the filters.`;
  const properties = Array.isArray(b.properties) ? b.properties.map((p) => String(p)) : undefined;
  return {
    filterGroups,
    sorts,
    ...(query !== undefined ? { query } : {}),
    ...(properties ? { properties } : {}),
    limit,
    after,
  };
}

export interface Searchable {
  id: string;
  properties: Record<string, string>;
  /** Ids of associated records, by singular type name (`contact`, `company`, `deal`). */
  associations: Record<string, string[]>;
  createdSeq: number;
}

const num = (v: string): number | undefined => {
  if (v.trim() === '') return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
};

function compare(a: string, b: string): number {
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x - y;
  return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
}

const tokens = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}@._-]+/u)
    .filter(Boolean);

function tokenMatch(text: string, pattern: string): boolean {
  const p = pattern.toLowerCase();
  if (!p.includes('*')) return tokens(text).includes(p) || text.toLowerCase() === p;
  const re = new RegExp(
    `^${p
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return [text.toLowerCase(), ...tokens(text)].some((t) => re.test(t));
}

/** Values compare case-insensitively, except enumeration properties. */
function matches(r: Searchable, f: Filter, enumeration: (name: string) => boolean): boolean {
  const assoc = /^associations\.(\w+)$/.exec(f.propertyName);
  if (assoc) {
    const ids = r.associations[assoc[1]!] ?? [];
    if (f.operator === 'EQ') return ids.includes(f.value ?? '');
    if (f.operator === 'IN') return (f.values ?? []).some((v) => ids.includes(v));
    if (f.operator === 'NEQ') return !ids.includes(f.value ?? '');
    if (f.operator === 'HAS_PROPERTY') return ids.length > 0;
    if (f.operator === 'NOT_HAS_PROPERTY') return ids.length === 0;
    return false;
  }
  const have = r.properties[f.propertyName];
  const present = have !== undefined && have !== '';
  const cs = enumeration(f.propertyName);
  const eq = (a: string, b: string) => (cs ? a === b : a.toLowerCase() === b.toLowerCase());
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return present;
    case 'NOT_HAS_PROPERTY':
      return !present;
    case 'EQ':
      return present && eq(have, f.value!);
    case 'NEQ':
      return !present || !eq(have, f.value!);
    case 'LT':
      return present && compare(have, f.value!) < 0;
    case 'LTE':
      return present && compare(have, f.value!) <= 0;
    case 'GT':
      return present && compare(have, f.value!) > 0;
    case 'GTE':
      return present && compare(have, f.value!) >= 0;
    case 'BETWEEN':
      return present && compare(have, f.value!) >= 0 && compare(have, f.highValue!) <= 0;
    // IN / NOT_IN on strings: the values must be lower case; the stored value is compared lower-cased.
    case 'IN':
      return present && (f.values ?? []).some((v) => (cs ? have === v : have.toLowerCase() === v));
    case 'NOT_IN':
      return !present || !(f.values ?? []).some((v) => (cs ? have === v : have.toLowerCase() === v));
    case 'CONTAINS_TOKEN':
      return present && tokenMatch(have, f.value!);
    case 'NOT_CONTAINS_TOKEN':
      return !present || !tokenMatch(have, f.value!);
    default:
      return false;
  }
}

/** The matching records in order, and the total before paging. */
export function runSearch(
  records: Searchable[],
  req: SearchRequest,
  searchable: string[],
  enumeration: (name: string) => boolean,
): { total: number; page: Searchable[]; next?: number } {
  let hits = records.filter(
    (r) =>
      req.filterGroups.length === 0 ||
      req.filterGroups.some((g) => g.filters.every((f) => matches(r, f, enumeration))),
  );
  if (req.query) {
    const words = tokens(req.query);
    hits = hits.filter((r) =>
      words.every((w) =>
        searchable.some((p) => {
          const v = r.properties[p];
          return v !== undefined && (tokens(v).some((t) => t.startsWith(w)) || v.toLowerCase().includes(w));
        }),
      ),
    );
  }
  const sort = req.sorts[0];
  hits.sort((a, b) => {
    if (sort) {
      const x = a.properties[sort.propertyName] ?? '';
      const y = b.properties[sort.propertyName] ?? '';
      const c = compare(x, y);
      if (c !== 0) return sort.direction === 'DESCENDING' ? -c : c;
    }
    return a.createdSeq - b.createdSeq;
  });
  const total = hits.length;
  const page = hits.slice(req.after, req.after + req.limit);
  const end = req.after + page.length;
  return { total, page, ...(end < total && end < MAX_RESULTS ? { next: end } : {}) };
}
