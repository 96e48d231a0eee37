/// <reference types="vite/client" />
// The mail fixtures, loaded through Vite (the pure core may not import node:fs, even in tests).
const emls = import.meta.glob<string>('../../tests/fixtures/mail/*/*.eml', {
  query: '?raw',
  import: 'default',
  eager: true,
});
const expectations = import.meta.glob<Record<string, Expected>>('../../tests/fixtures/mail/*/expected.json', {
  import: 'default',
  eager: true,
});

export interface Expected {
  returnDate?: string;
  bounce?: { recipient: string; permanent: boolean; reason: string; status?: string };
  complaint?: { feedbackType?: string; recipient?: string };
}

export interface Fixture {
  kind: string;
  name: string;
  raw: string;
  expected: Expected;
}

export const fixtures: Fixture[] = Object.entries(emls).map(([path, raw]) => {
  const [kind = '', name = ''] = path.split('/').slice(-2);
  const expected = expectations[`../../tests/fixtures/mail/${kind}/expected.json`]?.[name] ?? {};
  return { kind, name, raw, expected };
});
