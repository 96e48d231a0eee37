/**
 * Figures for issue 12 (inbound mail from strangers): how long parsing and classifying takes on generated
 * hostile HTML and MIME shapes, per megabyte of input, at 1 MiB and 4 MiB; on ordinary mail (the fixtures);
 * and a yardstick measured in the same run, so that figures from machines of different speed compare.
 */
import { performance } from 'node:perf_hooks';
import { classify } from '../../lib/replies/classify';
import { parseInbound, UnreadableMessageError } from '../../lib/replies/parse';
import { median, round } from './common';

const MiB = 1024 * 1024;

function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

const HEAD =
  'From: Jane Doe <jane@example.org>\r\nTo: sam@example.com\r\nSubject: Re: hello\r\n' +
  'In-Reply-To: <x@example.com>\r\nMessage-ID: <h@example.org>\r\n';

function htmlOnly(body: (n: number) => string): (size: number) => string {
  return (size) => `${HEAD}Content-Type: text/html; charset=utf-8\r\n\r\n${body(size - 200)}`;
}

/** Each shape makes a whole raw message of about `size` bytes. */
export const HOSTILE_SHAPES: Record<string, (size: number) => string> = {
  'html-unclosed-a': htmlOnly((n) => fill('<a', n)),
  'html-unclosed-attributes': htmlOnly((n) => fill('<a href="x" ', n)),
  'html-unclosed-comments': htmlOnly((n) => fill('<!--', n)),
  'html-deep-nesting': htmlOnly((n) => fill('<div><blockquote>', n)),
  'html-long-line': htmlOnly((n) => fill('a', n)),
  'html-repetition': htmlOnly((n) => fill('<p>hello <b>world</b></p>', n)),
  'html-entities': htmlOnly((n) => fill('&#x41;&amp;&', n)),
  'plain-long-line': (size) => `${HEAD}Content-Type: text/plain\r\n\r\n${fill('word ', size - 200)}`,
  'plain-quote-padding': (size) =>
    `${HEAD}Content-Type: text/plain\r\n\r\nOk.\r\nOn Monday Jane wrote${fill(' ', size - 300)}x\r\n`,
  // postal-mime renders a text/html part without a plain sibling into the plain text itself.
  'mixed-plain-and-hostile-html': (size) =>
    `${HEAD}Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nhi\r\n` +
    `--m\r\nContent-Type: text/html\r\n\r\n${fill('<a', size - 400)}\r\n--m--\r\n`,
  'mime-many-tiny-parts': (size) =>
    `${HEAD}Content-Type: multipart/mixed; boundary="r"\r\n\r\n${fill('--r\r\nContent-Type: text/plain\r\n\r\nx\r\n', size - 300)}--r--\r\n`,
  'mime-deep-nesting': (size) => {
    let raw = `${HEAD}Content-Type: multipart/mixed; boundary=b0\r\n\r\n`;
    for (let i = 1; i < 30; i++)
      raw += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary=b${i}\r\n\r\n`;
    return `${raw}--b29\r\nContent-Type: text/plain\r\n\r\n${fill('nested ', size - raw.length - 100)}\r\n`;
  },
  'mime-base64-attachment': (size) =>
    `${HEAD}Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n` +
    `--m\r\nContent-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n\r\n${fill('QUJDRA==\r\n', size - 400)}--m--\r\n`,
  'mime-broken-qp': (size) =>
    `${HEAD}Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${fill('=Z=\r\n=4', size - 250)}`,
  'dsn-many-recipients': (size) =>
    'From: MAILER-DAEMON@example.net\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n' +
    `--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n${fill(
      'Final-Recipient: rfc822; a@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n',
      size - 300,
    )}--r--\r\n`,
};

async function once(raw: Uint8Array): Promise<number> {
  const start = performance.now();
  try {
    classify(await parseInbound(raw), { repAddresses: ['sam@example.com'] });
  } catch (e) {
    // Marked unreadable is an acceptable outcome; anything else is a bug the bench must not hide.
    if (!(e instanceof UnreadableMessageError)) throw e;
  }
  return performance.now() - start;
}

/** Median of 5 timed runs after one warm-up, in ms. */
async function timeShape(raw: Uint8Array): Promise<number> {
  await once(raw);
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push(await once(raw));
  return median(runs);
}

export async function hostileFigures(): Promise<Record<string, number>> {
  const encoder = new TextEncoder();
  let worst1 = { shape: '', msPerMb: 0 };
  let worst4 = { shape: '', msPerMb: 0 };
  for (const [shape, make] of Object.entries(HOSTILE_SHAPES)) {
    const t1 = await timeShape(encoder.encode(make(MiB)));
    const t4 = await timeShape(encoder.encode(make(4 * MiB)));
    console.log(`  ${shape}: ${round(t1, 1)} ms at 1 MiB, ${round(t4, 1)} ms at 4 MiB`);
    if (t1 > worst1.msPerMb) worst1 = { shape, msPerMb: t1 };
    if (t4 / 4 > worst4.msPerMb) worst4 = { shape, msPerMb: t4 / 4 };
  }
  console.log(`  worst: ${worst1.shape} at 1 MiB, ${worst4.shape} at 4 MiB`);
  // Growth compares the worst shape's time at 4 MiB with the worst at 1 MiB (a per-shape ratio of two
  // millisecond-small times is mostly noise on a shared machine).
  return {
    classify_hostile_ms_per_mb: round(Math.max(worst1.msPerMb, worst4.msPerMb), 1),
    classify_hostile_ms_per_mb_1mb: round(worst1.msPerMb, 1),
    classify_hostile_ms_per_mb_4mb: round(worst4.msPerMb, 1),
    classify_hostile_growth: round((worst4.msPerMb * 4) / worst1.msPerMb, 2),
  };
}

// The one yardstick (tools/bench/common.ts), re-exported for mail.ts, which imports it from here.
export { calibMs } from './common';
