import { useId } from 'react';
import type { Contact } from '../../lib/domain/contact';
import { enroll } from '../strings';
import { isTimeZone, timeZones } from '../time';
import type { EditableField } from './email-problems';

export type ContactDraft = Record<EditableField, string>;

export const FIELDS: EditableField[] = ['firstName', 'lastName', 'company', 'timeZone'];

export const draftOf = (c: Contact): ContactDraft => ({
  firstName: c.firstName ?? '',
  lastName: c.lastName ?? '',
  company: c.company ?? '',
  timeZone: c.timeZone ?? '',
});

/** The fields this contact arrived without: those stay editable while the rep types. */
export const missingFields = (c: Contact): EditableField[] => FIELDS.filter((f) => !c[f]?.trim());

export const timeZoneInvalid = (value: string) => value.trim() !== '' && !isTimeZone(value.trim());

export const contactLabel = (c: Contact) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;

/** A draft applied to a contact: blanks stay absent, an unknown time zone is not saved. */
export function applyDraft(c: Contact, d: ContactDraft): Contact {
  const out: Contact = { ...c };
  for (const field of ['firstName', 'lastName', 'company'] as const) {
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
  onChange(field: EditableField, value: string): void;
}

/** Fills in, right in the enroll flow, the contact details the thread did not provide. */
export function ContactDetails({ contact, draft, fields, needed, onChange }: Props) {
  const listId = useId();
  const hintId = useId();
  const errorId = useId();
  const who = contactLabel(contact);
  const zoneBad = timeZoneInvalid(draft.timeZone);

  return (
    <fieldset className="tl-fieldset">
      <legend>{enroll.detailsFor(who)}</legend>
      <div className="tl-details-grid">
        {fields.map((field) =>
          field === 'timeZone' ? (
            <label key={field} className="tl-label">
              {enroll.field.timeZone}
              <input
                className="tl-input"
                list={listId}
                value={draft.timeZone}
                autoComplete="off"
                aria-invalid={zoneBad}
                aria-describedby={zoneBad ? errorId : hintId}
                onChange={(e) => onChange('timeZone', e.target.value)}
              />
            </label>
          ) : (
            <label key={field} className="tl-label">
              {enroll.field[field]}
              <input
                className="tl-input"
                value={draft[field]}
                aria-invalid={needed.has(field) && !draft[field].trim()}
                onChange={(e) => onChange(field, e.target.value)}
              />
            </label>
          ),
        )}
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

/** Every contact that arrived with a gap, each with the fields it lacks. Nothing when all are complete. */
export function ContactsSection({
  contacts,
  drafts,
  needed,
  onChange,
}: {
  contacts: Contact[];
  drafts: Readonly<Record<string, ContactDraft>>;
  needed: ReadonlySet<EditableField>;
  onChange(contactId: string, field: EditableField, value: string): void;
}) {
  const withGaps = contacts.map((c) => ({ c, fields: missingFields(c) })).filter((x) => x.fields.length > 0);
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
          onChange={(field, value) => onChange(c.id, field, value)}
        />
      ))}
    </div>
  );
}
