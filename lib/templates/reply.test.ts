import { describe, expect, it } from 'vitest';
import { replyHtml, replySubject } from './reply';

describe('a deal step’s text as the message opened with it', () => {
  it('escapes the text it turns into HTML, keeping paragraphs and lines', () => {
    expect(replyHtml('Hi Ada,\n\nWould 30 minutes <this week> work?\nRiley')).toBe(
      '<p>Hi Ada,</p><p>Would 30 minutes &#60;this week&#62; work?<br>Riley</p>',
    );
  });

  it('answers the thread’s subject once', () => {
    expect(replySubject('Acme hiring plans')).toBe('Re: Acme hiring plans');
    expect(replySubject('RE: Acme hiring plans')).toBe('RE: Acme hiring plans');
  });
});
