import { performance } from 'node:perf_hooks';
import type { Contact } from '../../lib/domain/contact';
import { SequenceSchema } from '../../lib/domain/sequence';
import { preflight } from '../../lib/options-ports/bulk-preflight';
import { median } from './common';

/**
 * The bulk-enrollment preflight of 1,000 contacts against a five-step sequence whose emails use contact,
 * company and custom tokens (one with A/B variants): half the contacts already known on the device, some in
 * another sequence, some on the do-not-contact list, some missing a value. Median of 5, in ms.
 */
export function bulkPreflight1000(reps = 5): number {
  const email = (id: string, delay: number, subject: string, body: string, variants = false) => ({
    id,
    type: 'auto_email',
    delay: { value: delay, unit: 'business_days' },
    subject,
    body,
    ...(variants
      ? {
          variants: [
            { id: `${id}a`, subject: 'Idea for {{company.name}}', body: '<p>Hi {{contact.firstName}}</p>' },
            {
              id: `${id}b`,
              subject: 'Quick one, {{contact.firstName}}',
              body: '<p>{{custom.industry}} teams…</p>',
            },
          ],
        }
      : {}),
  });
  const sequence = SequenceSchema.parse({
    id: 'seq-bench',
    name: 'Bench',
    ownerId: 'rep',
    steps: [
      email(
        's1',
        0,
        'Hi {{contact.firstName}}',
        '<p>Saw {{company.name}} is hiring {{contact.title | "people"}}.</p>',
        true,
      ),
      email('s2', 2, '', '<p>How does {{custom.industry}} handle this at {{company.name}}?</p>'),
      {
        id: 's3',
        type: 'call',
        delay: { value: 1, unit: 'business_days' },
        title: 'Call {{contact.firstName}}',
      },
      email('s4', 3, '', '<p>{{contact.firstName}}, one more thought about {{custom.priority}}.</p>'),
      email('s5', 5, 'Closing the loop', '<p>Thanks {{contact.fullName}}. {{rep.signature}}</p>'),
    ],
  });
  const rep = { email: 'rep@seller.example', name: 'Sam Rep', timeZone: 'Europe/London', signature: 'Sam' };
  const candidates = Array.from({ length: 1000 }, (_, i) => ({
    email: `p${i}@co${i % 50}.example`,
    firstName: `P${i}`,
    ...(i % 10 === 3 ? {} : { company: `Co ${i % 50}` }),
    custom: i % 7 === 0 ? { industry: 'Retail' } : { industry: 'Retail', priority: 'speed' },
  }));
  const known = new Map<string, Contact>();
  const live = new Map<string, { sequenceId: string; status: 'active' }[]>();
  for (let i = 0; i < 1000; i += 2) {
    const c = { id: `c${i}`, email: candidates[i]!.email, title: 'CTO', custom: {} };
    known.set(c.email, c);
    if (i % 40 === 0) live.set(c.id, [{ sequenceId: 'other', status: 'active' }]);
  }
  const suppressed = new Set(candidates.filter((_, i) => i % 97 === 5).map((c) => c.email));
  const input = { sequence, startStep: 0, rep, candidates, known, liveEnrollments: live, suppressed };
  const first = preflight(input);
  if (first.ready.length < 500 || first.refused.length < 100)
    throw new Error(
      `bench: preflight mix is off (${first.ready.length} ready, ${first.refused.length} refused)`,
    );
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    preflight(input);
    times.push(performance.now() - start);
  }
  return median(times);
}
