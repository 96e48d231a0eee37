import { describe, expect, it } from 'vitest';
import { localClock } from '../../lib/engine/calendar';
import { simulate, type SimLine } from './simulate';

const ZONES = {
  'ny@acme.example': 'America/New_York',
  'ldn@brit.example': 'Europe/London',
  'syd@oz.example': 'Australia/Sydney',
  'kol@bharat.example': 'Asia/Kolkata',
} as const;
type Who = keyof typeof ZONES;

const emailStep = (value: number, unit: string, extra: object = {}) => ({
  type: 'auto_email',
  delay: { value, unit },
  subject: 'Quick question, {{contact.firstName}}',
  body: '<p>Hi {{contact.firstName}}, a note for {{company.name | "your team"}}.</p>',
  ...extra,
});

const SIX_STEPS = [
  emailStep(0, 'minutes'),
  emailStep(2, 'business_days'),
  emailStep(3, 'days'),
  emailStep(1, 'business_days'),
  emailStep(2, 'days'),
  emailStep(3, 'business_days'),
];

function scenario(start: string, until: string, extra: Record<string, unknown> = {}) {
  return {
    start,
    until,
    rep: { email: 'sam@seller.example', timeZone: 'Europe/London', name: 'Sam Rep' },
    sequence: {
      name: 'Outbound',
      settings: { sendWindow: { start: '09:00', end: '17:00' } },
      steps: structuredClone(SIX_STEPS),
    },
    enroll: (Object.keys(ZONES) as Who[]).map((email) => ({
      at: start,
      contact: { email, firstName: email.slice(0, 3).toUpperCase(), company: 'Co', timeZone: ZONES[email] },
    })),
    ...extra,
  };
}

const sendsOf = (lines: SimLine[], who: string) =>
  lines.filter((l) => l.action === 'send' && l.contact === who);
const local = (l: SimLine, who: Who) => localClock(Date.parse(l.at), ZONES[who]);

describe('the simulator, across the March DST changes', () => {
  it('sends every step at 09:00 on the contact clock in New York, London, Sydney and Kolkata (US change on 8 March)', async () => {
    // Sunday 1 March 12:00 UTC: outside every contact's window, so each first email waits for Monday 09:00 local.
    const { lines } = await simulate(scenario('2026-03-01T12:00:00Z', '2026-03-22T00:00:00Z'));
    const expectedDates = [
      '2026-03-02',
      '2026-03-04',
      '2026-03-09',
      '2026-03-10',
      '2026-03-12',
      '2026-03-17',
    ];
    for (const who of Object.keys(ZONES) as Who[]) {
      const sends = sendsOf(lines, who);
      expect(sends.map((l) => local(l, who))).toEqual(expectedDates.map((d) => `${d} 09:00`));
      expect(sends.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(sends.map((l) => l.thread)).size).toBe(1);
      expect(sends[0]!.subject).toBe(`Quick question, ${who.slice(0, 3).toUpperCase()}`);
      expect(sends.slice(1).every((l) => l.subject === `Re: ${sends[0]!.subject}`)).toBe(true);
    }
    // The same 09:00 in New York is an hour earlier in UTC once daylight saving starts.
    const ny = sendsOf(lines, 'ny@acme.example');
    expect(ny[1]!.at).toBe('2026-03-04T14:00:00Z');
    expect(ny[2]!.at).toBe('2026-03-09T13:00:00Z');
    // Kolkata's half-hour offset: 09:00 IST is 03:30 UTC.
    expect(sendsOf(lines, 'kol@bharat.example')[0]!.at).toBe('2026-03-02T03:30:00Z');
    expect(lines.filter((l) => l.action === 'finished')).toHaveLength(4);
  });

  it('keeps 09:00 local through the UK change (29 March) and the Sydney change (5 April)', async () => {
    const { lines } = await simulate(scenario('2026-03-22T12:00:00Z', '2026-04-12T00:00:00Z'));
    const expectedDates = [
      '2026-03-23',
      '2026-03-25',
      '2026-03-30',
      '2026-03-31',
      '2026-04-02',
      '2026-04-07',
    ];
    for (const who of Object.keys(ZONES) as Who[]) {
      expect(sendsOf(lines, who).map((l) => local(l, who))).toEqual(expectedDates.map((d) => `${d} 09:00`));
    }
    const ldn = sendsOf(lines, 'ldn@brit.example');
    expect(ldn[1]!.at).toBe('2026-03-25T09:00:00Z'); // GMT
    expect(ldn[2]!.at).toBe('2026-03-30T08:00:00Z'); // BST
    const syd = sendsOf(lines, 'syd@oz.example');
    expect(syd[4]!.at).toBe('2026-04-01T22:00:00Z'); // AEDT, UTC+11
    expect(syd[5]!.at).toBe('2026-04-06T23:00:00Z'); // AEST, UTC+10
  });
});

