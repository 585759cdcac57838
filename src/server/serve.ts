// Listening and graceful shutdown. `startServer` is what `bom serve` and the tests call.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { BomError } from '../core/index.ts';
import { type App, createApp } from './app.ts';
import type { AppDeps } from './deps.ts';
import { STREAM_HOOKS, type StreamHooks } from './sse.ts';

export interface Listening {
  server: Server;
  /** http://host:port */
  url: string;
  port: number;
  close(graceMs?: number): Promise<void>;
}

export function listen(
  // biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its env type
  app: Hono<any, any, any>,
  port: number,
  host: string,
  /** Added to every request's env (`c.env`): the server's hooks for code that runs after the response began. */
  env?: Record<string, unknown>,
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const fetch = env
      ? (req: Request, nodeEnv: Record<string, unknown>) => app.fetch(req, Object.assign(nodeEnv, env))
      : app.fetch;
    const server = serve({ fetch, port, hostname: host }) as Server;
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)));
    server.once('listening', () => {
      const addr = server.address() as AddressInfo;
      const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      resolve({
        server,
        port: addr.port,
        url: `http://${shownHost}:${addr.port}`,
        close: (graceMs = 0) => closeGracefully(server, graceMs),
      });
    });
  });
}

/** Why a server could not listen, said in one line with the way out (not `[unexpected]: listen EADDRINUSE`). */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  const why =
    err.code === 'EADDRINUSE'
      ? {
          code: 'address_in_use',
          text: `${where} is already in use; stop what listens there or choose another port with --port`,
        }
      : err.code === 'EACCES'
        ? {
            code: 'address_denied',
            text: `not allowed to listen on ${where}; choose a port above 1023 with --port`,
          }
        : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND'
          ? {
              code: 'address_unavailable',
              text: `cannot listen on ${where}: no such local address; check --host`,
            }
          : null;
  if (!why) return err;
  return new BomError(why.text, { code: why.code, type: 'server_error', status: 500, cause: err });
}

/** Stop accepting, let in-flight requests finish within `graceMs`, then cut what is left. */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    // Keep-alive sockets go idle as their last response ends: close them as they do, not at the deadline.
    const idle = setInterval(() => server.closeIdleConnections(), 25);
    server.close(() => {
      clearTimeout(timer);
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export interface RunningServer extends Listening {
  app: App;
}

export async function startServer(deps: AppDeps): Promise<RunningServer> {
  const app = createApp(deps);
  const hooks: StreamHooks = {
    // A streaming client that disconnects: counted with the other client aborts, logged as 499 (the
    // request line already said 200, sent when the stream began).
    onClientClosed: ({ requestId, phase }) => {
      deps.metrics.clientAborts.inc();
      deps.logger.info({ requestId, status: 499, code: 'client_closed', phase }, 'client closed the stream');
    },
  };
  const l = await listen(app.app, deps.config.port, deps.config.host, { [STREAM_HOOKS]: hooks });
  return {
    ...l,
    app,
    close: async (graceMs = deps.config.shutdownGraceMs) => {
      app.state.draining = true;
      await closeGracefully(l.server, graceMs);
    },
  };
}
