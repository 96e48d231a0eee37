/**
 * The CRM endpoints of the sandbox: objects (single, batch, search), associations v4, pipelines, owners,
 * properties and account info. Each handler returns a Reply in HubSpot's shapes.
 */
import { isRecord } from '../context';
import { hubspotError, notFound, propertyErrors, validation, type Reply } from './errors';
import {
  DEFAULT_PROPERTIES,
  definedTypes,
  FIELD_TYPES,
  isActivity,
  NOT_FILTERABLE,
  objectTypeOf,
  PROPERTY_TYPES,
  SANDBOX_CURRENCIES,
  SEARCHABLE,
  TYPE_ID,
  type ObjectType,
  type PropertyType,
} from './objects';
import type { AssociationEdge, Portal, StoredRecord } from './portal';
import type { RecordFaults } from './record-faults';
import { parseSearch, runSearch } from './search';
import { deriveEmailProperties, normalise, type ValueFailure } from './values';

export interface CrmContext {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  portal: Portal;
  /** Unique properties allowed on the activity objects (unconfirmed in HubSpot's docs: switchable). */
  uniqueOnActivities: boolean;
  /** Records appear in search only this long after their last write (HubSpot's index lag). */
  searchLagMs: number;
  /** Inputs of batch writes to refuse (a 207 for the others); none when absent. */
  recordFaults?: RecordFaults;
}

interface CrmRoute {
  method: string;
  pattern: RegExp;
  /** Scopes any one of which allows the call, given the object type the path names. */
  scopes: (params: string[], ctx: CrmContext) => string[];
  handle(ctx: CrmContext, params: string[]): Reply;
}

const BATCH_MAX = 100;
const SINGULAR: Record<ObjectType, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  emails: 'email',
  notes: 'note',
  calls: 'call',
  meetings: 'meeting',
  tasks: 'task',
};

/** Read and write scopes of an object type (activities use the contacts scopes; granular reads exist). */
export function scopesFor(type: ObjectType | undefined, write: boolean): string[] {
  if (!type) return [];
  if (type === 'contacts' || isActivity(type)) {
    if (write) return ['crm.objects.contacts.write'];
    return isActivity(type)
      ? [
          'crm.objects.contacts.read',
          `crm.objects.${type}.read`,
          ...(type === 'emails' ? ['sales-email-read'] : []),
        ]
      : ['crm.objects.contacts.read'];
  }
  return [`crm.objects.${type}.${write ? 'write' : 'read'}`];
}

const ANY_READ = [
  'crm.objects.contacts.read',
  'crm.objects.companies.read',
  'crm.objects.deals.read',
  'crm.schemas.contacts.read',
  'crm.schemas.companies.read',
  'crm.schemas.deals.read',
];

function route(
  method: string,
  path: string,
  scopes: CrmRoute['scopes'],
  handle: CrmRoute['handle'],
): CrmRoute {
  const source = path.replace(/[.$]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)');
  return { method, pattern: new RegExp(`^${source}$`), scopes, handle };
}

const iso = (ms: number) => new Date(ms).toISOString();

function wanted(ctx: CrmContext, type: ObjectType, from?: unknown): string[] {
  const fromQuery = ctx.query
    .getAll('properties')
    .flatMap((p) => p.split(','))
    .filter(Boolean);
  const list = Array.isArray(from) ? from.map(String) : fromQuery;
  return list.length ? list : DEFAULT_PROPERTIES[type];
}

/** A record as HubSpot answers it: every requested known property, null when it has no value. */
function view(
  ctx: CrmContext,
  r: StoredRecord,
  props: string[],
  associations: ObjectType[] = [],
  withHistory: string[] = [],
): Record<string, unknown> {
  const properties: Record<string, string | null> = {};
  for (const name of new Set([...props, 'hs_object_id'])) {
    if (name === 'hs_object_id') properties[name] = r.id;
    else if (name === 'createdate' || name === 'hs_createdate') properties[name] = iso(r.createdAt);
    else if (name === 'lastmodifieddate' || name === 'hs_lastmodifieddate')
      properties[name] = iso(r.updatedAt);
    else if (ctx.portal.property(r.type, name)) properties[name] = r.properties.get(name) || null;
  }
  const out: Record<string, unknown> = {
    id: r.id,
    properties,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    archived: r.archived,
  };
  const known = withHistory.filter((name) => ctx.portal.property(r.type, name));
  if (known.length)
    out.propertiesWithHistory = Object.fromEntries(
      known.map((name) => [
        name,
        (r.history.get(name) ?? []).map((h) => ({ value: h.value, timestamp: iso(h.at), sourceType: 'API' })),
      ]),
    );
  if (associations.length) {
    const assoc: Record<string, unknown> = {};
    for (const to of associations) {
      const list = ctx.portal.associated(r.type, r.id, to);
      if (!list.length) continue;
      assoc[to] = {
        results: list.flatMap((a) =>
          a.types.map((t) => ({
            id: a.id,
            type: t.label
              ? `${SINGULAR[r.type]}_to_${SINGULAR[to]}_${t.label.toLowerCase()}`
              : `${SINGULAR[r.type]}_to_${SINGULAR[to]}`,
          })),
        ),
      };
    }
    if (Object.keys(assoc).length) out.associations = assoc;
  }
  return out;
}

interface WriteInput {
  properties: Record<string, unknown>;
  associations: { toId: string; types: AssociationEdge[] }[];
  traceId?: string;
}

type Prepared = {
  props: Map<string, string>;
  assoc: { to: ObjectType; toId: string; types: AssociationEdge[] }[];
};

