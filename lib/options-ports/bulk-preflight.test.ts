import { describe, expect, it } from 'vitest';
import type { Contact } from '../domain/contact';
import type { Rep } from '../domain/rep';
import { SequenceSchema, type Sequence } from '../domain/sequence';
import {
  applyFixes,
  fieldOfToken,
  parsePastedAddresses,
  preflight,
  type PreflightInput,
} from './bulk-preflight';

const rep: Rep = { email: 'sam@seller.example', name: 'Sam Rep', timeZone: 'Europe/London' };
const sequence: Sequence = SequenceSchema.parse({
  id: 'seq1',
  name: 'Q1 outbound',
  ownerId: 'sam@seller.example',
  updatedAt: 0,
  steps: [
    {
      id: 's1',
      type: 'auto_email',
      delay: { value: 0, unit: 'days' },
      subject: 'Hi {{contact.firstName}}',
      body: '<p>Hello</p>',
    },
    { id: 's2', type: 'call', delay: { value: 1, unit: 'days' }, title: 'Call' },
    {
      id: 's3',
      type: 'auto_email',
      delay: { value: 2, unit: 'days' },
      subject: '',
      body: '<p>How is {{company.name}} doing with {{custom.industry}}?</p>',
    },
  ],
});
const known = (id: string, email: string, more: Partial<Contact> = {}): Contact => ({
  id,
  email,
  custom: {},
  ...more,
});

function input(candidates: unknown[], more: Partial<PreflightInput> = {}): PreflightInput {
  return {
    sequence,
    startStep: 0,
    rep,
    candidates,
    known: new Map(),
    liveEnrollments: new Map(),
    suppressed: new Set(),
    sequenceNames: new Map([
      ['seq1', 'Q1 outbound'],
      ['seq2', 'Renewals'],
    ]),
    ...more,
  };
}

describe('the bulk enrollment preflight', () => {
  it('lets through a contact with every value the steps use', () => {
    const result = preflight(
      input([
        { email: 'ada@acme.example', firstName: 'Ada', company: 'Acme', custom: { industry: 'Robotics' } },
      ]),
    );
    expect(result.ready.map((c) => c.email)).toEqual(['ada@acme.example']);
    expect(result.refused).toEqual([]);
  });

  it('refuses, with the reason, an invalid address, a duplicate, do-not-contact, the rep’s own address and someone in another sequence', () => {
    const result = preflight(
      input(
        [
          { email: 'not-an-address' },
          { email: 'dnc@acme.example', firstName: 'D', company: 'Acme', custom: { industry: 'x' } },
          { email: 'sam@seller.example', firstName: 'S', company: 'S', custom: { industry: 'x' } },
          { email: 'busy@acme.example', firstName: 'B', company: 'Acme', custom: { industry: 'x' } },
          { email: 'dnc@acme.example' },
        ],
        {
          known: new Map([['busy@acme.example', known('busy', 'busy@acme.example')]]),
          liveEnrollments: new Map([['busy', [{ sequenceId: 'seq2', status: 'active' }]]]),
          suppressed: new Set(['dnc@acme.example']),
        },
      ),
    );
    expect(result.ready).toEqual([]);
    expect(result.refused.map((r) => [r.index, r.reason])).toEqual([
      [0, 'invalid_contact'],
      [1, 'do_not_contact'],
      [2, 'own_address'],
      [3, 'already_in_sequence'],
      [4, 'duplicate_in_request'],
    ]);
    expect(result.refused[0]!.message).toContain('email');
    expect(result.refused[3]!.message).toContain('Renewals');
  });

  it('lists the missing token values step by step, merging what the device already knows of the contact', () => {
    const result = preflight(
      input([{ email: 'ben@globex.example' }], {
        known: new Map([['ben@globex.example', known('ben', 'ben@globex.example', { firstName: 'Ben' })]]),
      }),
    );
    expect(result.ready).toEqual([]);
    expect(result.refused).toEqual([
      expect.objectContaining({
        index: 0,
        email: 'ben@globex.example',
        reason: 'missing_values',
        missing: [{ stepNumber: 3, tokens: ['company.name', 'custom.industry'] }],
      }),
    ]);
    expect(result.refused[0]!.message).toBe('Step 3: no value for {{company.name}}, {{custom.industry}}');
  });

  it('checks only the steps from the start step on', () => {
    const result = preflight(
      input([{ email: 'cy@initech.example', company: 'Initech', custom: { industry: 'x' } }], {
        startStep: 1,
      }),
    );
    expect(result.ready).toHaveLength(1);
  });

  it('accepts a contact once the rep fills the missing values inline', () => {
    const candidates = [{ email: 'ben@globex.example' }];
    const fixed = applyFixes(candidates, {
      'ben@globex.example': {
        'contact.firstName': 'Ben',
        'company.name': 'Globex',
        'custom.industry': 'Logistics',
      },
    });
    const result = preflight(input(fixed));
    expect(result.refused).toEqual([]);
    expect(result.ready[0]).toMatchObject({
      firstName: 'Ben',
      company: 'Globex',
      custom: { industry: 'Logistics' },
    });
  });

  it('refuses everyone past 1,000 and everyone when the sequence is archived', () => {
    const many = Array.from({ length: 1002 }, (_, i) => ({
      email: `p${i}@bench.example`,
      firstName: 'P',
      company: 'C',
      custom: { industry: 'x' },
    }));
    const result = preflight(input(many));
    expect(result.ready).toHaveLength(1000);
    expect(result.refused.map((r) => r.reason)).toEqual(['too_many', 'too_many']);
    const archived = preflight(input(many.slice(0, 2), { sequence: { ...sequence, archived: true } }));
    expect(archived.refused.map((r) => r.reason)).toEqual(['sequence_archived', 'sequence_archived']);
  });

  it('knows which contact field fills each token, and that rep tokens are not the contact’s', () => {
    expect(fieldOfToken('contact.firstName')).toEqual({ field: 'firstName' });
    expect(fieldOfToken('contact.fullName')).toEqual({ field: 'firstName' });
    expect(fieldOfToken('company.name')).toEqual({ field: 'company' });
    expect(fieldOfToken('custom.industry')).toEqual({ custom: 'industry' });
    expect(fieldOfToken('rep.signature')).toBeUndefined();
  });

  it('reads pasted addresses in any separator, names the ones that are not addresses', () => {
    expect(
      parsePastedAddresses('Ada <ada@acme.example>, ben@globex.example;\nnope  ADA@acme.example'),
    ).toEqual({
      emails: ['ada@acme.example', 'ben@globex.example'],
      invalid: ['nope'],
    });
  });
});
