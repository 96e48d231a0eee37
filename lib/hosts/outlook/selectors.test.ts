import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTLOOK } from './selectors';

describe('Outlook selectors', () => {
  for (const [name, anchor] of Object.entries(OUTLOOK)) {
    it(`${name} still matches its fixture ${anchor.fixture}`, () => {
      const file = path.resolve('tests/fixtures/outlook', anchor.fixture);
      const doc = new DOMParser().parseFromString(fs.readFileSync(file, 'utf8'), 'text/html');
      expect(doc.querySelector(anchor.css)).not.toBeNull();
      expect(anchor.fixture).toContain(anchor.checked);
    });
  }

  it('uses no hashed class name', () => {
    for (const anchor of Object.values(OUTLOOK)) expect(anchor.css).not.toMatch(/\.[A-Za-z]/);
  });
});