/** Checks one create (or update) and returns what to store, or the reply that refuses it. */
function prepare(
  ctx: CrmContext,
  type: ObjectType,
  input: WriteInput,
  existing?: StoredRecord,
  pending: Map<string, string>[] = [],
): Prepared | Reply {
  const { portal } = ctx;
  const failures: ValueFailure[] = [];
  const props = new Map(existing?.properties ?? []);
  const merged = { ...Object.fromEntries(existing?.properties ?? []), ...input.properties };
  for (const [name, value] of Object.entries(input.properties)) {
    const v = normalise(portal, portal.property(type, name), name, value, merged);
    if (v === null) continue;
    if (typeof v === 'object') failures.push(v);
    else props.set(name, v);
  }
  if (failures.length) return propertyErrors(failures);
  if (type === 'deals' && !existing && !props.get('pipeline')) props.set('pipeline', 'default');
  if (!existing) {
    const missing = (() => {
      const o = Object.fromEntries(props);
      const need = (n: string) => (o[n] ?? '') !== '';
      if (type === 'contacts')
        return need('email') || need('firstname') || need('lastname') ? null : 'email, firstname or lastname';
      if (type === 'companies') return need('domain') || need('name') ? null : 'domain or name';
      if (type === 'deals') return need('dealname') ? (need('dealstage') ? null : 'dealstage') : 'dealname';
      if (!need('hs_timestamp')) return 'hs_timestamp';
      if (type === 'emails' && !need('hs_email_direction')) return 'hs_email_direction';
      return null;
    })();
    if (missing)
      return hubspotError(400, 'VALIDATION_ERROR', `Missing required property: ${missing}`, {
        errors: [
          {
            message: `${missing} is required`,
            code: 'REQUIRED_PROPERTY',
            context: { propertyName: [missing] },
          },
        ],
      });
  }
  // Unique values: a contact's email, and every property created with hasUniqueValue.
  for (const def of portal.properties.get(type)!.values()) {
    const unique = def.hasUniqueValue || (type === 'contacts' && def.name === 'email');
    if (!unique) continue;
    const value = props.get(def.name);
    if (!value || value === existing?.properties.get(def.name)) continue;
    const other = portal.findBy(type, def.name, value);
    const inBatch = pending.some((p) => (p.get(def.name) ?? '').toLowerCase() === value.toLowerCase());
    if ((other && other.id !== existing?.id) || inBatch) {
      return type === 'contacts' && def.name === 'email' && other
        ? hubspotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${other.id}`)
        : hubspotError(
            409,
            'CONFLICT',
            `${def.name} must be unique: a ${SINGULAR[type]} with ${def.name} = ${value} already exists${other ? ` (id ${other.id})` : ' in this batch'}`,
            { context: { propertyName: [def.name] } },
          );
    }
  }
  const assoc: Prepared['assoc'] = [];
  for (const a of input.associations) {
    let target: ObjectType | undefined;
    for (const t of a.types) {
      const candidates = (
        ['contacts', 'companies', 'deals', 'emails', 'notes', 'calls', 'meetings', 'tasks'] as ObjectType[]
      ).filter(
        (to) => t.category !== 'HUBSPOT_DEFINED' || definedTypes(type, to).some((d) => d.typeId === t.typeId),
      );
      target = candidates.find((to) => portal.get(to, a.toId));
      if (!target)
        return hubspotError(
          400,
          'VALIDATION_ERROR',
          `No ${candidates.length === 1 ? SINGULAR[candidates[0]!] : 'object'} with ID ${a.toId} for association type ${t.typeId}`,
          {
            errors: [
              {
                message: `association to ${a.toId} with type ${t.typeId} is not valid`,
                code: 'INVALID_ASSOCIATION',
              },
            ],
          },
        );
    }
    if (!target) return validation(`association to ${a.toId} names no types`);
    assoc.push({
      to: target,
      toId: a.toId,
      types: a.types.map((t) => ({
        ...t,
        label: definedTypes(type, target!).find((d) => d.typeId === t.typeId)?.label ?? t.label,
      })),
    });
  }
  if (type === 'emails') deriveEmailProperties(props);
  return { props, assoc };
}

const isReply = (v: unknown): v is Reply => isRecord(v) && typeof v.status === 'number' && !('props' in v);

function parseInput(raw: unknown, at: string): WriteInput | string {
  if (!isRecord(raw)) return `${at} must be an object`;
  const properties = raw.properties ?? {};
  if (!isRecord(properties)) return `${at}.properties must be an object`;
  const associations: WriteInput['associations'] = [];
  const list = raw.associations ?? [];
  if (!Array.isArray(list)) return `${at}.associations must be an array`;
  for (const [i, a] of list.entries()) {
    if (!isRecord(a) || !isRecord(a.to) || (typeof a.to.id !== 'string' && typeof a.to.id !== 'number'))
      return `${at}.associations[${i}].to.id is required`;
    if (!Array.isArray(a.types) || !a.types.length) return `${at}.associations[${i}].types is required`;
    const types: AssociationEdge[] = [];
    for (const t of a.types) {
      if (
        !isRecord(t) ||
        typeof t.associationTypeId !== 'number' ||
        typeof t.associationCategory !== 'string'
      )
        return `${at}.associations[${i}].types needs associationCategory and associationTypeId`;
      if (!['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED', 'WORK'].includes(t.associationCategory))
        return `${at}.associations[${i}].types: associationCategory ${t.associationCategory} is not valid`;
      types.push({ category: t.associationCategory, typeId: t.associationTypeId, label: null });
    }
    associations.push({ toId: String(a.to.id), types });
  }
  return {
    properties,
    associations,
    ...(typeof raw.objectWriteTraceId === 'string' ? { traceId: raw.objectWriteTraceId } : {}),
  };
}

function commit(ctx: CrmContext, type: ObjectType, p: Prepared, existing?: StoredRecord): StoredRecord {
  let r: StoredRecord;
  if (existing) {
    const now = ctx.portal.now();
    for (const [k, value] of p.props)
      if (existing.properties.get(k) !== value)
        existing.history.set(k, [{ value, at: now }, ...(existing.history.get(k) ?? [])]);
    existing.properties = p.props;
    existing.updatedAt = now;
    r = existing;
  } else r = ctx.portal.insert(type, p.props);
  for (const a of p.assoc) ctx.portal.associate(type, r.id, a.to, a.toId, a.types);
  return r;
}

function typeOr404(segment: string): ObjectType | Reply {
  return (
    objectTypeOf(segment) ??
    hubspotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${segment}`)
  );
}

