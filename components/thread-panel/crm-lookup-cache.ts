import { useEffect, useState } from 'react';
import { askCrmLookup, type CrmLookupReceived } from '../../lib/protocol/crm-lookup-received';
import type { Runtime } from '../../lib/protocol/endpoints';

/** The thread's external addresses the CRM is asked about (the message's limit). */
export const CRM_LOOKUP_LIMIT = 20;
const TTL_MS = 60_000;

const cache = new Map<string, { at: number; value: Promise<CrmLookupReceived> }>();

const keyOf = (emails: string[]) => [...new Set(emails.map((e) => e.toLowerCase()))].sort().join(',');

/**
 * The CRM records of a thread's people, asked once a minute per set of addresses in this page: the CRM section,
 * the deal card's HubSpot line and the enroll form share one answer. Failures are not kept.
 */
export function lookupCrm(runtime: Runtime, emails: string[], now = Date.now()): Promise<CrmLookupReceived> {
  const list = keyOf(emails).split(',').filter(Boolean).slice(0, CRM_LOOKUP_LIMIT);
  if (!list.length) return Promise.resolve({ state: 'found', people: [] });
  const key = list.join(',');
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const value = askCrmLookup(runtime, list);
  cache.set(key, { at: now, value });
  const forget = () => {
    if (cache.get(key)?.value === value) cache.delete(key);
  };
  value.then((a) => a.state === 'error' && forget(), forget);
  return value;
}

/** Tests: forget every answer. */
export function clearCrmLookupCache(): void {
  cache.clear();
}

/** The CRM answer for these addresses once it arrives (undefined while waiting). */
export function useCrmLookup(runtime: Runtime, emails: string[]): CrmLookupReceived | undefined {
  const key = keyOf(emails);
  const [answer, setAnswer] = useState<{ key: string; value: CrmLookupReceived }>();
  useEffect(() => {
    let live = true;
    lookupCrm(runtime, key ? key.split(',') : []).then(
      (value) => live && setAnswer({ key, value }),
      (e: unknown) =>
        live &&
        setAnswer({ key, value: { state: 'error', message: e instanceof Error ? e.message : String(e) } }),
    );
    return () => {
      live = false;
    };
  }, [runtime, key]);
  return answer?.key === key ? answer.value : undefined;
}
