import { useMemo } from 'react';
import type { OpenedThread } from '../../lib/hosts/types';
import type { Runtime } from '../../lib/protocol/endpoints';
import { externalPeople } from '../inbox/people';
import { CRM_LOOKUP_LIMIT, useCrmLookup } from './crm-lookup-cache';
import { CrmPeople } from './crm-people';

/**
 * The thread's people in the team's CRM, fed by the background. It loads on its own after the panel has
 * painted (the participants' list never waits for HubSpot) and asks about the participants the panel shows.
 */
export function CrmSection({ runtime, thread }: { runtime: Runtime; thread: OpenedThread }) {
  const emails = useMemo(
    () =>
      externalPeople(thread)
        .map((p) => p.email)
        .slice(0, CRM_LOOKUP_LIMIT),
    [thread],
  );
  const answer = useCrmLookup(runtime, emails);
  if (!emails.length) return null;
  return <CrmPeople answer={answer} />;
}
