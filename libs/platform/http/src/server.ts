import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';

interface ServerState {
  closing: boolean;
  active: Set<ServerResponse>;
}

const states = new WeakMap<Server, ServerState>();

/**
 * Starts an HTTP server for `app` and resolves once it is listening (rejects on e.g.
 * EADDRINUSE). Port 0 lets the OS choose; read the result with `serverPort(server)`.
 * Keep-alive outlives typical load-balancer idle timeouts (60 s) so they close first.
 *
 * @example
 * const server = await listen(app, config.PORT);
 * log.info({ port: serverPort(server) }, 'listening');
 */
export function listen(app: RequestListener, port: number, host?: string): Promise<Server> {
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const state: ServerState = { closing: false, active: new Set() };
  states.set(server, state);
  server.on('request', (_req, res: ServerResponse) => {
    if (state.closing) res.setHeader('Connection', 'close');
    state.active.add(res);
    res.once('close', () => state.active.delete(res));
  });
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

/**
 * The port a listening server is bound to (the real one when it was started on port 0).
 *
 * @example
 * const url = `http://127.0.0.1:${serverPort(server)}`;
 */
export function serverPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a TCP port');
  return address.port;
}

export interface CloseServerOptions {
  /** After this long, cut connections still busy. Default: wait for them. */
  forceAfterMs?: number;
}

/**
 * Stops accepting connections, closes idle keep-alive connections at once, lets in-flight
 * requests finish (their responses carry `Connection: close`), and resolves when the last
 * connection is gone.
 *
 * @example
 * onShutdown(log, [markNotReady, () => closeServer(server), ...]);
 */
export function closeServer(server: Server, options: CloseServerOptions = {}): Promise<void> {
  const state = states.get(server);
  if (state) {
    state.closing = true;
    for (const res of state.active) if (!res.headersSent) res.setHeader('Connection', 'close');
  }
  return new Promise((resolve) => {
    let force: NodeJS.Timeout | undefined;
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
    if (options.forceAfterMs !== undefined) {
      force = setTimeout(() => server.closeAllConnections(), options.forceAfterMs);
      force.unref();
    }
  });
}
