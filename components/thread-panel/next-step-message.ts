import type { ComposeRequest } from '../../lib/hosts/types';
import type { DealCardView } from '../../lib/protocol/deals-received';
import { replyHtml, replySubject } from '../../lib/templates/reply';

/**
 * The new message a meeting or recap step opens, from the deal card (deal-section.tsx) and from a fix-it in
 * the queue (components/task-queue/fix-it-items.tsx) alike: to the deal's first contact, on the deal's thread
 * ("Re: <its subject>": the open thread's on the card, the one the deal was made from in the queue; the deal's
 * name when there is none), the step's text filled in. Neither host can open a reply inside the thread from
 * here, so it is a new message; undefined when the deal has no contact to write to.
 */
export function nextStepMessage(
  view: DealCardView,
  text: string,
  threadSubject: string | undefined,
): ComposeRequest | undefined {
  const to = view.contacts[0]?.email;
  if (!to) return undefined;
  const subject = threadSubject?.trim() ? replySubject(threadSubject) : view.deal.name;
  return { to: [to], subject, body: replyHtml(text) };
}

/** Opens that message in the host's compose; the message when it opened, undefined where none could. */
export async function openNextStepMessage(
  openCompose: ((req: ComposeRequest) => Promise<boolean>) | undefined,
  view: DealCardView,
  text: string,
  threadSubject: string | undefined,
): Promise<ComposeRequest | undefined> {
  const message = nextStepMessage(view, text, threadSubject);
  if (!openCompose || !message) return undefined;
  return (await openCompose(message).catch(() => false)) ? message : undefined;
}
