// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { refusalOf, unstorableText } from './storable';

/** Errors as node-postgres and PGlite report them (SQLSTATE in `code`). */
const pgError = (code: string, message: string, detail?: string) =>
  Object.assign(new Error(message), { code, ...(detail ? { detail } : {}) });

describe('a mutation’s text', () => {
  it('is named when the database could not store it, wherever it is', () => {
    expect(unstorableText({ a: [{ b: 'x\u0000' }] }, 'args')).toBe(
      'args.a.0.b: contains a NUL character, which cannot be stored',
    );
    expect(unstorableText({ a: '\udc00 tail' }, 'args')).toMatch(/^args\.a: contains half of a UTF-16/);
    expect(unstorableText({ a: 'emoji 😀 whole', b: [1, null, true] }, 'args')).toBeUndefined();
  });
});

describe('a database error', () => {
  it('becomes a reason when the data caused it, saying what is wrong', () => {
    expect(
      refusalOf(
        pgError('22P05', 'unsupported Unicode escape sequence', '\\u0000 cannot be converted to text.'),
      ),
    ).toBe('text contains a NUL character, which cannot be stored');
    expect(refusalOf(pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'))).toBe(
      'text contains a NUL character, which cannot be stored',
    );
    expect(
      refusalOf(
        pgError(
          '22P02',
          'invalid input syntax for type json',
          'Unicode low surrogate must follow a high surrogate.',
        ),
      ),
    ).toMatch(/^text contains half of a UTF-16 surrogate pair/);
    expect(refusalOf(pgError('22003', 'integer out of range', 'in column "slot"'))).toBe(
      'the database refused it: integer out of range',
    );
  });

  it('is not the mutation’s fault when a retry could pass', () => {
    expect(refusalOf(pgError('40001', 'could not serialize access'))).toBeUndefined();
    expect(refusalOf(pgError('23505', 'duplicate key value violates unique constraint'))).toBeUndefined();
    expect(
      refusalOf(pgError('57P01', 'terminating connection due to administrator command')),
    ).toBeUndefined();
    expect(refusalOf(new Error('Connection terminated unexpectedly'))).toBeUndefined();
  });

  it('refuses args nested deeper than 64 levels, without overflowing the stack however deep they go', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { d: deep };
    expect(unstorableText(deep, 'args')).toMatch(/^args(\.0\.d){32}: nested deeper than 64 levels$/);
    let fine: unknown = 'ok';
    for (let i = 0; i < 60; i++) fine = { d: fine };
    expect(unstorableText(fine, 'args')).toBeUndefined();
  });
});
