import { useMemo } from 'react';
import type { OpenedThread } from '../../lib/hosts/types';
import type { CrmLookupReceived } from '../../lib/protocol/crm-lookup-received';
import type { Runtime } from '../../lib/protocol/endpoints';
import { externalPeople } from '../inbox/people';
import { CRM_LOOKUP_LIMIT, useCrmLookup } from './crm-lookup-cache';
import { crmDate, crmText } from './crm-strings';

type Found = Extract<CrmLookupReceived, { state: 'found' }>;
type CrmDeal = NonNullable<Found['people'][number]['contact']>['deals'][number];

/**
 * The HubSpot deal a Threadline deal stands for: the one the deal bridge wrote from it (its
 * `threadline_deal_id`), or the one it names (`hubspotDealId`), else among the participants' open HubSpot
 * deals not written from another Threadline deal, the one of the same name, else the only one.
 */
export function crmDealFor(
  deal: { id?: string; name: string; hubspotDealId?: unknown },
  answer: CrmLookupReceived | undefined,
): CrmDeal | undefined {
  if (answer?.state !== 'found') return undefined;
  const open = new Map<string, CrmDeal>();
  for (const p of answer.people) for (const d of p.contact?.deals ?? []) open.set(d.id, d);
  const linked = deal.id ? [...open.values()].find((d) => d.threadlineDealId === deal.id) : undefined;
  if (linked) return linked;
  if (typeof deal.hubspotDealId === 'string' && deal.hubspotDealId) return open.get(deal.hubspotDealId);
  const deals = [...open.values()].filter((d) => !d.threadlineDealId);
  const name = deal.name.trim().toLowerCase();
  return (
    deals.find((d) => d.name.trim().toLowerCase() === name) ?? (deals.length === 1 ? deals[0] : undefined)
  );
}

/**
 * One line in the deal card: the HubSpot deal's stage, with a link to it; for a deal deleted in HubSpot (the
 * backend marks it `crm.removedAt`; the deal stays in Threadline), that it was removed there and when. Nothing
 * without a HubSpot deal.
 */
export function CrmDealLine({
  runtime,
  thread,
  deal,
}: {
  runtime: Runtime;
  thread: OpenedThread;
  deal: { id?: string; name: string; hubspotDealId?: unknown; crm?: { id?: string; removedAt?: number } };
}) {
  const emails = useMemo(
    () =>
      externalPeople(thread)
        .map((p) => p.email)
        .slice(0, CRM_LOOKUP_LIMIT),
    [thread],
  );
  const answer = useCrmLookup(runtime, emails);
  const removedAt = deal.crm?.removedAt;
  if (removedAt !== undefined)
    return (
      <p className="tl-small" data-crm-deal-removed="">
        <span className="tl-muted">{crmText.dealLine}: </span>
        {crmText.dealRemoved(crmDate(removedAt))}
      </p>
    );
  const found = crmDealFor(deal, answer);
  if (!found) return null;
  return (
    <p className="tl-small" data-crm-deal-line={found.id}>
      <span className="tl-muted">{crmText.dealLine}: </span>
      <a className="tl-link" href={found.url} target="_blank" rel="noopener noreferrer">
        {crmText.dealStage(found.stage.label, found.pipeline.label)}
      </a>
    </p>
  );
}
