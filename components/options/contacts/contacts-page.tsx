import { useEffect, useState } from 'react';
import type { Contact } from '../../../lib/domain/contact';
import type { ContactIndex } from '../../../lib/options-ports/contacts-index';
import { BulkEnroll, BulkReportView } from './bulk-enroll';
import { ContactPage } from './contact-page';
import { CONTACTS_CSS, ContactsList } from './contacts-list';
import type { BulkReport, ContactsPort } from '../../../lib/options-ports/interfaces/contacts';

/** The Contacts tab: the list at #/contacts, one contact at #/contacts/<id>. */
export function ContactsPage({ port, rest }: { port: ContactsPort; rest: readonly string[] }) {
  const [index, setIndex] = useState<ContactIndex>();
  const [error, setError] = useState<string>();
  const [bulk, setBulk] = useState<{ contacts?: Contact[] } | undefined>();
  const [last, setLast] = useState<BulkReport>();
  useEffect(() => port.watchIndex(setIndex, (e) => setError(String(e))), [port]);
  useEffect(() => {
    if (!bulk) void port.lastReport().then(setLast);
  }, [port, bulk]);
  const id = rest[0];

  return (
    <div className="tl-contacts-page">
      <style>{CONTACTS_CSS}</style>
      {error && <p className="error">{error}</p>}
      {id ? (
        <ContactPage key={id} port={port} id={id} />
      ) : (
        <>
          {bulk && <BulkEnroll port={port} contacts={bulk.contacts} onClose={() => setBulk(undefined)} />}
          {index ? (
            <ContactsList
              index={index}
              onEnroll={(contacts) => setBulk({ contacts })}
              onPaste={() => setBulk({})}
            />
          ) : (
            <p>Loading contacts…</p>
          )}
          {!bulk && last && (
            <details>
              <summary>Last bulk enrollment</summary>
              <BulkReportView report={last} />
            </details>
          )}
        </>
      )}
    </div>
  );
}
