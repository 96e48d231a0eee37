import { describeZodError } from '../domain/common';
import {
  Envelope,
  MESSAGES,
  PAGES_ONLY,
  Reply,
  type MessageName,
  type RequestOf,
  type ResponseOf,
} from './messages';

/**
 * The part of runtime messaging the protocol needs: lib/platform/runtime.ts's RuntimeMessaging provides it
 * (browserRuntime() in the pages, content scripts and worker; createFakeRuntime in tests), so no cast is needed.
 */
export interface Runtime {
  id: string;
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: {
    addListener(cb: (message: unknown, sender: Sender) => Promise<unknown> | undefined): void;
  };
}
export interface Sender {
  id?: string;
  url?: string;
}

export type Handlers = {
  [N in MessageName]?: (request: ResponseOfRequest<N>, sender: Sender) => Promise<ResponseOf<N>>;
};
type ResponseOfRequest<N extends MessageName> = import('zod').infer<(typeof MESSAGES)[N]['request']>;

/** Sends a message to the background and returns its validated answer; throws with the background's error. */
export async function send<N extends MessageName>(
  runtime: Runtime,
  name: N,
  request: RequestOf<N>,
): Promise<ResponseOf<N>> {
  const raw = await runtime.sendMessage({ threadline: 1, name, request });
  const reply = Reply.safeParse(raw);
  if (!reply.success) throw new Error(`${name}: the background answered something unexpected`);
  if (!reply.data.ok) throw new Error(reply.data.error);
  const data = MESSAGES[name].response.safeParse(reply.data.data);
  if (!data.success) throw new Error(`${name}: bad answer: ${describeZodError(data.error)}`);
  return data.data as ResponseOf<N>;
}

/**
 * Answers protocol messages in the background. A message is refused unless it comes from this extension
 * itself (its pages, or its content scripts on a mail page: `isMailPage`, from lib/hosts/mail-hosts.ts's one
 * list) and its request matches the schema.
 */
export function listen(
  runtime: Runtime,
  handlers: Handlers,
  isMailPage: (url: string) => boolean = () => false,
): void {
  const ownOrigin = (url: string) => {
    try {
      const u = new URL(url);
      return (u.protocol === 'chrome-extension:' || u.protocol === 'moz-extension:') && u.host === runtime.id
        ? true
        : isMailPage(url);
    } catch {
      return false;
    }
  };
  const isExtensionPage = (url: string) => {
    try {
      const u = new URL(url);
      return (u.protocol === 'chrome-extension:' || u.protocol === 'moz-extension:') && u.host === runtime.id;
    } catch {
      return false;
    }
  };
  runtime.onMessage.addListener((message, sender) => {
    const envelope = Envelope.safeParse(message);
    if (!envelope.success) return undefined; // not ours: let other listeners answer
    return (async (): Promise<Reply> => {
      if (sender.id !== runtime.id || !sender.url || !ownOrigin(sender.url))
        return { ok: false, error: 'refused: unknown sender' };
      const name = envelope.data.name as MessageName;
      const spec = MESSAGES[name];
      const handler = handlers[name] as ((req: unknown, s: Sender) => Promise<unknown>) | undefined;
      if (!spec || !handler) return { ok: false, error: `unknown message ${envelope.data.name}` };
      if (PAGES_ONLY.has(name) && !isExtensionPage(sender.url))
        return { ok: false, error: `refused: ${name} is for the extension's own pages` };
      const request = spec.request.safeParse(envelope.data.request);
      if (!request.success)
        return { ok: false, error: `${name}: ${describeZodError(request.error, 'request')}` };
      try {
        const data = await handler(request.data, sender);
        return { ok: true, data: spec.response.parse(data) };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    })();
  });
}