describe('the simulator, stopping and pausing', () => {
  it('sends nothing after the contact replied, and only that contact stops', async () => {
    const { lines } = await simulate(
      scenario('2026-03-01T12:00:00Z', '2026-03-22T00:00:00Z', {
        events: [{ at: '2026-03-04T10:00:00Z', contact: 'ldn@brit.example', type: 'reply' }],
      }),
    );
    const ldn = lines.filter((l) => l.contact === 'ldn@brit.example');
    // London's step 2 left at 09:00 local that morning, the reply came at 10:00: nothing after it.
    expect(ldn.map((l) => l.action)).toEqual(['send', 'send', 'unenrolled']);
    expect(ldn.at(-1)).toMatchObject({ reason: 'replied', step: 3 });
    expect(sendsOf(lines, 'ny@acme.example')).toHaveLength(6);
  });

  it('pauses at an out-of-office until the return date, then resumes with the delay that was left', async () => {
    const { lines } = await simulate(
      scenario('2026-03-01T12:00:00Z', '2026-04-01T00:00:00Z', {
        events: [
          {
            at: '2026-03-02T12:00:00Z',
            contact: 'ldn@brit.example',
            type: 'out_of_office',
            returnDate: '2026-03-16',
          },
        ],
      }),
    );
    const ldn = lines.filter((l) => l.contact === 'ldn@brit.example');
    expect(ldn.slice(0, 3).map((l) => l.action)).toEqual(['send', 'paused', 'resumed']);
    expect(ldn[1]).toMatchObject({ reason: 'out_of_office', until: '2026-03-16T00:00:00Z' });
    expect(ldn[2]!.at).toBe('2026-03-16T00:00:00Z');
    // Paused Monday 12:00 with two business days less three hours left: due Wednesday 09:00 after the return.
    expect(local(ldn[3]!, 'ldn@brit.example')).toBe('2026-03-18 09:00');
  });

  it('catches up after the browser was closed at the next allowed moment, spread by the spacing, never a burst', async () => {
    const base = scenario('2026-03-02T07:00:00Z', '2026-03-04T00:00:00Z');
    const many = Array.from({ length: 12 }, (_, i) => ({
      at: '2026-03-02T07:00:00Z',
      contact: { email: `p${i}@many.example`, firstName: `P${i}`, timeZone: 'Europe/London' },
    }));
    const { lines } = await simulate({
      ...base,
      sequence: { ...base.sequence, steps: [emailStep(0, 'minutes')] },
      enroll: many,
      events: [
        { at: '2026-03-02T07:30:00Z', type: 'browser_closed' },
        { at: '2026-03-02T11:00:00Z', type: 'browser_opened' },
      ],
    });
    const sends = lines.filter((l) => l.action === 'send').map((l) => Date.parse(l.at));
    expect(sends).toHaveLength(12);
    expect(new Date(sends[0]!).toISOString()).toBe('2026-03-02T11:00:00.000Z');
    for (let i = 1; i < sends.length; i++) expect(sends[i]! - sends[i - 1]!).toBeGreaterThanOrEqual(30_000);
  });

  it('waits for a blocking task, and moves on when it is completed', async () => {
    const base = scenario('2026-03-02T10:00:00Z', '2026-03-20T00:00:00Z');
    const { lines } = await simulate({
      ...base,
      sequence: {
        ...base.sequence,
        steps: [
          emailStep(0, 'minutes'),
          { type: 'call', delay: { value: 1, unit: 'business_days' } },
          emailStep(1, 'days'),
        ],
      },
      enroll: [base.enroll[1]],
      events: [{ at: '2026-03-05T15:00:00Z', contact: 'ldn@brit.example', type: 'complete_task' }],
    });
    expect(lines.map((l) => [l.action, l.step, l.at])).toEqual([
      ['send', 1, '2026-03-02T10:00:00Z'],
      ['task_due', 2, '2026-03-03T10:00:00Z'],
      ['send', 3, '2026-03-06T15:00:00Z'],
      ['finished', 3, '2026-03-06T15:00:00Z'],
    ]);
  });

  it('pauses a contact whose email would have a missing token instead of sending "Hi ,"', async () => {
    const base = scenario('2026-03-02T10:00:00Z', '2026-03-06T00:00:00Z');
    const { lines } = await simulate({
      ...base,
      sequence: { ...base.sequence, steps: [emailStep(0, 'minutes', { body: 'Hi {{contact.lastName}},' })] },
      enroll: [base.enroll[1]],
    });
    expect(lines).toEqual([
      {
        at: '2026-03-02T10:00:00Z',
        contact: 'ldn@brit.example',
        step: 1,
        action: 'paused',
        reason: 'needs_attention',
      },
    ]);
  });
});