/** A record by id, or by a unique property (`idProperty`). */
function lookup(
  ctx: CrmContext,
  type: ObjectType,
  id: string,
  idProperty?: string | null,
): StoredRecord | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return ctx.portal.get(type, id);
  return ctx.portal.findBy(type, idProperty, id);
}

function idPropertyProblem(
  ctx: CrmContext,
  type: ObjectType,
  idProperty: string | null | undefined,
): Reply | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return undefined;
  const def = ctx.portal.property(type, idProperty);
  if (def && (def.hasUniqueValue || (type === 'contacts' && idProperty === 'email'))) return undefined;
  return validation(`${idProperty} is not a unique identifier property of ${type}`);
}

const batchBody = (results: unknown[], started: number, errors: unknown[] = []) => ({
  status: 'COMPLETE',
  results,
  startedAt: iso(started),
  completedAt: iso(Date.now()),
  ...(errors.length ? { numErrors: errors.length, errors } : {}),
});

const errorOf = (r: Reply, context: Record<string, string[]>) => {
  const b = r.body as Record<string, unknown>;
  return { status: 'error', category: b.category, message: b.message, context, errors: b.errors ?? [] };
};

function inputsOf(body: unknown): unknown[] | Reply {
  const inputs = isRecord(body) ? body.inputs : undefined;
  if (!Array.isArray(inputs)) return validation('inputs must be an array');
  if (inputs.length > BATCH_MAX)
    return validation(`Batch inputs are limited to ${BATCH_MAX}; this request has ${inputs.length}.`);
  return inputs;
}

/**
 * A batch route over one object type (`/crm/v3/objects/{t}/batch/...`): the scopes of that type, a 404 for an
 * unknown type, and the inputs array checked (present, at most BATCH_MAX) before `handle` sees them.
 */
function batchRoute(
  action: string,
  write: boolean,
  handle: (ctx: CrmContext, type: ObjectType, inputs: unknown[], started: number) => Reply,
): CrmRoute {
  return route(
    'POST',
    `/crm/v3/objects/{t}/batch/${action}`,
    ([t]) => scopesFor(objectTypeOf(t!), write),
    (ctx, [t]) => {
      const type = typeOr404(t!);
      if (isReply(type)) return type;
      const started = Date.now();
      const inputs = inputsOf(ctx.body);
      if (isReply(inputs)) return inputs;
      return handle(ctx, type, inputs, started);
    },
  );
}

