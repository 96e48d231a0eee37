/**
 * The deal card's and the task queue's messages (deal.*, deals.fixits), answered from this device's database.
 * The parts: deal-view.ts (what the card shows), deal-threads.ts (a thread's deal), deal-actions.ts (moves,
 * next steps), deal-automations.ts (a stage's automations), deal-fixits.ts (the queue's fix-its),
 * deal-hubspot-entries.ts (automations of stages entered in HubSpot).
 */
import { ValidationError } from '../domain/common';
import type { Contact } from '../domain/contact';
import type { Deal, DealRole } from '../domain/deal';
import { answerFact, DEFAULT_PIPELINE_ID, SEVERITY_RANK } from '../process';
import type { Handlers } from '../protocol/endpoints';
import type { FixItView } from '../protocol/deals';
import type { DealsHandlerDeps } from './deal-deps';
import { playbookFor } from './deal-view';
import { dealForThread, nameOfDomain, outsiders, domainOf } from './deal-threads';
import { getDeal, moveDeal, runNextStep, writeDeal } from './deal-actions';
import { freshView, runAutomations } from './deal-automations';
import { fixItInputs, fixItCaches, fixItOf } from './deal-fixits';

export type { DealsHandlerDeps } from './deal-deps';
export { activityOf, dealTaskKey, playbookFor } from './deal-view';
export { dealForThread } from './deal-threads';
export { entryIds, runAutomations } from './deal-automations';

type DealMessage =
  | 'deal.forThread'
  | 'deal.create'
  | 'deal.answer'
  | 'deal.setRole'
  | 'deal.move'
  | 'deal.runNextStep'
  | 'deals.fixits';

export function dealsHandlers(deps: DealsHandlerDeps): Pick<Required<Handlers>, DealMessage> {
  return {
    'deal.forThread': async (thread) => {
      const rep = await deps.runner.rep();
      const deal = await dealForThread(deps.db, thread, rep.email);
      if (deal) return { view: await freshView(deps, deal) };
      const { people, companyDomain } = outsiders(thread, rep.email);
      if (!people.length) return {};
      return {
        suggestion: {
          name: companyDomain
            ? nameOfDomain(companyDomain)
            : thread.subject.slice(0, 200) || people[0]!.email,
          ...(companyDomain && { companyDomain }),
          people,
        },
      };
    },

    'deal.create': async (thread) => {
      const rep = await deps.runner.rep();
      const existing = await dealForThread(deps.db, thread, rep.email);
      if (existing) return freshView(deps, existing);
      const { people, companyDomain } = outsiders(thread, rep.email);
      if (!people.length) throw new ValidationError('no one outside your company on this thread');
      const at = deps.now();
      const playbook = await playbookFor(deps.db, DEFAULT_PIPELINE_ID);
      const first = playbook.stages.find((s) => s.kind === 'open')!;
      const contacts: Contact[] = [];
      await deps.db.transaction('rw', deps.db.contacts, async () => {
        for (const p of people) {
          const known = await deps.db.contacts.where('email').equals(p.email).first();
          if (known) contacts.push(known);
          else {
            const [firstName, ...rest] = (p.name ?? '').trim().split(/\s+/).filter(Boolean);
            const contact: Contact = {
              id: deps.runner.newId(),
              email: p.email,
              domain: domainOf(p.email),
              ...(firstName && { firstName }),
              ...(rest.length && { lastName: rest.join(' ') }),
              custom: {},
            };
            await deps.db.contacts.add(contact);
            contacts.push(contact);
          }
        }
      });
      const id = deps.runner.newId();
      const deal: Deal = {
        id,
        name: companyDomain ? nameOfDomain(companyDomain) : thread.subject.slice(0, 200) || people[0]!.email,
        ...(companyDomain && { companyDomain }),
        ownerId: rep.email,
        pipelineId: playbook.pipelineId,
        stageId: first.id,
        stageEnteredAt: at,
        contacts: contacts.map((c) => ({ contactId: c.id, role: 'other' as DealRole })),
        facts: {},
        threadIds: [thread.threadId],
        status: 'open',
        createdAt: at,
        updatedAt: at,
      };
      await writeDeal(deps, deal, [
        {
          id: `${id}:created`,
          dealId: id,
          at,
          by: rep.email,
          kind: 'created',
          data: {
            stageId: first.id,
            threadId: thread.threadId,
            ...(thread.subject.trim() && { subject: thread.subject.slice(0, 2000) }),
          },
        },
      ]);
      await runAutomations(deps, deal, { on: 'enter', stageId: first.id });
      return freshView(deps, deal);
    },

    'deal.answer': async ({ dealId, factKey, value }) => {
      const deal = await getDeal(deps.db, dealId);
      const playbook = await playbookFor(deps.db, deal.pipelineId);
      const rep = await deps.runner.rep();
      const answered = answerFact(deal, playbook, factKey, value ?? undefined, deps.now(), rep.email);
      await writeDeal(deps, answered.deal, [answered.event]);
      deps.queueChanged();
      return freshView(deps, answered.deal);
    },

    'deal.setRole': async ({ dealId, contactId, role }) => {
      const deal = await getDeal(deps.db, dealId);
      if (!deal.contacts.some((c) => c.contactId === contactId))
        throw new ValidationError('the contact is not on the deal');
      const at = deps.now();
      const rep = await deps.runner.rep();
      const updated: Deal = {
        ...deal,
        contacts: deal.contacts.map((c) => (c.contactId === contactId ? { contactId, role } : c)),
        updatedAt: at,
      };
      await writeDeal(deps, updated, [
        {
          id: `${dealId}:role:${contactId}:${at}`,
          dealId,
          at,
          by: rep.email,
          kind: 'contact_linked',
          data: { contactId, role },
        },
      ]);
      deps.queueChanged();
      return freshView(deps, updated);
    },

    'deal.move': (req) => moveDeal(deps, req),
    'deal.runNextStep': ({ dealId }) => runNextStep(deps, dealId),

    'deals.fixits': async () => {
      const rep = await deps.runner.rep();
      const mine = await deps.db.deals
        .where('ownerId')
        .equals(rep.email)
        .filter((d) => d.status === 'open')
        .toArray();
      // Only deals whose inputs changed since the last list are judged again; the others keep their item.
      const inputs = await fixItInputs(deps, mine, rep);
      let cache = fixItCaches.get(deps.db);
      if (!cache) fixItCaches.set(deps.db, (cache = new Map()));
      const fresh = new Map<string, { inputs: string; item?: FixItView }>();
      const items: FixItView[] = [];
      for (const deal of mine) {
        const key = inputs.get(deal.id)!;
        const known = cache.get(deal.id);
        const entry = known?.inputs === key ? known : { inputs: key, item: await fixItOf(deps, deal) };
        fresh.set(deal.id, entry);
        if (entry.item) items.push(entry.item);
      }
      fixItCaches.set(deps.db, fresh);
      items.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.raisedAt - b.raisedAt);
      return { items };
    },
  };
}
