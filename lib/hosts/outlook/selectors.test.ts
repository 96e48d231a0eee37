import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { find, OUTLOOK, toGraphConversationId } from './selectors';

const FIXTURES = path.resolve('tests/fixtures/outlook');
const parse = (name: string) =>
  new DOMParser().parseFromString(fs.readFileSync(path.join(FIXTURES, name), 'utf8'), 'text/html');

describe('Outlook anchors', () => {
  for (const [name, anchor] of Object.entries(OUTLOOK)) {
    for (const fixture of anchor.fixtures)
      it(`${name} still matches ${fixture}`, () => {
        expect(find(parse(fixture), anchor)).not.toBeNull();
      });

    it(`${name} keeps its alternatives, evidence and the date it was checked`, () => {
      expect(anchor.alternatives.length).toBeGreaterThan(0);
      expect(anchor.evidence.length).toBeGreaterThan(10);
      expect(anchor.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const fixture of anchor.fixtures) expect(fixture).toContain(anchor.checked);
    });
  }

  it('uses no hashed class name', () => {
    for (const anchor of Object.values(OUTLOOK))
      for (const css of anchor.alternatives) expect(css).not.toMatch(/\.[A-Za-z]/);
  });

  it('every fixture is marked as a dated reconstruction', () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.html'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
      expect(text, file).toContain('RECONSTRUCTION, NOT A CAPTURE');
      expect(file).toMatch(/-\d{4}-\d{2}-\d{2}\.html$/);
    }
  });

  it('finds the compose form’s Send command through its alternatives in order', () => {
    // The newer data-testid first; a page with only the older icon name still has a Send command.
    expect(find(parse('compose-2026-12-07.html'), OUTLOOK.composeSend)?.tagName).toBe('BUTTON');
    expect(find(parse('compose-dialog-2026-12-07.html'), OUTLOOK.composeSend)?.tagName).toBe('I');
  });
});

describe('conversation ids', () => {
  it('turns EWS’s data-convid into Graph’s conversationId: + becomes _ and / becomes -', () => {
    expect(toGraphConversationId('AAQkAGI2TG93AAQ/7rQ+dPmE1Ub+Y2uq/cZ3w==')).toBe(
      'AAQkAGI2TG93AAQ-7rQ_dPmE1Ub_Y2uq-cZ3w==',
    );
  });

  it('leaves an id already in Graph’s form as it is', () => {
    const graph = 'AAQkAGI2TG93AAQ-7rQ_dPmE1Ub_Y2uq-cZ3w==';
    expect(toGraphConversationId(graph)).toBe(graph);
  });
});
