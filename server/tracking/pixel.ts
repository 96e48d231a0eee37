import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '../http';
import { addressFrom, type Refusal } from '../rate-limit';

/** The 1×1 transparent GIF the open pixel answers (43 bytes). */
export const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
/** No cache or proxy keeps a tracking answer, and the page it came from is not passed on. */
export const NO_STORE = { 'cache-control': 'no-store, private', 'referrer-policy': 'no-referrer' };
export const PIXEL_HEADERS = { 'content-type': 'image/gif', ...NO_STORE };

/** The token of a tracking path (`/t/o/<token>[.gif]`, any kind): the part after the kind, without `.gif`. */
export function tokenOfPath(path: string): string {
  const token = path.slice(path.indexOf('/', 3) + 1);
  return token.endsWith('.gif') ? token.slice(0, -4) : token;
}

/**
 * The token of a request the dedicated pixel handler answers: a GET of `/t/o/<token>[.gif]` whose token is a
 * single segment with no percent escape (a query string is ignored, as the app's router does). Anything else
 * (HEAD, escapes, more segments) is left to the app, which answers it as it always has.
 */
export function pixelTokenOf(method: string | undefined, url: string | undefined): string | undefined {
  if (method !== 'GET' || !url?.startsWith('/t/o/')) return undefined;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (path.length === 5 || path.includes('%') || path.indexOf('/', 5) !== -1) return undefined;
  return tokenOfPath(path);
}

export interface PixelHandlerOptions {
  /** The same limits as the app's `/t/*` ones (shared counts): a refusal, or undefined to answer. */
  limit: (input: { address: string; path: string }) => Refusal | undefined;
  /** Records the open a token we made stands for (the tracking routes' own); nothing for any other. */
  open: (token: string, userAgent: string | undefined) => void;
  trustProxyHops: number;
  /** When debug logging is on, each request is logged as the app's middleware logs it. */
  debug?: (entry: { method: string; path: string; status: number; ms: number }) => void;
}

/**
 * The open pixel answered straight from node:http in front of the app: the hottest path there is, and the
 * app's middleware (body limit, URL check, logging, routing) has nothing to do for it. Same token check,
 * limits (the same counters), headers and GIF as the app's `/t/o/:token` route. True when it answered.
 */
export function createPixelHandler(options: PixelHandlerOptions) {
  const { limit, open, trustProxyHops, debug } = options;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const token = pixelTokenOf(req.method, req.url);
    if (token === undefined) return false;
    const started = debug ? performance.now() : 0;
    const path = req.url!.split('?', 1)[0]!;
    const forwarded = trustProxyHops > 0 ? req.headers['x-forwarded-for'] : undefined;
    const refused = limit({
      address: addressFrom(
        typeof forwarded === 'string' ? forwarded : forwarded?.join(','),
        req.socket.remoteAddress,
        trustProxyHops,
      ),
      path,
    });
    let status = 200;
    if (refused) {
      status = 429;
      const body = JSON.stringify(
        errorBody('rate_limited', `too many requests ${refused.what}; try again in ${refused.wait} s`),
      );
      res.writeHead(429, {
        'retry-after': String(refused.wait),
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    } else {
      open(token, req.headers['user-agent']);
      res.writeHead(200, { ...PIXEL_HEADERS, 'content-length': PIXEL.length });
      res.end(PIXEL);
    }
    debug?.({ method: 'GET', path, status, ms: Math.round(performance.now() - started) });
    return true;
  };
}
export type PixelHandler = ReturnType<typeof createPixelHandler>;
