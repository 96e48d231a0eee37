/**
 * What this server keeps of a team's CRM reads: the thread panel's lookup cache (lookup.ts) and Settings →
 * CRM's deal pipelines, kept PIPELINES_TTL_MS so opening Settings asks HubSpot nothing most times. Both are
 * forgotten when the team connects or disconnects, so no answer of an earlier connection (or another portal)
 * is ever served. In memory: with several server processes, each keeps and forgets its own (server/README.md).
 */
import type { CrmPipeline } from '../../lib/contract/crm';
import { createCrmLookup, type CrmLookup } from './lookup';

/** How long a team's pipelines are kept. */
export const PIPELINES_TTL_MS = 5 * 60_000;

export function createTeamReads(now: () => number, lookup: CrmLookup = createCrmLookup({ now })) {
  const pipelines = new Map<string, { at: number; portalId: string; value: Promise<CrmPipeline[]> }>();
  return {
    lookup,
    /** The team's pipelines for this portal: kept, or loaded (a failed load is not kept). */
    pipelines(teamId: string, portalId: string, load: () => Promise<CrmPipeline[]>): Promise<CrmPipeline[]> {
      const have = pipelines.get(teamId);
      if (have && have.portalId === portalId && now() - have.at < PIPELINES_TTL_MS) return have.value;
      const value = load();
      const entry = { at: now(), portalId, value };
      pipelines.set(teamId, entry);
      value.catch(() => {
        if (pipelines.get(teamId) === entry) pipelines.delete(teamId);
      });
      return value;
    },
    /** Forgets all the team's answers (on connecting and disconnecting). */
    forget(teamId: string): void {
      lookup.forget(teamId);
      pipelines.delete(teamId);
    },
  };
}

export type TeamReads = ReturnType<typeof createTeamReads>;
