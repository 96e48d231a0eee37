import type { Deal } from '../domain/deal';
import { entryIds, ranFor, runAutomations } from './deal-automations';
import type { DealsHandlerDeps } from './deal-deps';
import { playbookFor } from './deal-view';

/** The key of a stage entry, the same on every device that sees it. */
export const stageEntryKey = (deal: Pick<Deal, 'stageId' | 'stageEnteredAt'>) =>
  `enter:${deal.stageId}:${deal.stageEnteredAt}`;

/**
 * Stage moves made in HubSpot reach this device by sync (server/crm/deals-pull.ts writes them with a
 * `stage_changed` history row by "hubspot"); this runs the entered stage's "enter" automations for them, as a
 * move made on this device does (lib/background/deals.ts runAutomations, the same path). Only the deal
 * owner's devices run them (runAutomations checks), and with ids derived from the stage entry, so the rep's
 * two computers pulling the same move make the same rows, kept once by the backend, and a device that already
 * has them (made here or pulled) makes nothing. Run after each sync; returns how many deals it ran for.
 */
export async function runHubSpotStageEntries(deps: DealsHandlerDeps): Promise<number> {
  const rep = await deps.runner.rep();
  const open = await deps.db.deals
    .where('ownerId')
    .equals(rep.email)
    .filter((d) => d.status === 'open')
    .toArray();
  let ran = 0;
  for (const deal of open) {
    // The deal's current stage entry, when HubSpot made it.
    const entry = await deps.db.dealEvents
      .where('[dealId+at]')
      .equals([deal.id, deal.stageEnteredAt])
      .filter((e) => e.kind === 'stage_changed' && e.by === 'hubspot' && e.data.toStageId === deal.stageId)
      .first();
    if (!entry) continue;
    // Nothing to do when the stage has no enter automation left to run for this entry (the usual case after
    // the first sync that saw it): the world runAutomations reads is not loaded for it.
    const stage = (await playbookFor(deps.db, deal.pipelineId)).stages.find((s) => s.id === deal.stageId);
    const enter = (stage?.automations ?? []).filter((a) => a.enabled && a.trigger.on === 'enter');
    const key = stageEntryKey(deal);
    const left = await Promise.all(
      enter.map(async (a) => !(await ranFor(deps.db, entryIds(deal.id, a.id, key)))),
    );
    if (!left.some(Boolean)) continue;
    await runAutomations(deps, deal, { on: 'enter', stageId: deal.stageId }, key);
    ran += 1;
  }
  if (ran) deps.queueChanged();
  return ran;
}