const objectRoutes: CrmRoute[] = [
  route(
    'GET',
    '/crm/v3/objects/{t}',
    ([t]) => scopesFor(objectTypeOf(t!), false),
    (ctx, [t]) => {
      const type = typeOr404(t!);
      if (isReply(type)) return type;
      const limit = Number(ctx.query.get('limit') ?? 10);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        return validation('limit must be from 1 to 100');
      const after = Number(ctx.query.get('after') ?? 0);
      const all = ctx.portal.all(type).sort((a, b) => a.seq - b.seq);
      const page = all.slice(after, after + limit);
      const assoc = (ctx.query.get('associations') ?? '')
        .split(',')
        .map((s) => objectTypeOf(s))
        .filter((s): s is ObjectType => !!s);
      return {
        status: 200,
        body: {
          results: page.map((r) => view(ctx, r, wanted(ctx, type), assoc)),
          ...(after + limit < all.length ? { paging: { next: { after: String(after + limit) } } } : {}),
        },
      };
    },
  ),
  route(
    'POST',
    '/crm/v3/objects/{t}',
    ([t]) => scopesFor(objectTypeOf(t!), true),
    (ctx, [t]) => {
      const type = typeOr404(t!);
      if (isReply(type)) return type;
      const input = parseInput(ctx.body, 'body');
      if (typeof input === 'string') return validation(input);
      const p = prepare(ctx, type, input);
      if (isReply(p)) return p;
      const r = commit(ctx, type, p);
      return { status: 201, body: view(ctx, r, [...r.properties.keys()]) };
    },
  ),
  route(
    'POST',
    '/crm/v3/objects/{t}/search',
    ([t]) => scopesFor(objectTypeOf(t!), false),
    (ctx, [t]) => {
      const type = typeOr404(t!);
      if (isReply(type)) return type;
      const req = parseSearch(ctx.body);
      if (typeof req === 'string') return validation(req);
      for (const g of req.filterGroups)
        for (const f of g.filters)
          if (NOT_FILTERABLE[type]?.includes(f.propertyName))
            return validation(`${f.propertyName} cannot be used in a search filter`);
      const visibleBefore = ctx.portal.now() - ctx.searchLagMs;
      const records = ctx.portal
        .all(type)
        .filter((r) => r.updatedAt <= visibleBefore)
        .map((r) => ({
          id: r.id,
          properties: {
            ...Object.fromEntries(r.properties),
            hs_object_id: r.id,
            createdate: iso(r.createdAt),
            hs_createdate: iso(r.createdAt),
            lastmodifieddate: iso(r.updatedAt),
            hs_lastmodifieddate: iso(r.updatedAt),
          },
          associations: Object.fromEntries(
            (['contacts', 'companies', 'deals'] as ObjectType[]).map((to) => [
              SINGULAR[to],
              ctx.portal.associated(type, r.id, to).map((a) => a.id),
            ]),
          ),
          createdSeq: r.seq,
          record: r,
        }));
      const enumeration = (name: string) => ctx.portal.property(type, name)?.type === 'enumeration';
      const { total, page, next } = runSearch(records, req, SEARCHABLE[type], enumeration);
      const props = req.properties?.length ? req.properties : DEFAULT_PROPERTIES[type];
      return {
        status: 200,
        body: {
          total,
          results: page.map((r) => view(ctx, ctx.portal.get(type, r.id)!, props)),
          ...(next !== undefined ? { paging: { next: { after: String(next) } } } : {}),
        },
      };
    },
  ),
  batchRoute('create', true, (ctx, type, inputs, started) => {
    const parsed: WriteInput[] = [];
    for (const [i, raw] of inputs.entries()) {
      const input = parseInput(raw, `inputs[${i}]`);
      if (typeof input === 'string') return validation(input);
      parsed.push(input);
    }
    // All inputs carrying an objectWriteTraceId: the good ones are created and the others reported (207).
    // Otherwise the batch is all or nothing.
    const traced = parsed.length > 0 && parsed.every((p) => p.traceId !== undefined);
    const prepared: (Prepared | Reply)[] = [];
    const pending: Map<string, string>[] = [];
    for (const input of parsed) {
      const p = ctx.recordFaults?.take(type, input.traceId) ?? prepare(ctx, type, input, undefined, pending);
      prepared.push(p);
      if (!isReply(p)) pending.push(p.props);
      else if (!traced) return p;
    }
    const results: unknown[] = [];
    const errors: unknown[] = [];
    prepared.forEach((p, i) => {
      const traceId = parsed[i]!.traceId;
      if (isReply(p)) {
        errors.push(errorOf(p, { objectWriteTraceId: [traceId!] }));
        return;
      }
      const r = commit(ctx, type, p);
      results.push({
        ...view(ctx, r, [...r.properties.keys()]),
        ...(traceId ? { objectWriteTraceId: traceId } : {}),
      });
    });
    return { status: errors.length ? 207 : 201, body: batchBody(results, started, errors) };
  }),
  batchRoute('read', false, (ctx, type, inputs, started) => {
    const body = ctx.body as Record<string, unknown>;
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
    const bad = idPropertyProblem(ctx, type, idProperty);
    if (bad) return bad;
    const props = wanted(ctx, type, body.properties);
    const withHistory = Array.isArray(body.propertiesWithHistory)
      ? body.propertiesWithHistory.map(String)
      : [];
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = isRecord(input) ? String(input.id ?? '') : '';
      const r = lookup(ctx, type, id, idProperty);
      if (r) results.push(view(ctx, r, idProperty ? [...props, idProperty] : props, [], withHistory));
      else missing.push(id);
    }
    const errors = missing.length
      ? [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: 'Could not get some records',
            context: { ids: missing },
            errors: [],
          },
        ]
      : [];
    return { status: errors.length ? 207 : 200, body: batchBody(results, started, errors) };
  }),
  batchRoute('update', true, (ctx, type, inputs, started) => {
    const plans: [StoredRecord, Prepared][] = [];
    for (const [i, raw] of inputs.entries()) {
      const input = parseInput(raw, `inputs[${i}]`);
      if (typeof input === 'string') return validation(input);
      const rec = raw as Record<string, unknown>;
      const idProperty = typeof rec.idProperty === 'string' ? rec.idProperty : undefined;
      const bad = idPropertyProblem(ctx, type, idProperty);
      if (bad) return bad;
      const existing = lookup(ctx, type, String(rec.id ?? ''), idProperty);
      if (!existing) return notFound(`${SINGULAR[type]} ${String(rec.id)}`);
      const p = prepare(ctx, type, { ...input, associations: [] }, existing);
      if (isReply(p)) return p;
      plans.push([existing, p]);
    }
    const results = plans.map(([existing, p]) => {
      const r = commit(ctx, type, p, existing);
      return view(ctx, r, [...r.properties.keys()]);
    });
    return { status: 200, body: batchBody(results, started) };
  }),
  batchRoute('upsert', true, (ctx, type, inputs, started) => {
    const plans: { existing?: StoredRecord; p: Prepared }[] = [];
    const pending: Map<string, string>[] = [];
    const errors: unknown[] = [];
    for (const [i, raw] of inputs.entries()) {
      const input = parseInput(raw, `inputs[${i}]`);
      if (typeof input === 'string') return validation(input);
      const rec = raw as Record<string, unknown>;
      const idProperty = typeof rec.idProperty === 'string' ? rec.idProperty : undefined;
      if (!idProperty) return validation(`inputs[${i}].idProperty is required for an upsert`);
      const bad = idPropertyProblem(ctx, type, idProperty);
      if (bad) return bad;
      const id = String(rec.id ?? '');
      const refused = ctx.recordFaults?.take(type, id);
      if (refused) {
        // Refused inputs are reported in a 207 (context.ids names them); the others are written.
        errors.push(errorOf(refused, { ids: [id] }));
        continue;
      }
      const existing = lookup(ctx, type, id, idProperty);
      const p = prepare(
        ctx,
        type,
        { properties: { ...input.properties, [idProperty]: id }, associations: [] },
        existing,
        existing ? [] : pending,
      );
      if (isReply(p)) return p;
      if (!existing) pending.push(p.props);
      plans.push({ ...(existing ? { existing } : {}), p });
    }
    const results = plans.map(({ existing, p }) => {
      const r = commit(ctx, type, p, existing);
      return { ...view(ctx, r, [...r.properties.keys()]), new: !existing };
    });
    return { status: errors.length ? 207 : 200, body: batchBody(results, started, errors) };
  }),
  batchRoute('archive', true, (ctx, type, inputs) => {
    for (const input of inputs) {
      const r = ctx.portal.get(type, isRecord(input) ? String(input.id) : '');
      if (r) archive(ctx, r);
    }
    return { status: 204 };
  }),
  route(
    'GET',
    '/crm/v3/objects/{t}/{id}',
    ([t]) => scopesFor(objectTypeOf(t!), false),
    (ctx, [t, id]) => {
      const type = typeOr404(t!);
      if (isReply(type)) return type;
      const idProperty = ctx.query.get('idProperty');
      const bad = idPropertyProblem(ctx, type, idProperty);
      if (bad) return bad;
      const r = lookup(ctx, type, id!, idProperty);
      if (!r) return notFound(`${SINGULAR[type]} ${id}`);
      const assoc = (ctx.query.get('associations') ?? '')
        .split(',')
        .map((s) => objectTypeOf(s))
        .filter((s): s is ObjectType => !!s);
      const withHistory = ctx.query
        .getAll('propertiesWithHistory')
        .flatMap((p) => p.split(','))
        .filter(Boolean);
      return { status: 200, body: view(ctx, r, wanted(ctx, type), assoc, withHistory) };
    },
  ),
  route(
    'PATCH',
    '/crm/v3/objects/{t}/{id}',
    ([t]) => scopesFor(objectTypeOf(t!), true),
    (ctx, [t, id]) => {
      const type = typeOr404(t!);
      if (isReply(type)) return type;
      const idProperty = ctx.query.get('idProperty');
      const bad = idPropertyProblem(ctx, type, idProperty);
      if (bad) return bad;
      const existing = lookup(ctx, type, id!, idProperty);
      if (!existing) return notFound(`${SINGULAR[type]} ${id}`);
      const input = parseInput(ctx.body, 'body');
      if (typeof input === 'string') return validation(input);
      const p = prepare(ctx, type, { ...input, associations: [] }, existing);
      if (isReply(p)) return p;
      const r = commit(ctx, type, p, existing);
      return { status: 200, body: view(ctx, r, [...r.properties.keys()]) };
    },
  ),
  route(
    'DELETE',
    '/crm/v3/objects/{t}/{id}',
    ([t]) => scopesFor(objectTypeOf(t!), true),
    (ctx, [t, id]) => {
      const type = typeOr404(t!);
      if (isReply(type)) return type;
      const r = ctx.portal.get(type, id!);
      if (r) archive(ctx, r);
      return { status: 204 };
    },
  ),
];

