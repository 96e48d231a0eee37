import { describe, expect, it } from 'vitest';
import type { Contact } from '../domain/contact';
import { buildContactIndex, queryContacts, type ContactQuery, type IndexEnrollment } from './contacts-index';

const contact = (id: string, email: string, more: Partial<Contact> = {}): Contact => ({
  id,
  email,
  domain: email.split('@')[1],
  custom: {},
  ...more,
});

const contacts = [
  contact('ada', 'ada@acme.example', {
    firstName: 'Ada',
    lastName: 'Lovelace',
    company: 'Acme',
    custom: { industry: 'Robotics' },
  }),
  contact('ben', 'ben@globex.example', {
    firstName: 'Ben',
    lastName: 'Ng',
    company: 'Globex',
    custom: { industry: 'Logistics' },
  }),
  contact('cy', 'cy@initech.example', { firstName: 'Cy', company: 'Initech' }),
  contact('dee', 'dee@acme.example', { firstName: 'Dee', lastName: 'Acre', company: 'Acme' }),
  contact('eve', 'eve@hooli.example'),
];
const enrollment = (contactId: string, more: Partial<IndexEnrollment>): IndexEnrollment => ({
  contactId,
  sequenceId: 'seq1',
  status: 'active',
  mailbox: 'sam@seller.example',
  enrolledAt: 1000,
  ...more,
});
const enrollments: IndexEnrollment[] = [
  enrollment('ada', {}),
  enrollment('ben', {
    status: 'unenrolled',
    reason: 'replied',
    mailbox: 'kim@seller.example',
    enrolledAt: 500,
  }),
  enrollment('cy', { status: 'unenrolled', reason: 'bounced' }),
  enrollment('dee', { status: 'paused', pauseReason: 'needs_attention', enrolledAt: 2000 }),
];
const index = buildContactIndex({
  contacts,
  enrollments,
  suppressions: new Map([['eve@hooli.example', 'manual']]),
  sequenceNames: new Map([['seq1', 'Q1 outbound']]),
});
const ids = (q: ContactQuery) => queryContacts(index, q).map((i) => index.rows[i]!.contact.id);

describe('the contacts index', () => {
  it('finds contacts by every word typed, in name, email or company, whatever the case', () => {
    expect(ids({ text: 'ACME' })).toEqual(['ada', 'dee']);
    expect(ids({ text: 'ada love' })).toEqual(['ada']);
    expect(ids({ text: 'globex.example' })).toEqual(['ben']);
    expect(ids({ text: 'nobody' })).toEqual([]);
  });

  it('filters by company or domain, owner, sequence state, do-not-contact and a custom field', () => {
    expect(ids({ company: 'initech.example' })).toEqual(['cy']);
    expect(ids({ company: 'glob' })).toEqual(['ben']);
    expect(ids({ owner: 'kim@seller.example' })).toEqual(['ben']);
    expect(ids({ sequence: 'in_sequence' })).toEqual(['ada', 'dee']);
    expect(ids({ sequence: 'not_in_sequence' })).toEqual(['ben', 'cy', 'eve']);
    expect(ids({ sequence: 'replied' })).toEqual(['ben']);
    expect(ids({ sequence: 'bounced' })).toEqual(['cy']);
    expect(ids({ doNotContact: 'yes' })).toEqual(['eve']);
    expect(ids({ doNotContact: 'no' })).toHaveLength(4);
    expect(ids({ custom: { key: 'industry', value: 'robo' } })).toEqual(['ada']);
    expect(ids({ custom: { key: 'industry', value: '' } })).toEqual(['ada', 'ben']);
  });

  it('combines filters with the search', () => {
    expect(ids({ text: 'acme', sequence: 'in_sequence', company: 'acme' })).toEqual(['ada', 'dee']);
    expect(ids({ text: 'dee', sequence: 'not_in_sequence' })).toEqual([]);
  });

  it('sorts by a column either way', () => {
    expect(ids({ sort: { key: 'name', dir: 'asc' } })).toEqual(['ada', 'ben', 'cy', 'dee', 'eve']);
    expect(ids({ sort: { key: 'name', dir: 'desc' } })).toEqual(['eve', 'dee', 'cy', 'ben', 'ada']);
    expect(ids({ sort: { key: 'status', dir: 'asc' } }).slice(0, 2)).toEqual(['dee', 'ada']);
    expect(ids({ sort: { key: 'lastEnrolled', dir: 'desc' } })[0]).toBe('dee');
  });

  it('says where each contact stands, and lists owners and custom fields for the filters', () => {
    const status = Object.fromEntries(index.rows.map((r) => [r.contact.id, r.status]));
    expect(status).toEqual({
      ada: 'in_sequence',
      ben: 'replied',
      cy: 'bounced',
      dee: 'needs_attention',
      eve: 'none',
    });
    expect(index.rows[0]!.sequences).toEqual(['Q1 outbound']);
    expect(index.owners).toEqual(['kim@seller.example', 'sam@seller.example']);
    expect(index.customKeys).toEqual(['industry']);
  });
});
