import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { RequestListener } from 'node:http';
import { captureLog } from '../test/capture-log';
import { createBaseApp, finishApp } from './base-app';
import { Readiness } from './readiness';
import { closeServer, listen, serverPort } from './server';

function get(port: number, agent: Agent, path = '/'): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ res, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const hello: RequestListener = (_req, res) => {
  res.end('hello');
};

describe('listen / closeServer', () => {
  it('listens on an OS-chosen port when given 0 and reports it', async () => {
    const server = await listen(hello, 0, '127.0.0.1');
    const port = serverPort(server);
    expect(port).toBeGreaterThan(0);
    const agent = new Agent({ keepAlive: false });
    expect((await get(port, agent)).body).toBe('hello');
    await closeServer(server);
    expect(server.listening).toBe(false);
  });

  it('rejects when the port is taken', async () => {
    const first = await listen(hello, 0, '127.0.0.1');
    await expect(listen(hello, serverPort(first), '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await closeServer(first);
  });

  it('closes idle keep-alive connections instead of waiting for them to time out', async () => {
    const server = await listen(hello, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    const { res } = await get(serverPort(server), agent);
    expect(res.headers.connection).toBe('keep-alive');
    // Without closing idle connections this would wait for the 65 s keep-alive timeout.
    await closeServer(server);
    expect(server.listening).toBe(false);
    agent.destroy();
  });

  it('lets an in-flight request finish, telling the client to close the connection', async () => {
    let release = (): void => undefined;
    let markEntered = (): void => undefined;
    const entered = new Promise<void>((resolve) => (markEntered = resolve));
    const server = await listen(
      (_req, res) => {
        release = () => res.end('done');
        markEntered();
      },
      0,
      '127.0.0.1',
    );
    const agent = new Agent({ keepAlive: true });
    const response = get(serverPort(server), agent);
    await entered;
    const closed = closeServer(server);
    release();
    const { res, body } = await response;
    expect(body).toBe('done');
    expect(res.headers.connection).toBe('close');
    await closed;
    expect(server.listening).toBe(false);
    agent.destroy();
  });
});

describe('listen with a base app', () => {
  it('serves an Express app built by createBaseApp', async () => {
    const { log } = captureLog();
    const app = finishApp(createBaseApp({ service: 'test', log, readiness: new Readiness(), metrics: false }));
    const server = await listen(app, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    const { res, body } = await get(serverPort(server), agent, '/healthz');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(body)).toEqual({ status: 'ok' });
    await closeServer(server);
    agent.destroy();
  });
});