/** Archived records stay 90 days, restorable; emails are deleted for good. */
function archive(ctx: CrmContext, r: StoredRecord): void {
  r.archived = true;
  r.updatedAt = ctx.portal.now();
  if (r.type === 'emails') ctx.portal.records.delete(r.id);
}

function specsOf(raw: unknown, at: string): AssociationEdge[] | string {
  if (!Array.isArray(raw) || !raw.length) return `${at} must be a non-empty array of association types`;
  const out: AssociationEdge[] = [];
  for (const t of raw) {
    if (!isRecord(t) || typeof t.associationTypeId !== 'number' || typeof t.associationCategory !== 'string')
      return `${at} entries need associationCategory and associationTypeId`;
    out.push({ category: t.associationCategory, typeId: t.associationTypeId, label: null });
  }
  return out;
}

function pair(
  ctx: CrmContext,
  from: string,
  fromId: string,
  to: string,
  toId: string,
): [ObjectType, ObjectType] | Reply {
  const f = objectTypeOf(from);
  const t = objectTypeOf(to);
  if (!f || !t) return validation(`Unknown object type ${!f ? from : to}`);
  if (!ctx.portal.get(f, fromId)) return notFound(`${SINGULAR[f]} ${fromId}`);
  if (!ctx.portal.get(t, toId)) return notFound(`${SINGULAR[t]} ${toId}`);
  return [f, t];
}

const assocScopes = (params: string[]) => {
  const types = params.map((p) => objectTypeOf(p)).filter((p): p is ObjectType => !!p);
  return [...new Set(types.flatMap((t) => scopesFor(t, true)))];
};
const assocReadScopes = (params: string[]) => {
  const types = params.map((p) => objectTypeOf(p)).filter((p): p is ObjectType => !!p);
  return [...new Set(types.flatMap((t) => [...scopesFor(t, false), ...scopesFor(t, true)]))];
};

function labelsOf(from: ObjectType, to: ObjectType, types: AssociationEdge[]) {
  return types.map((t) => ({
    category: t.category,
    typeId: t.typeId,
    label: t.label ?? definedTypes(from, to).find((d) => d.typeId === t.typeId)?.label ?? null,
  }));
}

