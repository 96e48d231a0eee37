import { serve, type ServerType } from '@hono/node-server';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  url: string;
  /** Stops accepting connections and resolves once every in-flight request has been answered. */
  stop(): Promise<void>;
}

/**
 * Serves a fetch handler over HTTP; `stop` is the graceful half of shutdown. An app's `pixel` answers the
 * requests it takes straight from node:http, before the fetch adapter (server/tracking/pixel.ts).
 */
export function serveApp(
  app: {
    fetch: (request: Request) => Response | Promise<Response>;
    pixel?: (req: IncomingMessage, res: ServerResponse) => boolean;
  },
  options: { port: number; hostname?: string },
): Promise<RunningServer> {
  const { pixel } = app;
  return new Promise((resolve) => {
    const server: ServerType = serve(
      {
        fetch: app.fetch,
        port: options.port,
        hostname: options.hostname,
        ...(pixel
          ? {
              createServer: ((serverOptions, listener) =>
                createServer(serverOptions, (req, res) => {
                  if (!pixel(req, res)) listener?.(req, res);
                })) as typeof createServer,
            }
          : {}),
      },
      (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${info.port}`,
          stop: () =>
            new Promise<void>((done, fail) => {
              // close() stops new connections, drops idle keep-alive ones and calls back when the busy ones finish.
              // A connection that finishes its request later goes idle then: drop those too, until all are gone.
              const sweep = setInterval(
                () => 'closeIdleConnections' in server && server.closeIdleConnections(),
                50,
              );
              server.close((error) => {
                clearInterval(sweep);
                if (error) fail(error);
                else done();
              });
              if ('closeIdleConnections' in server) server.closeIdleConnections();
            }),
        });
      },
    );
  });
}