describe('a bad scenario', () => {
  it('names the field that is wrong', async () => {
    const bad = scenario('2026-03-02T10:00:00Z', '2026-03-06T00:00:00Z');
    (bad.sequence.steps[1] as { delay: unknown }).delay = { value: 2, unit: 'weeks' };
    await expect(simulate(bad)).rejects.toThrow(/scenario\.sequence\.steps\.1\.delay\.unit/);
  });

  it('names an event for a contact that was never enrolled', async () => {
    const bad = scenario('2026-03-02T10:00:00Z', '2026-03-06T00:00:00Z', {
      events: [{ at: '2026-03-03T10:00:00Z', contact: 'nobody@x.example', type: 'reply' }],
    });
    await expect(simulate(bad)).rejects.toThrow(
      /scenario\.events\.0\.contact: nobody@x\.example is not enrolled/,
    );
  });

  it('names a window that ends before it starts and an unknown time zone', async () => {
    const bad = scenario('2026-03-02T10:00:00Z', '2026-03-06T00:00:00Z');
    (bad.sequence as { settings: unknown }).settings = { sendWindow: { start: '17:00', end: '09:00' } };
    bad.enroll[0]!.contact.timeZone = 'Mars/Olympus' as never;
    const error = await simulate(bad).catch((e: Error) => e.message);
    expect(error).toMatch(
      /scenario\.sequence\.settings\.sendWindow: the send window must end after it starts/,
    );
    expect(error).toMatch(/scenario\.enroll\.0\.contact\.timeZone: is not an IANA time zone/);
  });
});

describe('the simulator on the mail sandbox (--mail=sandbox)', () => {
  it('gives the same schedule as the fake mailbox, with replies, out-of-office, bounces and meetings going through the real watcher and classifier', async () => {
    const input = scenario('2026-03-01T12:00:00Z', '2026-03-25T00:00:00Z', {
      events: [
        { at: '2026-03-04T10:00:00Z', contact: 'ldn@brit.example', type: 'reply' },
        {
          at: '2026-03-03T01:00:00Z',
          contact: 'syd@oz.example',
          type: 'out_of_office',
          returnDate: '2026-03-10',
        },
        { at: '2026-03-02T15:00:00Z', contact: 'ny@acme.example', type: 'bounce' },
        { at: '2026-03-05T05:00:00Z', contact: 'kol@bharat.example', type: 'auto_reply' },
        { at: '2026-03-06T05:00:00Z', contact: 'kol@bharat.example', type: 'meeting_booked' },
      ],
    });
    const fake = await simulate(input);
    const real = await simulate(input, { mail: 'sandbox' });
    fake.db.close();
    real.db.close();
    const strip = (lines: SimLine[]) => lines.map(({ thread: _thread, ...rest }) => rest);
    expect(strip(real.lines)).toEqual(strip(fake.lines));
    expect(real.lines.filter((l) => l.action === 'unenrolled').map((l) => [l.contact, l.reason])).toEqual([
      ['ny@acme.example', 'bounced'],
      ['ldn@brit.example', 'replied'],
      ['kol@bharat.example', 'meeting_booked'],
    ]);
    expect(real.lines.find((l) => l.action === 'paused')).toMatchObject({
      contact: 'syd@oz.example',
      reason: 'out_of_office',
      until: '2026-03-09T13:00:00Z',
    });
  }, 60_000);
});