const associationRoutes: CrmRoute[] = [
  route('GET', '/crm/v4/associations/{from}/{to}/labels', assocReadScopes, (_ctx, [from, to]) => {
    const f = objectTypeOf(from!);
    const t = objectTypeOf(to!);
    if (!f || !t) return validation(`Unknown object type ${!f ? from : to}`);
    return {
      status: 200,
      body: {
        results: definedTypes(f, t).map((d) => ({ category: d.category, typeId: d.typeId, label: d.label })),
      },
    };
  }),
  route(
    'PUT',
    '/crm/v4/objects/{t}/{id}/associations/default/{to}/{toId}',
    assocScopes,
    (ctx, [t, id, to, toId]) => {
      const p = pair(ctx, t!, id!, to!, toId!);
      if (isReply(p)) return p;
      const [f, tt] = p;
      const d = definedTypes(f, tt)[0];
      if (!d) return validation(`There is no default association from ${f} to ${tt}`);
      ctx.portal.associate(f, id!, tt, toId!, [{ category: d.category, typeId: d.typeId, label: null }]);
      const now = iso(Date.now());
      return {
        status: 200,
        body: {
          status: 'COMPLETE',
          results: [
            {
              from: { id: id! },
              to: { id: toId! },
              associationSpec: { associationCategory: d.category, associationTypeId: d.typeId },
            },
          ],
          startedAt: now,
          completedAt: now,
        },
      };
    },
  ),
  route('PUT', '/crm/v4/objects/{t}/{id}/associations/{to}/{toId}', assocScopes, (ctx, [t, id, to, toId]) => {
    const p = pair(ctx, t!, id!, to!, toId!);
    if (isReply(p)) return p;
    const [f, tt] = p;
    const specs = specsOf(ctx.body, 'body');
    if (typeof specs === 'string') return validation(specs);
    for (const s of specs)
      if (!ctx.portal.validType(f, tt, s.category, s.typeId))
        return validation(`association type ${s.typeId} (${s.category}) is not valid from ${f} to ${tt}`);
    // Replaces the labels between the pair.
    ctx.portal.dissociate(f, id!, tt, toId!);
    ctx.portal.associate(f, id!, tt, toId!, specs);
    return {
      status: 201,
      body: {
        fromObjectTypeId: TYPE_ID[f],
        fromObjectId: Number(id),
        toObjectTypeId: TYPE_ID[tt],
        toObjectId: Number(toId),
        labels: labelsOf(f, tt, specs)
          .map((l) => l.label)
          .filter((l): l is string => l !== null),
      },
    };
  }),
  route('GET', '/crm/v4/objects/{t}/{id}/associations/{to}', assocReadScopes, (ctx, [t, id, to]) => {
    const f = objectTypeOf(t!);
    const tt = objectTypeOf(to!);
    if (!f || !tt) return validation(`Unknown object type ${!f ? t : to}`);
    if (!ctx.portal.get(f, id!)) return notFound(`${SINGULAR[f]} ${id}`);
    const limit = Number(ctx.query.get('limit') ?? 500);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      return validation('limit must be from 1 to 500');
    const after = Number(ctx.query.get('after') ?? 0);
    const all = ctx.portal.associated(f, id!, tt);
    const page = all.slice(after, after + limit);
    return {
      status: 200,
      body: {
        results: page.map((a) => ({ toObjectId: Number(a.id), associationTypes: labelsOf(f, tt, a.types) })),
        ...(after + limit < all.length ? { paging: { next: { after: String(after + limit) } } } : {}),
      },
    };
  }),
  route(
    'DELETE',
    '/crm/v4/objects/{t}/{id}/associations/{to}/{toId}',
    assocScopes,
    (ctx, [t, id, to, toId]) => {
      const f = objectTypeOf(t!);
      const tt = objectTypeOf(to!);
      if (!f || !tt) return validation(`Unknown object type ${!f ? t : to}`);
      ctx.portal.dissociate(f, id!, tt, toId!);
      return { status: 204 };
    },
  ),
  route(
    'POST',
    '/crm/v4/associations/{from}/{to}/batch/associate/default',
    assocScopes,
    (ctx, [from, to]) => {
      const f = objectTypeOf(from!);
      const tt = objectTypeOf(to!);
      if (!f || !tt) return validation(`Unknown object type ${!f ? from : to}`);
      const inputs = isRecord(ctx.body) && Array.isArray(ctx.body.inputs) ? ctx.body.inputs : undefined;
      if (!inputs) return validation('inputs must be an array');
      if (inputs.length > 2000) return validation('Batch inputs are limited to 2000');
      const d = definedTypes(f, tt)[0];
      if (!d) return validation(`There is no default association from ${f} to ${tt}`);
      const started = Date.now();
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const input of inputs) {
        const fromId = isRecord(input) && isRecord(input.from) ? String(input.from.id) : '';
        const toId = isRecord(input) && isRecord(input.to) ? String(input.to.id) : '';
        if (!ctx.portal.get(f, fromId) || !ctx.portal.get(tt, toId)) {
          errors.push({
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: `No record ${!ctx.portal.get(f, fromId) ? fromId : toId}`,
            context: { ids: [fromId, toId] },
            errors: [],
          });
          continue;
        }
        ctx.portal.associate(f, fromId, tt, toId, [{ category: d.category, typeId: d.typeId, label: null }]);
        results.push({
          from: { id: fromId },
          to: { id: toId },
          associationSpec: { associationCategory: d.category, associationTypeId: d.typeId },
        });
      }
      return { status: errors.length ? 207 : 200, body: batchBody(results, started, errors) };
    },
  ),
  route('POST', '/crm/v4/associations/{from}/{to}/batch/create', assocScopes, (ctx, [from, to]) => {
    const f = objectTypeOf(from!);
    const tt = objectTypeOf(to!);
    if (!f || !tt) return validation(`Unknown object type ${!f ? from : to}`);
    const inputs = isRecord(ctx.body) && Array.isArray(ctx.body.inputs) ? ctx.body.inputs : undefined;
    if (!inputs) return validation('inputs must be an array');
    if (inputs.length > 2000) return validation('Batch inputs are limited to 2000');
    const started = Date.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const [i, input] of inputs.entries()) {
      const fromId = isRecord(input) && isRecord(input.from) ? String(input.from.id) : '';
      const toId = isRecord(input) && isRecord(input.to) ? String(input.to.id) : '';
      const specs = specsOf(isRecord(input) ? input.types : undefined, `inputs[${i}].types`);
      if (typeof specs === 'string') return validation(specs);
      const bad = specs.find((s) => !ctx.portal.validType(f, tt, s.category, s.typeId));
      if (bad)
        return validation(`inputs[${i}]: association type ${bad.typeId} is not valid from ${f} to ${tt}`);
      if (!ctx.portal.get(f, fromId) || !ctx.portal.get(tt, toId)) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: `No record ${!ctx.portal.get(f, fromId) ? fromId : toId}`,
          context: { ids: [fromId, toId] },
          errors: [],
        });
        continue;
      }
      ctx.portal.associate(f, fromId, tt, toId, specs);
      results.push({
        fromObjectTypeId: TYPE_ID[f],
        fromObjectId: Number(fromId),
        toObjectTypeId: TYPE_ID[tt],
        toObjectId: Number(toId),
        labels: labelsOf(f, tt, specs)
          .map((l) => l.label)
          .filter((l): l is string => l !== null),
      });
    }
    return { status: errors.length ? 207 : 201, body: batchBody(results, started, errors) };
  }),
  route('POST', '/crm/v4/associations/{from}/{to}/batch/read', assocReadScopes, (ctx, [from, to]) => {
    const f = objectTypeOf(from!);
    const tt = objectTypeOf(to!);
    if (!f || !tt) return validation(`Unknown object type ${!f ? from : to}`);
    const inputs = isRecord(ctx.body) && Array.isArray(ctx.body.inputs) ? ctx.body.inputs : undefined;
    if (!inputs) return validation('inputs must be an array');
    if (inputs.length > 1000) return validation('Batch inputs are limited to 1000');
    const started = Date.now();
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = isRecord(input) ? String(input.id ?? '') : '';
      if (!ctx.portal.get(f, id)) {
        missing.push(id);
        continue;
      }
      const list = ctx.portal.associated(f, id, tt);
      if (!list.length) {
        missing.push(id);
        continue;
      }
      results.push({
        from: { id },
        to: list.map((a) => ({ toObjectId: Number(a.id), associationTypes: labelsOf(f, tt, a.types) })),
      });
    }
    const errors = missing.length
      ? [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: 'No associations found',
            context: { fromObjectIds: missing },
            errors: [],
          },
        ]
      : [];
    return { status: errors.length ? 207 : 200, body: batchBody(results, started, errors) };
  }),
  route('POST', '/crm/v4/associations/{from}/{to}/batch/archive', assocScopes, (ctx, [from, to]) => {
    const f = objectTypeOf(from!);
    const tt = objectTypeOf(to!);
    if (!f || !tt) return validation(`Unknown object type ${!f ? from : to}`);
    const inputs = isRecord(ctx.body) && Array.isArray(ctx.body.inputs) ? ctx.body.inputs : [];
    for (const input of inputs) {
      if (!isRecord(input) || !isRecord(input.from) || !Array.isArray(input.to)) continue;
      for (const t of input.to)
        if (isRecord(t)) ctx.portal.dissociate(f, String(input.from.id), tt, String(t.id));
    }
    return { status: 204 };
  }),
];

