import fc from 'fast-check';

/** The part of JSON Schema (2020-12, as @hono/zod-openapi and zod's toJSONSchema write it) we generate from. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/**
 * How many times one `$ref` is expanded inside itself. A recursive schema (the playbook's AND/OR condition
 * groups) would otherwise be expanded for ever while the arbitrary is built; past this depth only the
 * choices that do not recurse are left (a union's other members, an empty optional array, a left-out
 * optional property).
 */
export const MAX_REF_DEPTH = 3;

/**
 * Values that satisfy `schema` (mostly: patterns and cross-field rules are not followed, which makes some
 * of them invalid in ways the server must refuse too). Strings and arrays are kept short; the mutations
 * (below) bring the huge ones. A recursive schema nests at most MAX_REF_DEPTH levels.
 */
export function arbitraryOf(
  schema: JsonSchema,
  defs: Record<string, JsonSchema> = {},
): fc.Arbitrary<unknown> {
  // A schema that can only recurse past the limit (none of the above choices) still gets a value to send.
  return bounded(schema, defs, { root: schema }, {}) ?? fc.jsonValue({ maxDepth: 2 });
}

/** The arbitrary of `schema`, or undefined when every value of it would nest a `$ref` past MAX_REF_DEPTH. */
function bounded(
  schema: JsonSchema,
  defs: Record<string, JsonSchema>,
  roots: { root: JsonSchema },
  expanded: Record<string, number>,
): fc.Arbitrary<unknown> | undefined {
  const all = { ...defs, ...schema.$defs };
  const of = (s: JsonSchema) => bounded(s, all, roots, expanded);
  if (schema.$ref) {
    // "#" is the whole document (zod writes it for a schema that contains itself at the top).
    const name = schema.$ref === '#' ? '#' : schema.$ref.split('/').at(-1)!;
    const target = name === '#' ? roots.root : all[name];
    if (!target) return fc.jsonValue();
    const times = expanded[name] ?? 0;
    if (times >= MAX_REF_DEPTH) return undefined;
    return bounded(target, all, roots, { ...expanded, [name]: times + 1 });
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices?.length) {
    const possible = choices.map(of).filter((a) => a !== undefined);
    return possible.length ? fc.oneof(...possible) : undefined;
  }
  if (schema.allOf?.length) return of(schema.allOf[0]!);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.format === 'uri' || schema.format === 'url') return fc.webUrl();
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 24, 24)),
      });
    case 'integer': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
      const max =
        schema.maximum ??
        (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 2_000_000_000_000);
      return fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case 'number':
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        min: schema.minimum ?? -1e9,
        max: schema.maximum ?? 1e9,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ? of(schema.items) : fc.jsonValue();
      if (!items) return schema.minItems ? undefined : fc.constant([]);
      return fc.array(items, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    }
    case 'object': {
      const required = new Set(schema.required ?? []);
      const props: [string, fc.Arbitrary<unknown>][] = [];
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        const arb = of(s);
        if (arb) props.push([k, arb]);
        else if (required.has(k)) return undefined;
      }
      return fc.record(Object.fromEntries(props), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
      });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Nesting `depth` levels deep, only ever written as text (jsonText): as objects it overflows stacks. */
export class Deep {
  constructor(readonly depth: number) {}
  [fc.toStringMethod](): string {
    return `nested ${this.depth} deep`;
  }
}

/** What a hostile client puts in place of a well-formed value. */
export const hostileValues: fc.Arbitrary<unknown> = fc.oneof(
  // wrong types
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 63, true, false, 'text', '', [], {}, null),
  // huge strings
  fc.constantFrom('x'.repeat(300_000), '😀'.repeat(60_000), 'a@'.repeat(50_000)),
  // deep nesting
  fc.integer({ min: 500, max: 20_000 }).map((depth) => new Deep(depth)),
  // text PostgreSQL and JSON tooling choke on: NUL, lone surrogates, direction overrides, odd case folds
  fc.constantFrom(
    '\u0000',
    'a\u0000b@acme.test',
    '\ud800',
    'x\udfffy',
    '\u202eevil',
    'İstanbul@ACME.test',
    'ﬀ@acme.test',
    '\uFEFF',
    '%00',
    '../../etc/passwd',
    "'; drop table users; --",
    'javascript:alert(1)',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  // keys that are trouble
  fc.constantFrom({ '\u0000': 1 }, { __proto__: { admin: true } }, { constructor: { prototype: {} } }),
);

/** Replaces the `index`-th node (depth-first, modulo the node count) of `value` with `replacement`. */
export function replaceNode(value: unknown, index: number, replacement: unknown): unknown {
  const nodes: { parent: Record<string, unknown> | unknown[] | undefined; key: string | number }[] = [];
  const walk = (
    v: unknown,
    parent: Record<string, unknown> | unknown[] | undefined,
    key: string | number,
  ) => {
    nodes.push({ parent, key });
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, v, i));
    else if (v && typeof v === 'object')
      for (const [k, item] of Object.entries(v as Record<string, unknown>))
        walk(item, v as Record<string, unknown>, k);
  };
  const copy = structuredClone(value);
  walk(copy, undefined, '');
  const node = nodes[index % nodes.length]!;
  if (!node.parent) return replacement;
  (node.parent as Record<string | number, unknown>)[node.key] = replacement;
  return copy;
}

/** JSON text of `value`, a Deep written out as text (building it as objects would overflow JSON.stringify). */
export function jsonText(value: unknown): string {
  if (value instanceof Deep) {
    const open: string[] = [];
    const close: string[] = [];
    for (let i = value.depth - 1; i >= 0; i--) {
      open.push(i % 2 ? '[' : '{"d":');
      close.push(i % 2 ? ']' : '}');
    }
    return `${open.join('')}"bottom"${close.reverse().join('')}`;
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : jsonText(v))).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
