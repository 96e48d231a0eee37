import { describe, expect, it } from 'vitest';
import { emailsIn } from './addresses';

describe('emailsIn', () => {
  it('finds addresses in brackets, after rfc822; and inside sentences', () => {
    expect(
      emailsIn("<Jane.Doe@Example.org>: host said 550 rfc822;bob@mail.example.co.uk. Also 'amy@example.de'."),
    ).toEqual(['jane.doe@example.org', 'bob@mail.example.co.uk', 'amy@example.de']);
  });

  it('skips what only looks like an address', () => {
    expect(emailsIn('user@localhost a@b @example.org foo@ ')).toEqual([]);
  });

  it('reads a long run of address characters around an @ without a valid domain in one pass', () => {
    const hostile = `${'a'.repeat(200_000)}@${'b'.repeat(200_000)}`;
    expect(emailsIn(hostile)).toEqual([]);
    expect(emailsIn(`${'x.'.repeat(100_000)} jane@example.org`)).toEqual(['jane@example.org']);
  });
});