function pipelineView(p: Portal['pipelines'][number]) {
  const at = iso(p.createdAt);
  return {
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder,
    archived: false,
    createdAt: at,
    updatedAt: at,
    stages: p.stages.map((s) => stageView(s, at)),
  };
}

function stageView(s: Portal['pipelines'][number]['stages'][number], at: string) {
  return {
    id: s.id,
    label: s.label,
    displayOrder: s.displayOrder,
    metadata: { probability: s.probability, isClosed: String(s.isClosed) },
    archived: false,
    createdAt: at,
    updatedAt: at,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

function ownerView(o: Portal['owners'][number]) {
  return {
    id: o.id,
    email: o.email,
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.archived ? null : o.userId,
    userIdIncludingInactive: o.userId,
    type: 'PERSON',
    teams: [],
    archived: o.archived,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.createdAt),
  };
}

function propertyView(p: ReturnType<Portal['property']> & object) {
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    groupName: p.groupName,
    description: p.description,
    options: p.options,
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    calculated: false,
    externalOptions: false,
    formField: !p.hubspotDefined,
    displayOrder: -1,
    modificationMetadata: {
      archivable: !p.hubspotDefined,
      readOnlyDefinition: p.hubspotDefined,
      readOnlyValue: p.readOnlyValue,
    },
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    archived: false,
    dataSensitivity: 'non_sensitive',
  };
}

const MAX_UNIQUE = 10;

