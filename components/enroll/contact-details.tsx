import { useId } from 'react';
import type { Contact } from '../../lib/domain/contact';
import { enroll } from '../strings';
import { isTimeZone, timeZones } from '../time';
import type { EditableField } from './email-problems';
import { enrollCrm } from './strings';

export type ContactDraft = Record<EditableField, string>;

export const FIELDS: EditableField[] = ['firstName', 'lastName', 'company', 'timeZone'];
/** Every field the form may show, in its order (the title only when the CRM filled it in). */
const ORDER: EditableField[] = ['firstName', 'lastName', 'company', 'title', 'timeZone'];

/** Which fields of which contact (by id) the CRM filled in: shown editable and marked, whatever they hold. */
export type CrmFilledFields = Readonly<Record<string, readonly EditableField[]>>;

export const draftOf = (c: Contact): ContactDraft => ({
  firstName: c.firstName ?? '',
  lastName: c.lastName ?? '',
  company: c.company ?? '',
  title: c.title ?? '',
  timeZone: c.timeZone ?? '',
});

/** The fields this contact arrived without: those stay editable while the rep types. */
export const missingFields = (c: Contact): EditableField[] => FIELDS.filter((f) => !c[f]?.trim());

export const timeZoneInvalid = (value: string) => value.trim() !== '' && !isTimeZone(value.trim());

export const contactLabel = (c: Contact) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;

/** A draft applied to a contact: blanks stay absent, an unknown time zone is not saved. */
export function applyDraft(c: Contact, d: ContactDraft): Contact {
  const out: Contact = { ...c };
  for (const field of ['firstName', 'lastName', 'company', 'title'] as const) {
    const value = d[field].trim();
    if (value) out[field] = value;
    else delete out[field];
  }
  const zone = d.timeZone.trim();
  if (zone && !timeZoneInvalid(zone)) out.timeZone = zone;
  else delete out.timeZone;
  return out;
}

interface Props {
  contact: Contact;
  draft: ContactDraft;
  fields: EditableField[];
  /** Fields some email needs, so the rep sees which blank blocks the enrollment. */
  needed: ReadonlySet<EditableField>;
  /** Fields the CRM filled in: marked, the rep's edit winning over them. */
  fromCrm?: readonly EditableField[];
  onChange(field: EditableField, value: string): void;
}

/** Says a field's value came from HubSpot, or that the rep changed what HubSpot has. */
function CrmMark({ id, crm, value }: { id: string; crm: string; value: string }) {
  const edited = value.trim() !== crm.trim();
  return (
    <span id={id} className="tl-small tl-muted" data-crm-filled={edited ? 'edited' : 'crm'}>
      {edited ? enrollCrm.edited(crm) : enrollCrm.fromCrm}
    </span>
  );
}

/** Fills in, right in the enroll flow, the contact details the thread did not provide. */
export function ContactDetails({ contact, draft, fields, needed, fromCrm = [], onChange }: Props) {
  const listId = useId();
  const hintId = useId();
  const errorId = useId();
  const markId = useId();
  const mark = (field: EditableField) =>
    fromCrm.includes(field) ? (
      <CrmMark id={`${markId}-${field}`} crm={contact[field] ?? ''} value={draft[field]} />
    ) : null;
  const described = (field: EditableField, ...ids: string[]) =>
    [...ids, ...(fromCrm.includes(field) ? [`${markId}-${field}`] : [])].join(' ') || undefined;
  const who = contactLabel(contact);
  const zoneBad = timeZoneInvalid(draft.timeZone);

  return (
    <fieldset className="tl-fieldset">
      <legend>{enroll.detailsFor(who)}</legend>
      <div className="tl-details-grid">
        {fields.map((field) => (
          // The mark sits beside the label, not in it: the field keeps its name, the mark describes it.
          <div key={field} className="tl-label">
            {field === 'timeZone' ? (
              <label className="tl-label">
                {enroll.field.timeZone}
                <input
                  className="tl-input"
                  list={listId}
                  value={draft.timeZone}
                  autoComplete="off"
                  aria-invalid={zoneBad}
                  aria-describedby={described('timeZone', zoneBad ? errorId : hintId)}
                  onChange={(e) => onChange('timeZone', e.target.value)}
                />
              </label>
            ) : (
              <label className="tl-label">
                {enroll.field[field]}
                <input
                  className="tl-input"
                  value={draft[field]}
                  aria-invalid={needed.has(field) && !draft[field].trim()}
                  aria-describedby={described(field)}
                  onChange={(e) => onChange(field, e.target.value)}
                />
              </label>
            )}
            {mark(field)}
          </div>
        ))}
      </div>
      {fields.includes('timeZone') && (
        <>
          <datalist id={listId}>
            {timeZones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {zoneBad ? (
            <p className="tl-small tl-missing" id={errorId}>
              {enroll.timeZoneInvalid(draft.timeZone)}
            </p>
          ) : (
            <p className="tl-small tl-muted" id={hintId}>
              {enroll.timeZoneHint}
            </p>
          )}
        </>
      )}
    </fieldset>
  );
}

/**
 * Every contact that arrived with a gap, each with the fields it lacks, and the fields the CRM filled in
 * (editable, marked as HubSpot's). Nothing when all are complete and nothing came from the CRM.
 */
export function ContactsSection({
  contacts,
  drafts,
  needed,
  fromCrm = {},
  onChange,
}: {
  contacts: Contact[];
  drafts: Readonly<Record<string, ContactDraft>>;
  needed: ReadonlySet<EditableField>;
  fromCrm?: CrmFilledFields;
  onChange(contactId: string, field: EditableField, value: string): void;
}) {
  const shown = (c: Contact) => {
    const missing = missingFields(c);
    const filled = fromCrm[c.id] ?? [];
    return ORDER.filter((f) => missing.includes(f) || filled.includes(f));
  };
  const withGaps = contacts.map((c) => ({ c, fields: shown(c) })).filter((x) => x.fields.length > 0);
  if (withGaps.length === 0) return null;
  return (
    <div className="tl-stack tl-section">
      <h3>{enroll.details}</h3>
      {withGaps.map(({ c, fields }) => (
        <ContactDetails
          key={c.id}
          contact={c}
          draft={drafts[c.id] ?? draftOf(c)}
          fields={fields}
          needed={needed}
          {...(fromCrm[c.id] ? { fromCrm: fromCrm[c.id] } : {})}
          onChange={(field, value) => onChange(c.id, field, value)}
        />
      ))}
    </div>
  );
}
