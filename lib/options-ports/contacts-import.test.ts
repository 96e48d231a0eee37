import { describe, expect, it } from 'vitest';
import { ThreadlineDb } from '../db/database';
import { guessMapping, parseCsv } from './contacts-import-csv';
import { importContacts } from './contacts-import';

let n = 0;
const freshDb = () => new ThreadlineDb(`contacts-import-${process.pid}-${n++}`);
const ids = () => {
  let i = 0;
  return () => `c-${++i}`;
};

describe('reading a contacts CSV', () => {
  it('guesses each column from its header, unknown ones becoming custom fields', () => {
    const { headers } = parseCsv(
      '\uFEFFE-mail,First Name,Surname,Organisation,Job Title,Mobile,TZ,LinkedIn,Deal size,\n',
    );
    expect(guessMapping(headers)).toEqual([
      'email',
      'firstName',
      'lastName',
      'company',
      'title',
      'phone',
      'timeZone',
      'linkedinUrl',
      'custom:Deal_size',
      '',
    ]);
  });

  it('maps a field to its first matching column only', () => {
    expect(guessMapping(['Email', 'Work email'])).toEqual(['email', 'custom:Work_email']);
  });
});

describe('importing contacts', () => {
  const csv = parseCsv(
    [
      'email,first name,company,linkedin,industry',
      'ada@acme.example,Ada,Acme,,Robotics',
      'not-an-email,Bo,Acme,,',
      'cy@other.example,Cy,Other,linkedin dot com,',
      'ADA@acme.example,Ada again,,,',
      ',Nobody,,,',
    ].join('\n'),
  );
  const mapping = guessMapping(csv.headers);

  it('imports the valid rows and names each rejected row with the field and problem', async () => {
    const db = freshDb();
    const report = await importContacts(db, { rows: csv.rows, mapping, duplicates: 'skip' }, ids());
    expect(report).toEqual({
      imported: 1,
      updated: 0,
      skipped: 0,
      rejected: [
        { row: 3, reason: 'email: is not a valid email address' },
        { row: 4, reason: 'linkedinUrl: is not a URL' },
        { row: 5, reason: 'email: ada@acme.example is already on row 2' },
        { row: 6, reason: 'email: is missing' },
      ],
    });
    expect(await db.contacts.where('email').equals('ada@acme.example').first()).toEqual({
      id: 'c-1',
      email: 'ada@acme.example',
      firstName: 'Ada',
      company: 'Acme',
      domain: 'acme.example',
      custom: { industry: 'Robotics' },
    });
  });

  it('skips rows whose email is already a contact, or updates them keeping what the row leaves empty', async () => {
    const db = freshDb();
    await db.contacts.put({
      id: 'old',
      email: 'ada@acme.example',
      firstName: 'A.',
      title: 'CTO',
      custom: { tier: '1' },
    });
    const rows = [['ada@acme.example', 'Ada', 'Acme', '', 'Robotics']];
    expect(await importContacts(db, { rows, mapping, duplicates: 'skip' }, ids())).toMatchObject({
      imported: 0,
      skipped: 1,
    });
    expect((await db.contacts.get('old'))?.firstName).toBe('A.');
    expect(await importContacts(db, { rows, mapping, duplicates: 'update' }, ids())).toMatchObject({
      imported: 0,
      updated: 1,
    });
    expect(await db.contacts.get('old')).toMatchObject({
      firstName: 'Ada',
      title: 'CTO',
      company: 'Acme',
      custom: { tier: '1', industry: 'Robotics' },
    });
  });

  it('needs a column mapped to email', async () => {
    await expect(
      importContacts(
        freshDb(),
        { rows: csv.rows, mapping: mapping.map(() => ''), duplicates: 'skip' },
        ids(),
      ),
    ).rejects.toThrow('Map a column to Email');
  });

  it('imports five thousand rows in one go', async () => {
    const db = freshDb();
    const rows = Array.from({ length: 5000 }, (_, i) => [`person${i}@bulk.example`, `P${i}`, 'Bulk', '', '']);
    const started = performance.now();
    const report = await importContacts(db, { rows, mapping, duplicates: 'skip' }, ids());
    expect(report.imported).toBe(5000);
    expect(await db.contacts.count()).toBe(5000);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
