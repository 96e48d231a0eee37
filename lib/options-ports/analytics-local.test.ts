import { describe, expect, it } from 'vitest';
import { SAMPLE_SEQUENCES, sampleEvents } from '@/components/options/analytics/sample-data';
import { computeAnalytics } from '../analytics/funnel';
import { saveRep } from '../db/settings';
import { ThreadlineDb } from '../db/database';
import { sequenceRow } from './analytics-test-rows.test-helper';
import { localAnalyticsSource } from './analytics-local';
import { analyticsSourceFor } from './analytics-source';

let n = 0;
const freshDb = () => new ThreadlineDb(`analytics-local-${process.pid}-${n++}`);
const NOW = Date.UTC(2026, 4, 15, 14);
const DAY = 86_400_000;

describe('analytics from this device’s database', () => {
  it('has nothing to show on a new device, in the browser’s zone until the rep sets theirs', async () => {
    const catalog = await localAnalyticsSource(freshDb(), 'Asia/Tokyo').catalog();
    expect(catalog).toEqual({
      scope: 'own',
      timeZone: 'Asia/Tokyo',
      sequences: [],
      reps: [],
      hasData: false,
    });
  });

  it('names the sequences, their steps and the rep, on the rep’s clock', async () => {
    const db = freshDb();
    await saveRep(db, { email: 'ada@seller.example', name: 'Ada Lovelace', timeZone: 'Europe/Paris' });
    await db.sequences.bulkPut(SAMPLE_SEQUENCES.map(sequenceRow));
    await db.events.bulkPut(sampleEvents({ end: NOW, contacts: 20, reps: ['ada@seller.example'] }));
    const catalog = await localAnalyticsSource(db, 'UTC').catalog();
    expect(catalog.timeZone).toBe('Europe/Paris');
    expect(catalog.hasData).toBe(true);
    expect(catalog.reps).toEqual([{ mailbox: 'ada@seller.example', name: 'Ada Lovelace' }]);
    expect(catalog.sequences.map((s) => s.name)).toEqual([
      'Inbound demo requests',
      'Q3 outbound: fintech',
      'Renewal nudge',
    ]);
    expect(catalog.sequences[0]!.steps).toEqual(['auto_email', 'call', 'auto_email', 'auto_email']);
  });

  it('computes what lib/analytics computes over every event, including sends before the range', async () => {
    const db = freshDb();
    await saveRep(db, { email: 'ada@seller.example', timeZone: 'Europe/Paris' });
    const events = sampleEvents({ end: NOW, days: 60, contacts: 300 });
    await db.events.bulkPut(events);
    const filter = { from: NOW - 20 * DAY, to: NOW - 5 * DAY, sequenceIds: ['seq-inbound'] };
    const loaded = await localAnalyticsSource(db).load(filter);
    expect(loaded).toEqual(computeAnalytics(events, filter, { timeZone: 'Europe/Paris' }));
    expect(loaded.totals.counts.replied).toBeGreaterThan(0);
  });

  it('uses a precomputed result injected into a test build instead, and never in a production build', async () => {
    const analytics = computeAnalytics([], { from: 0, to: DAY }, { timeZone: 'UTC' });
    const catalog = { scope: 'team' as const, timeZone: 'UTC', sequences: [], reps: [], hasData: true };
    Object.assign(globalThis, { __threadlineAnalytics: { catalog, analytics } });
    try {
      expect(await analyticsSourceFor(freshDb(), true).catalog()).toBe(catalog);
      expect((await analyticsSourceFor(freshDb(), false).catalog()).hasData).toBe(false);
    } finally {
      delete (globalThis as { __threadlineAnalytics?: unknown }).__threadlineAnalytics;
    }
  });
});
