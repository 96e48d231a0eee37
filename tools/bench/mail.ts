/**
 * `npm run -s bench -- mail`: what one reply-watch cycle costs (API calls, Gmail quota units) with the real
 * providers over real HTTP against the mail sandbox, against polling every thread; and how long classifying one
 * inbound message takes.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createGmailProvider } from '../../lib/mail/gmail/provider';
import { createGraphProvider } from '../../lib/mail/graph/provider';
import type { MailProvider, OutgoingMessage, SentMessage } from '../../lib/mail/provider';
import { classify } from '../../lib/replies/classify';
import { parseInbound } from '../../lib/replies/parse';
import type { InboundMessage } from '../../lib/replies/types';
import { startSandbox, type RequestLogEntry, type Sandbox } from '../sandbox/server';
import { report, round } from './common';
import { calibMs, hostileFigures } from './mail-hostile';

type Kind = 'gmail' | 'graph';

/** Gmail's quota units per method, from Google's Gmail API usage limits page. */
const GMAIL_UNITS = [
  { name: 'messages.send', method: 'POST', path: /\/users\/[^/]+\/messages\/send$/, units: 100 },
  { name: 'messages.get', method: 'GET', path: /\/users\/[^/]+\/messages\/[^/]+$/, units: 5 },
  { name: 'messages.list', method: 'GET', path: /\/users\/[^/]+\/messages$/, units: 5 },
  { name: 'history.list', method: 'GET', path: /\/users\/[^/]+\/history$/, units: 2 },
  { name: 'threads.get', method: 'GET', path: /\/users\/[^/]+\/threads\/[^/]+$/, units: 10 },
];

/** A request with no figure in the table stops the bench: counting it as free would flatter the result. */
function gmailUnits(calls: RequestLogEntry[]): number {
  let units = 0;
  for (const call of calls) {
    const method = GMAIL_UNITS.find((m) => m.method === call.method && m.path.test(call.path));
    if (!method) throw new Error(`bench: no Gmail quota figure for ${call.method} ${call.path}`);
    units += method.units;
  }
  return units;
}

