import { describe, expect, it } from 'vitest';
import { renderTemplate, tokensOf, tokenValues } from './render';

const contact = {
  id: 'c1',
  email: 'ada@acme.example',
  firstName: 'Ada',
  company: 'Acme',
  custom: { industry: 'Rockets' },
};
const rep = { email: 'rep@seller.example', name: 'Sam Rep', timeZone: 'Europe/London' };
const values = tokenValues(contact, rep);

describe('renderTemplate', () => {
  it('fills contact, company, rep and custom tokens', () => {
    const r = renderTemplate(
      'Hi {{contact.firstName}} at {{ company.name }} ({{custom.industry}}) - {{rep.firstName}}',
      values,
    );
    expect(r).toEqual({ text: 'Hi Ada at Acme (Rockets) - Sam', missing: [], unknown: [] });
  });

  it('uses the fallback when the contact has no value', () => {
    expect(renderTemplate('Hi {{contact.lastName | "there"}},', values).text).toBe('Hi there,');
  });

  it('reports a token with no value and no fallback as missing instead of writing "Hi ,"', () => {
    const r = renderTemplate('Hi {{contact.lastName}},', values);
    expect(r.missing).toEqual(['contact.lastName']);
  });

  it('reports unknown tokens (typos)', () => {
    expect(renderTemplate('{{contact.frstName | "x"}}', values).unknown).toEqual(['contact.frstName']);
  });

  it('escapes values inserted into HTML', () => {
    const evil = tokenValues({ ...contact, firstName: '<img src=x onerror=alert(1)>' }, rep);
    expect(renderTemplate('<p>Hi {{contact.firstName}}</p>', evil, { html: true }).text).toBe(
      '<p>Hi &lt;img src=x onerror=alert(1)&gt;</p>',
    );
  });

  it('lists the tokens a template uses', () => {
    expect(tokensOf('{{contact.firstName}} {{company.name | "your team"}}')).toEqual([
      'contact.firstName',
      'company.name',
    ]);
  });
});
