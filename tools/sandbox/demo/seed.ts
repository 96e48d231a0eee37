/**
 * The demo mailbox's first threads: a few realistic conversations with people at three companies and one
 * colleague, one of them with two outside people. The rep's own messages go out through the sandbox's Graph API
 * (sendMail, createReply + send) and the others arrive through its injection path, so every thread is built
 * exactly as later mail is. `at(ms)` moves the sandbox's clock so the threads carry dates of the past days.
 */
import { randomBytes } from 'node:crypto';
import { composeMail } from '../mime';
import type { Sandbox } from '../server';
import { COLLEAGUE, DEMO_MAILBOX, named, PEOPLE, REP } from './people';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Person = { name: string; address: string };
const recipient = (p: Person) => ({ emailAddress: { name: p.name, address: p.address } });

async function graph(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sandbox.graphBase}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${sandbox.tokenFor(DEMO_MAILBOX)}`,
      'content-type': 'application/json',
      prefer: 'IdType="ImmutableId"',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(`seeding the demo mailbox: ${method} ${path} answered ${res.status} ${await res.text()}`);
  return res.status === 202 || res.status === 204 ? undefined : res.json();
}

/** A new message from the rep; returns nothing (Graph's sendMail does not either). */
async function repWrites(sandbox: Sandbox, to: Person[], subject: string, text: string, cc: Person[] = []) {
  await graph(sandbox, 'POST', '/me/sendMail', {
    message: {
      subject,
      body: { contentType: 'text', content: text },
      toRecipients: to.map(recipient),
      ccRecipients: cc.map(recipient),
    },
  });
}

/** The rep answers a message in its conversation (Graph's createReply, then send). */
async function repAnswers(sandbox: Sandbox, messageId: string, text: string, cc: Person[] = []) {
  const draft = (await graph(sandbox, 'POST', `/me/messages/${encodeURIComponent(messageId)}/createReply`, {
    message: { body: { contentType: 'text', content: text }, ccRecipients: cc.map(recipient) },
  })) as { id: string };
  await graph(sandbox, 'POST', `/me/messages/${encodeURIComponent(draft.id)}/send`);
}

/** The newest message the rep sent, to answer it. */
function lastSent(sandbox: Sandbox) {
  const sent = sandbox.sent(DEMO_MAILBOX);
  const last = sent[sent.length - 1];
  if (!last) throw new Error('seeding the demo mailbox: the rep’s message was not sent');
  return last;
}

export async function seedDemoMailbox(
  sandbox: Sandbox,
  at: (ms: number) => void,
  now = Date.now(),
): Promise<void> {
  const { ada, ben, grace, tomas } = PEOPLE;
  const day = (n: number, hour: number, minute = 0) => {
    const d = new Date(now - n * DAY);
    d.setHours(hour, minute, 0, 0);
    return Math.min(d.getTime(), now - 10 * 60_000);
  };

  // Acme: the rep writes to Ada, who brings in Ben (a thread with two outside people).
  at(day(4, 10, 12));
  await repWrites(
    sandbox,
    [ada],
    'Analytics pilot for Acme',
    `Hi Ada,\n\nGreat to meet you at the Data Summit. You mentioned your analysts spend Mondays rebuilding the same reports: we could run a two-week pilot with your team on last quarter's data, at no cost.\n\nWould that be useful?\n\nBest,\n${REP.name}`,
  );
  const toAda = lastSent(sandbox);
  const adaAnswers = day(3, 9, 5);
  at(adaAnswers);
  // Written out as MIME: the injection's JSON form has no Cc.
  await sandbox.inject(
    DEMO_MAILBOX,
    composeMail({
      from: ada.address,
      fromName: ada.name,
      to: [named(REP)],
      cc: [named(ben)],
      subject: 'RE: Analytics pilot for Acme',
      text: `Thanks ${REP.name.split(' ')[0]},\n\nLooping in Ben Okafor, who runs our data team. Ben, Sam's team offered a two-week pilot on last quarter's numbers. We are hiring six analysts next quarter, so the timing could be good.\n\nAda`,
      messageId: `<${randomBytes(12).toString('hex')}@acme.example>`,
      date: new Date(adaAnswers),
      inReplyTo: toAda.messageId,
      references: [toAda.messageId],
    }),
  );

  // Northwind: Grace asks for pricing; the rep answers.
  at(day(2, 14, 30));
  const pricing = await sandbox.inject(DEMO_MAILBOX, {
    from: named(grace),
    subject: 'Pricing for 40 seats',
    text: `Hi Sam,\n\nWe are comparing options for our sales team, about 40 seats. Could you send your pricing, and tell me whether you offer annual billing?\n\nThanks,\nGrace Hopper\nHead of Sales Operations, ${grace.company}`,
  });
  at(day(2, 16, 2));
  await repAnswers(
    sandbox,
    pricing.providerMessageId,
    `Hi Grace,\n\nThanks for asking. For 40 seats we bill €29 per seat a month, or €24 billed annually. Priya Shah, who runs onboarding, can walk your team through the first week.\n\nBest,\n${REP.name}`,
  );

  // A colleague writes inside the organisation: shown by name only, never someone to enroll.
  at(day(1, 11, 20));
  await sandbox.inject(DEMO_MAILBOX, {
    from: named(COLLEAGUE),
    subject: 'Notes from the Northwind call',
    text: `Sam,\n\nNotes from today's call with Northwind: they need single sign-on and would like a 30-day trial. Grace decides, with their CFO. Can you follow up with her this week?\n\nPriya`,
  });

  // Fabrikam: the rep wrote after a webinar and has heard nothing back: someone to follow up.
  at(Math.max(now - 5 * HOUR, day(0, 8, 40)));
  await repWrites(
    sandbox,
    [tomas],
    'Following up from the webinar',
    `Hi Tomás,\n\nThanks for joining our webinar on Tuesday. Here is the recording, and a short note on how two logistics teams like yours cut their weekly reporting from a day to an hour.\n\nWould a 20-minute call next week help?\n\nBest,\n${REP.name}`,
  );
  at(now);
}
