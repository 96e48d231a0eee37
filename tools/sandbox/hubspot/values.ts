/** A property value as HubSpot checks and stores it: every value a string; dates as ISO 8601. */
import type { PropertyDef } from './objects';
import type { Portal } from './portal';

export interface ValueFailure {
  name: string;
  code: string;
  message: string;
}

const MAX_STRING = 65_536;
const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

function asDate(raw: string): string | undefined {
  if (/^\d{10,16}$/.test(raw)) return new Date(Number(raw)).toISOString();
  const t = Date.parse(raw);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** The stored value, `null` to ignore it (read-only), or a failure naming the property. */
export function normalise(
  portal: Portal,
  def: PropertyDef | undefined,
  name: string,
  value: unknown,
  props: Record<string, unknown>,
): string | null | ValueFailure {
  if (!def)
    return {
      name,
      code: 'PROPERTY_DOESNT_EXIST',
      message: `Property "${name}" does not exist`,
    };
  if (def.readOnlyValue) return null;
  if (value === null || value === '') return '';
  if (typeof value === 'object')
    return { name, code: 'INVALID_OPTION', message: `${name} takes a string, number or boolean` };
  const raw = String(value);
  switch (def.type) {
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw))
        ? raw.trim()
        : { name, code: 'INVALID_INTEGER', message: `${JSON.stringify(raw)} is not a valid number` };
    case 'bool':
      return raw === 'true' || raw === 'false'
        ? raw
        : { name, code: 'INVALID_BOOLEAN', message: `${JSON.stringify(raw)} is not true or false` };
    case 'date':
    case 'datetime': {
      const iso = asDate(raw);
      return (
        iso ?? {
          name,
          code: 'INVALID_DATE',
          message: `${JSON.stringify(raw)} is not epoch milliseconds or ISO 8601`,
        }
      );
    }
    case 'enumeration': {
      if (name === 'hubspot_owner_id')
        return portal.owners.some((o) => o.id === raw && !o.archived)
          ? raw
          : { name, code: 'INVALID_OWNER_ID', message: `${raw} is not a valid owner id` };
      if (name === 'pipeline')
        return portal.pipelines.some((p) => p.id === raw)
          ? raw
          : { name, code: 'INVALID_OPTION', message: `${raw} is not a valid pipeline` };
      if (name === 'dealstage') {
        const pipeline = portal.pipelines.find((p) => p.id === String(props.pipeline ?? 'default'));
        return pipeline?.stages.some((s) => s.id === raw)
          ? raw
          : {
              name,
              code: 'INVALID_OPTION',
              message: `${raw} is not a stage of pipeline ${String(props.pipeline ?? 'default')}`,
            };
      }
      // HubSpot's own words for a currency the portal has not set up (its 2023 currency-code validation).
      if (name === 'deal_currency_code' && !def.options.some((o) => o.value === raw))
        return {
          name,
          code: 'INVALID_OPTION',
          message: `${JSON.stringify(raw)} is not a part of the current effective currency codes for portal ${portal.portalId}`,
        };
      if (def.options.length && !raw.split(';').every((v) => def.options.some((o) => o.value === v)))
        return {
          name,
          code: 'INVALID_OPTION',
          message: `${JSON.stringify(raw)} was not one of the allowed options: [${def.options.map((o) => o.value).join(', ')}]`,
        };
      return raw;
    }
    default:
      if (raw.length > MAX_STRING)
        return { name, code: 'INVALID_LENGTH', message: `${name} holds at most ${MAX_STRING} characters` };
      if (name === 'email' && def.hubspotDefined && !EMAIL.test(raw))
        return { name, code: 'INVALID_EMAIL', message: `Email address ${raw} is invalid` };
      if (name === 'hs_email_headers') {
        try {
          JSON.parse(raw);
        } catch {
          return { name, code: 'INVALID_JSON', message: 'hs_email_headers must be a JSON-encoded string' };
        }
      }
      return raw;
  }
}

interface Person {
  email?: string;
  firstName?: string;
  lastName?: string;
}

/** HubSpot derives the read-only from/to properties of an email from its headers. */
export function deriveEmailProperties(props: Map<string, string>): void {
  const raw = props.get('hs_email_headers');
  if (!raw) return;
  let headers: { from?: Person; to?: Person[] };
  try {
    headers = JSON.parse(raw) as typeof headers;
  } catch {
    return;
  }
  const address = (s?: string) => (s ? (/<([^>]+)>/.exec(s)?.[1] ?? s).trim() : '');
  if (headers.from) {
    props.set('hs_email_from_email', address(headers.from.email));
    props.set('hs_email_from_firstname', headers.from.firstName ?? '');
    props.set('hs_email_from_lastname', headers.from.lastName ?? '');
  }
  if (Array.isArray(headers.to)) {
    props.set('hs_email_to_email', headers.to.map((t) => address(t.email)).join(';'));
    props.set('hs_email_to_firstname', headers.to.map((t) => t.firstName ?? '').join(';'));
    props.set('hs_email_to_lastname', headers.to.map((t) => t.lastName ?? '').join(';'));
  }
}
