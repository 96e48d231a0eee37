import * as z from 'zod/mini';
import type { Runtime } from './endpoints';
import { RECEIVED, Reply, type InboxMessage } from './inbox-received';
import type { RequestOf, ResponseOf } from './messages';

/** One line per problem, each naming the field path (as describeZodError in lib/domain/common.ts). */
const describe = (error: z.core.$ZodError) =>
  error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('\n');

/**
 * `send` for the inbox UI: asks the background and validates its answer on receipt, with the zod/mini
 * schemas of inbox-received.ts so that the content scripts do not carry zod's classic API.
 */
export async function ask<N extends InboxMessage>(
  runtime: Runtime,
  name: N,
  request: RequestOf<N>,
): Promise<ResponseOf<N>> {
  return receive(name, await runtime.sendMessage({ threadline: 1, name, request }));
}

/** Checks the background's reply to `name` (sent earlier, or by someone else) as `ask` does. */
export function receive<N extends InboxMessage>(name: N, raw: unknown): ResponseOf<N> {
  const reply = z.safeParse(Reply, raw);
  if (!reply.success) throw new Error(`${name}: the background answered something unexpected`);
  if (!reply.data.ok) throw new Error(reply.data.error);
  const data = z.safeParse(RECEIVED[name], reply.data.data);
  if (!data.success) throw new Error(`${name}: bad answer: ${describe(data.error)}`);
  return data.data as ResponseOf<N>;
}
