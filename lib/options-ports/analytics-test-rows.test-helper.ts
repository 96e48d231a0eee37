import type { SampleSequence } from '@/components/options/analytics/sample-data';
import { SequenceSchema, type Sequence } from '../domain/sequence';

/** A stored sequence for a sample one: the builder's defaults for everything but its name and step kinds. */
export function sequenceRow(s: SampleSequence): Sequence {
  return SequenceSchema.parse({
    id: s.id,
    name: s.name,
    ownerId: 'rep',
    steps: s.steps.map((type, i) => ({
      id: `${s.id}-s${i}`,
      type,
      delay: { value: i === 0 ? 0 : 2, unit: 'business_days' },
      ...(type === 'auto_email'
        ? {
            subject: 'Quick question, {{contact.firstName}}',
            body: '<p>Hi</p>',
            variants:
              s.abTest && i === 0
                ? [
                    { id: 'a', subject: 'Quick question', body: '<p>A</p>' },
                    { id: 'b', subject: 'Ideas for {{company.name}}', body: '<p>B</p>' },
                  ]
                : [],
          }
        : { title: type === 'call' ? 'Call' : 'Follow up' }),
    })),
  });
}