/** Runs `work` over `items` with at most `limit` at once (the Graph provider allows 4 per mailbox anyway). */
async function pool<T, R>(items: T[], limit: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Calls made to the sandbox while `work` runs (the bench runs one thing at a time). */
async function callsDuring<R>(
  sb: Sandbox,
  work: () => Promise<R>,
): Promise<{ result: R; calls: RequestLogEntry[] }> {
  const before = sb.requestLog().length;
  const result = await work();
  return { result, calls: sb.requestLog().slice(before) };
}

interface WatchedMailbox {
  address: string;
  provider: MailProvider;
  threads: { message: OutgoingMessage; sent: SentMessage; contact: string }[];
}

/** A fresh mailbox of the rep that has sent a first email to each of `count` distinct contacts. */
async function mailboxWithThreads(sb: Sandbox, kind: Kind, count: number): Promise<WatchedMailbox> {
  const address = `rep-${kind}-${count}@bench.example`;
  sb.addMailbox(address, kind);
  const options = {
    mailbox: address,
    getAccessToken: async () => sb.tokenFor(address),
    fetch: globalThis.fetch,
    clock: () => Date.now(),
  };
  const provider =
    kind === 'gmail'
      ? createGmailProvider({ ...options, baseUrl: sb.gmailBase })
      : createGraphProvider({ ...options, baseUrl: sb.graphBase });
  const contacts = Array.from({ length: count }, (_, i) => `contact-${i}@prospect${i % 50}.example`);
  const threads = await pool(contacts, 4, async (contact, i) => {
    const message: OutgoingMessage = {
      messageId: `<enr-${kind}-${count}-${i}.step-1@threadline.bench>`,
      from: { address, name: 'Rep' },
      to: [{ address: contact }],
      subject: `Quick question ${i}`,
      html: `<p>Hi, a quick question (${i}).</p>`,
      text: `Hi, a quick question (${i}).`,
    };
    return { message, sent: await provider.send(message), contact };
  });
  return { address, provider, threads };
}

/**
 * The API calls of one watch cycle when nothing new arrived. Then a reply lands in the last thread and the next
 * cycle must report it: a cycle that is cheap because it watches nothing would not pass.
 */
async function quietWatchCycle(sb: Sandbox, box: WatchedMailbox): Promise<RequestLogEntry[]> {
  const { cursor } = await box.provider.changesSince(undefined);
  const { result: quiet, calls } = await callsDuring(sb, () => box.provider.changesSince(cursor));
  if (quiet.messages.length > 0 || quiet.resynced) {
    throw new Error(`bench: ${box.address}: a quiet cycle reported ${quiet.messages.length} messages`);
  }
  const last = box.threads.at(-1)!;
  await sb.inject(box.address, {
    from: last.contact,
    subject: `Re: ${last.message.subject}`,
    text: 'Sounds good, call me on Tuesday.',
    inReplyTo: last.message.messageId,
    references: [last.message.messageId],
  });
  const next = await box.provider.changesSince(quiet.cursor);
  if (!next.messages.some((m) => m.threadId === last.sent.threadId)) {
    throw new Error(`bench: ${box.address}: the next cycle missed a reply in a watched thread`);
  }
  return calls;
}

/** The baseline: `GET users/me/threads/{id}` for every watched thread, for real. */
async function pollEveryThread(sb: Sandbox, box: WatchedMailbox): Promise<RequestLogEntry[]> {
  const token = sb.tokenFor(box.address);
  const { calls } = await callsDuring(sb, () =>
    pool(box.threads, 4, async ({ sent }) => {
      const res = await fetch(`${sb.gmailBase}/users/me/threads/${sent.threadId}?format=minimal`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok) throw new Error(`bench: threads.get ${sent.threadId} answered ${res.status}`);
      await res.arrayBuffer();
    }),
  );
  return calls;
}

async function watchFigures(): Promise<Record<string, number>> {
  const sb = await startSandbox();
  try {
    const gmail10 = await quietWatchCycle(sb, await mailboxWithThreads(sb, 'gmail', 10));
    const gmail1000Box = await mailboxWithThreads(sb, 'gmail', 1000);
    const gmail1000 = await quietWatchCycle(sb, gmail1000Box);
    const naive = await pollEveryThread(sb, gmail1000Box);
    const graph10 = await quietWatchCycle(sb, await mailboxWithThreads(sb, 'graph', 10));
    const graph1000 = await quietWatchCycle(sb, await mailboxWithThreads(sb, 'graph', 1000));
    return {
      watch_calls_10: gmail10.length,
      watch_calls_1000: gmail1000.length,
      watch_units_1000: gmailUnits(gmail1000),
      naive_calls_1000: naive.length,
      naive_units_1000: gmailUnits(naive),
      graph_watch_calls_10: graph10.length,
      graph_watch_calls_1000: graph1000.length,
    };
  } finally {
    await sb.stop();
  }
}

async function emlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Mean microseconds per message over every fixture, after a warm-up pass. */
export async function classifyFigures(): Promise<Record<string, number>> {
  const files = await emlFiles(path.resolve('tests/fixtures/mail'));
  if (files.length === 0) throw new Error('bench: no .eml fixtures under tests/fixtures/mail');
  const raws = await Promise.all(files.map(async (f) => new Uint8Array(await readFile(f))));
  const parsed: InboundMessage[] = [];
  for (const raw of raws) {
    const msg = await parseInbound(raw);
    classify(msg, {});
    parsed.push(msg);
  }
  const kinds = new Set<string>();

  const parsePasses = 40;
  let start = performance.now();
  for (let pass = 0; pass < parsePasses; pass++) {
    for (const raw of raws) kinds.add(classify(await parseInbound(raw), {}).kind);
  }
  const perMessage = ((performance.now() - start) * 1000) / (parsePasses * raws.length);

  const classifyPasses = 200;
  start = performance.now();
  for (let pass = 0; pass < classifyPasses; pass++) {
    for (const msg of parsed) kinds.add(classify(msg, {}).kind);
  }
  const classifyOnly = ((performance.now() - start) * 1000) / (classifyPasses * parsed.length);
  if (kinds.size < 2) throw new Error(`bench: every fixture classified as ${[...kinds].join()}`);

  return {
    classify_messages: files.length,
    classify_per_msg_us: round(perMessage, 1),
    classify_only_per_msg_us: round(classifyOnly, 1),
  };
}

const sameAs = (name: string, value: number | undefined, target: number | undefined) =>
  `= ${name} (${target}): ${value === target ? 'met' : 'NOT met'}`;

export async function benchMail(): Promise<void> {
  const calib_ms = calibMs();
  const classifyTimes = await classifyFigures();
  const hostile = await hostileFigures();
  // The watch figures run against the sandbox; when they fail, the classification figures are still written
  // (with watch_failed: 1) and the run still fails.
  let watch: Record<string, number>;
  let watchError: unknown;
  try {
    watch = await watchFigures();
  } catch (e) {
    watchError = e;
    watch = { watch_failed: 1 };
  }
  report(
    'mail',
    { ...watch, calib_ms, ...classifyTimes, ...hostile },
    {
      classify_hostile_ms_per_mb: '< 100 (worst shape, per MiB, at 1 and 4 MiB)',
      classify_hostile_growth: '<= 5 (4 MiB time / 1 MiB time, worst shape)',
      calib_ms: 'yardstick: fixed 1 MB build + JSON + sort, median of 5',
      watch_calls_1000: sameAs('watch_calls_10', watch.watch_calls_1000, watch.watch_calls_10),
      graph_watch_calls_1000: sameAs(
        'graph_watch_calls_10',
        watch.graph_watch_calls_1000,
        watch.graph_watch_calls_10,
      ),
    },
  );
  if (watchError) throw watchError;
}
