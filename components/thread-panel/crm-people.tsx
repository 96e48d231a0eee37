import { useId } from 'react';
import type { CrmLookupReceived } from '../../lib/protocol/crm-lookup-received';
import { crmDate, crmText } from './crm-strings';

type Found = Extract<CrmLookupReceived, { state: 'found' }>;
type Contact = NonNullable<Found['people'][number]['contact']>;

/**
 * The CRM section's content: for each person of the thread HubSpot knows, the contact (owner, lifecycle stage,
 * last activity, a link to the record) and their open deals with their stages. Nothing while waiting longer
 * than a line, nothing visible when the CRM is not connected or knows nobody (a hidden `data-crm-state` marker
 * says which), one small line on a failure.
 */
export function CrmPeople({ answer }: { answer: CrmLookupReceived | undefined }) {
  const headingId = useId();
  if (!answer)
    return (
      <p className="tl-root tl-muted tl-small" role="status" data-crm="loading">
        {crmText.loading}
      </p>
    );
  if (answer.state === 'error')
    return (
      <p className="tl-root tl-muted tl-small" role="note" data-crm="error">
        {crmText.failed(answer.message)}
      </p>
    );
  // Quiet, yet saying it answered (tests wait on it): not connected, no backend, or nobody known.
  if (answer.state !== 'found' || !answer.people.some((p) => p.contact))
    return <span hidden data-crm-state={answer.state === 'found' ? 'none' : answer.state} />;
  return (
    <section className="tl-root tl-stack" aria-labelledby={headingId} data-crm="found">
      <h3 id={headingId}>{crmText.heading}</h3>
      <ul className="tl-list">
        {answer.people.map((p) =>
          p.contact ? (
            <CrmContactItem key={p.email} contact={p.contact} />
          ) : (
            <li key={p.email} className="tl-participant tl-small tl-muted">
              {p.email} ({crmText.notInCrm})
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

/** Label and value side by side, one pair a line. */
const DETAILS = {
  display: 'grid',
  gridTemplateColumns: 'auto 1fr',
  columnGap: 8,
  rowGap: 2,
  margin: 0,
} as const;

function CrmContactItem({ contact }: { contact: Contact }) {
  const stage = contact.lifecycleStage
    ? (crmText.lifecycle[contact.lifecycleStage] ?? contact.lifecycleStage)
    : undefined;
  const role = [contact.jobTitle, contact.company].filter(Boolean).join(', ');
  return (
    <li className="tl-participant" data-crm-contact={contact.id}>
      <div className="tl-stack" style={{ gridColumn: '1 / -1', minWidth: 0 }}>
        <div className="tl-participant__body">
          <a
            className="tl-link tl-participant__name"
            href={contact.url}
            target="_blank"
            rel="noopener noreferrer"
            aria-label={crmText.open(contact.name)}
          >
            {contact.name}
          </a>
          {role && <span className="tl-small tl-muted"> {role}</span>}
        </div>
        <dl className="tl-small" style={DETAILS}>
          <dt className="tl-muted">{crmText.owner}</dt>
          <dd style={{ margin: 0 }}>{contact.owner?.name ?? crmText.noOwner}</dd>
          {stage && (
            <>
              <dt className="tl-muted">{crmText.stage}</dt>
              <dd style={{ margin: 0 }}>{stage}</dd>
            </>
          )}
          <dt className="tl-muted">{crmText.lastActivity}</dt>
          <dd style={{ margin: 0 }}>
            {contact.lastActivityAt !== undefined ? crmDate(contact.lastActivityAt) : crmText.none}
          </dd>
        </dl>
        {contact.deals.length ? (
          <ul className="tl-list tl-small" aria-label={`${crmText.deals}: ${contact.name}`}>
            {contact.deals.map((d) => (
              <li key={d.id} data-crm-deal={d.id}>
                <a className="tl-link" href={d.url} target="_blank" rel="noopener noreferrer">
                  {d.name}
                </a>{' '}
                <span className="tl-badge">{crmText.dealStage(d.stage.label, d.pipeline.label)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="tl-small tl-muted">{crmText.noDeals}</p>
        )}
      </div>
    </li>
  );
}