const metaRoutes: CrmRoute[] = [
  route(
    'GET',
    '/crm/v3/pipelines/{t}',
    () => ANY_READ,
    (ctx, [t]) => {
      if (objectTypeOf(t!) !== 'deals') return validation(`The sandbox serves deal pipelines only, not ${t}`);
      return { status: 200, body: { results: ctx.portal.pipelines.map(pipelineView) } };
    },
  ),
  route(
    'GET',
    '/crm/v3/pipelines/{t}/{id}',
    () => ANY_READ,
    (ctx, [t, id]) => {
      const p = objectTypeOf(t!) === 'deals' ? ctx.portal.pipelines.find((x) => x.id === id) : undefined;
      return p ? { status: 200, body: pipelineView(p) } : notFound(`pipeline ${id}`);
    },
  ),
  route(
    'GET',
    '/crm/v3/pipelines/{t}/{id}/stages',
    () => ANY_READ,
    (ctx, [t, id]) => {
      const p = objectTypeOf(t!) === 'deals' ? ctx.portal.pipelines.find((x) => x.id === id) : undefined;
      return p ? { status: 200, body: { results: pipelineView(p).stages } } : notFound(`pipeline ${id}`);
    },
  ),
  route(
    'GET',
    '/crm/v3/owners',
    () => ['crm.objects.owners.read', 'automation'],
    (ctx) => {
      const email = ctx.query.get('email')?.toLowerCase();
      const limit = Number(ctx.query.get('limit') ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        return validation('limit must be from 1 to 500');
      const after = Number(ctx.query.get('after') ?? 0);
      const archived = ctx.query.get('archived') === 'true';
      const all = ctx.portal.owners.filter(
        (o) => o.archived === archived && (!email || o.email.toLowerCase() === email),
      );
      const page = all.slice(after, after + limit);
      return {
        status: 200,
        body: {
          results: page.map(ownerView),
          ...(after + limit < all.length ? { paging: { next: { after: String(after + limit) } } } : {}),
        },
      };
    },
  ),
  route(
    'GET',
    '/crm/v3/owners/{id}',
    () => ['crm.objects.owners.read', 'automation'],
    (ctx, [id]) => {
      const byUser = ctx.query.get('idProperty') === 'userId';
      const o = ctx.portal.owners.find((x) => (byUser ? String(x.userId) === id : x.id === id));
      return o ? { status: 200, body: ownerView(o) } : notFound(`owner ${id}`);
    },
  ),
  route(
    'GET',
    '/crm/v3/properties/{t}',
    () => ANY_READ,
    (ctx, [t]) => {
      const type = typeOr404(t!);
      if (isReply(type)) return type;
      return {
        status: 200,
        body: { results: [...ctx.portal.properties.get(type)!.values()].map(propertyView) },
      };
    },
  ),
  route(
    'GET',
    '/crm/v3/properties/{t}/{name}',
    () => ANY_READ,
    (ctx, [t, name]) => {
      const type = typeOr404(t!);
      if (isReply(type)) return type;
      const p = ctx.portal.property(type, name!);
      return p ? { status: 200, body: propertyView(p) } : notFound(`property ${name}`);
    },
  ),
  route(
    'POST',
    '/crm/v3/properties/{t}',
    ([t]) => {
      const type = objectTypeOf(t!);
      // No crm.schemas.<activity>.write scope exists: the contacts one stands in for activity objects.
      return type && (type === 'companies' || type === 'deals')
        ? [`crm.schemas.${type}.write`]
        : ['crm.schemas.contacts.write'];
    },
    (ctx, [t]) => {
      const type = typeOr404(t!);
      if (isReply(type)) return type;
      const b = isRecord(ctx.body) ? ctx.body : {};
      for (const field of ['name', 'label', 'type', 'fieldType', 'groupName'])
        if (typeof b[field] !== 'string' || b[field] === '')
          return hubspotError(400, 'VALIDATION_ERROR', `Property ${field} is required`, {
            errors: [{ message: `${field} is required`, code: 'REQUIRED_FIELD', in: field }],
          });
      const name = b.name as string;
      if (!/^[a-z][a-z0-9_]*$/.test(name))
        return validation(
          `Property name ${name} must start with a letter and hold only lower-case letters, digits and _`,
        );
      if (!PROPERTY_TYPES.includes(b.type as PropertyType))
        return validation(`type ${String(b.type)} is not one of ${PROPERTY_TYPES.join(', ')}`);
      if (!FIELD_TYPES.includes(b.fieldType as string))
        return validation(`fieldType ${String(b.fieldType)} is not one of ${FIELD_TYPES.join(', ')}`);
      const defs = ctx.portal.properties.get(type)!;
      if (defs.has(name))
        return hubspotError(
          409,
          'OBJECT_ALREADY_EXISTS',
          `A property named ${name} already exists on ${type}`,
        );
      const unique = b.hasUniqueValue === true;
      if (unique && isActivity(type) && !ctx.uniqueOnActivities)
        return validation(`hasUniqueValue is not supported on ${type}`);
      if (unique && [...defs.values()].filter((d) => d.hasUniqueValue).length >= MAX_UNIQUE)
        return validation(`${type} already has ${MAX_UNIQUE} unique properties, the most allowed`);
      const at = iso(Date.now());
      const options = Array.isArray(b.options)
        ? b.options.filter(isRecord).map((o, i) => ({
            label: String(o.label ?? o.value),
            value: String(o.value),
            displayOrder: Number(o.displayOrder ?? i),
            hidden: o.hidden === true,
          }))
        : [];
      const def = {
        name,
        label: b.label as string,
        type: b.type as PropertyType,
        fieldType: b.fieldType as string,
        groupName: b.groupName as string,
        description: typeof b.description === 'string' ? b.description : '',
        options,
        hasUniqueValue: unique,
        hidden: b.hidden === true,
        hubspotDefined: false,
        readOnlyValue: false,
        createdAt: at,
        updatedAt: at,
      };
      defs.set(name, def);
      return { status: 201, body: propertyView(def) };
    },
  ),
  route(
    'GET',
    '/account-info/v3/details',
    () => [],
    (ctx) => ({
      status: 200,
      body: {
        portalId: ctx.portal.portalId,
        timeZone: 'UTC',
        companyCurrency: SANDBOX_CURRENCIES[0],
        additionalCurrencies: SANDBOX_CURRENCIES.slice(1),
        utcOffset: '+00:00',
        utcOffsetMilliseconds: 0,
        uiDomain: 'app.hubspot.com',
        dataHostingLocation: 'na1',
        accountType: 'STANDARD',
      },
    }),
  ),
];

export const CRM_ROUTES: CrmRoute[] = [...associationRoutes, ...metaRoutes, ...objectRoutes];

export function findCrmRoute(
  method: string,
  path: string,
): { route: CrmRoute; params: string[] } | undefined {
  for (const r of CRM_ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (m) return { route: r, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

/** The routes the sandbox serves, `METHOD /path` (README, contract test). */
export const ROUTE_LIST = CRM_ROUTES.map((r) => `${r.method} ${r.pattern.source}`);
