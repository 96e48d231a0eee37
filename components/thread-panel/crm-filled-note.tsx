import type { Contact } from '../../lib/domain/contact';
import type { CrmFilled } from './crm-enrich';
import { crmText } from './crm-strings';

/** Above the enroll form: which details came from HubSpot, so the rep checks them before enrolling. */
export function CrmFilledNote({ filled, contacts }: { filled: CrmFilled[]; contacts: Contact[] }) {
  if (!filled.length) return null;
  const who = (email: string) => {
    const c = contacts.find((x) => x.email === email);
    return [c?.firstName, c?.lastName].filter(Boolean).join(' ') || email;
  };
  return (
    <div className="tl-root tl-small" role="note" data-crm="filled">
      <p>{crmText.filledFromCrm}</p>
      <ul className="tl-list">
        {filled.map((f) => (
          <li key={f.email}>
            {crmText.filledFields(
              who(f.email),
              f.fields.map((x) => crmText.fields[x]),
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
