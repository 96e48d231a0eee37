import { describe, expect, it } from 'vitest';
import { parseMessageDate } from './calendar-date';
import { findReturnDate } from './return-date';

const europe = parseMessageDate('Mon, 2 Mar 2026 09:00:00 +0100');
const us = parseMessageDate('Mon, 2 Mar 2026 09:00:00 -0500');

describe('the return date an out-of-office states', () => {
  it.each([
    ['I will be back on 3 March.', '2026-03-03'],
    ['I am out of the office, returning Monday, March 9th.', '2026-03-09'],
    ['I am away until 12/03/2026 with limited access.', '2026-03-12'],
    ['Ich bin bis zum 15.03.2026 nicht im Büro.', '2026-03-15'],
    ['Ich bin zurück am 4. März.', '2026-03-04'],
    ['Je serai de retour le 5 mars.', '2026-03-05'],
    ["Je suis absente jusqu'au 12 mars inclus.", '2026-03-12'],
    ['Estaré fuera de la oficina hasta el 10 de marzo.', '2026-03-10'],
    ['Volveré el lunes 9 de marzo.', '2026-03-09'],
    ['Estarei de volta em 3 de março.', '2026-03-03'],
    ['Estou de férias até 10/03.', '2026-03-10'],
    ['Ik ben terug op 4 maart.', '2026-03-04'],
    ['Ik ben afwezig tot en met 12 maart.', '2026-03-12'],
    ['Ab dem 16.3. bin ich wieder im Büro.', '2026-03-16'],
    ['Vanaf maandag 9 maart ben ik weer aanwezig.', '2026-03-09'],
    ['Je serai de retour à partir du 10 mars.', '2026-03-10'],
    ['I will return on 2026-03-11.', '2026-03-11'],
    ['Out of office till 10th March 2026', '2026-03-10'],
    ['I am out of the office from 9.30 am until 3rd of April', '2026-04-03'],
  ])('%s -> %s', (text, expected) => {
    expect(findReturnDate(text, europe)).toBe(expected);
  });

  it('prefers an explicit return day over the end of the absence', () => {
    const text = 'I am out of office from 2 March until 6 March and will be back on Monday 9 March.';
    expect(findReturnDate(text, europe)).toBe('2026-03-09');
  });

  it('takes the last day of a range as the return date', () => {
    expect(findReturnDate('Vom 2.-6. März bin ich im Urlaub.', europe)).toBe('2026-03-06');
    expect(findReturnDate('I am on leave March 2-6.', europe)).toBe('2026-03-06');
    expect(findReturnDate('Je suis absent du 2 au 6 mars.', europe)).toBe('2026-03-06');
    expect(findReturnDate('Estoy de vacaciones del 2 al 13 de marzo.', europe)).toBe('2026-03-13');
    expect(findReturnDate('Estou fora do escritório de 2 a 6 de março.', europe)).toBe('2026-03-06');
  });

  it('reads slashed English dates month first for a US sender and day first elsewhere', () => {
    expect(findReturnDate('I am away until 03/12/2026.', us)).toBe('2026-03-12');
    expect(findReturnDate('I am away until 12/03/2026.', europe)).toBe('2026-03-12');
  });

  it('falls back to the other reading when the preferred one is impossible', () => {
    expect(findReturnDate('I am away until 25/03/2026.', us)).toBe('2026-03-25');
  });

  it('puts a year-less date that already passed into next year', () => {
    expect(findReturnDate('I am out of the office until 2/28.', us)).toBe('2027-02-28');
  });

  it('resolves a weekday or "tomorrow" from the message date', () => {
    expect(findReturnDate('I will be back on Monday.', europe)).toBe('2026-03-09');
    expect(findReturnDate('Back tomorrow.', europe)).toBe('2026-03-03');
  });

  it('gives nothing when no day is stated', () => {
    expect(findReturnDate('I am out of the office with no access to email.', europe)).toBeUndefined();
    expect(findReturnDate('I am out of the office next week.', europe)).toBeUndefined();
  });

  it('ignores the start of an absence', () => {
    expect(findReturnDate('I am on leave from 2 March.', europe)).toBeUndefined();
  });

  it('cannot place a year-less date without a message date', () => {
    expect(findReturnDate('Back on 3 March.', undefined)).toBeUndefined();
    expect(findReturnDate('Back on 3 March 2026.', undefined)).toBe('2026-03-03');
  });
});

describe('ranges written with weekdays', () => {
  it('reads "du lundi 2 mars au vendredi 13 mars inclus" as back on the 13th', () => {
    const text = 'Je suis en congés du lundi 2 mars au vendredi 13 mars inclus.';
    expect(findReturnDate(text, parseMessageDate('Mon, 2 Mar 2026 09:00:00 +0100'))).toBe('2026-03-13');
  });
});
