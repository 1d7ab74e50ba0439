import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startPrivateNatsServer, type PrivateNatsServer } from '../src';

describe('startPrivateNatsServer', () => {
  let server: PrivateNatsServer;
  beforeAll(async () => {
    server = await startPrivateNatsServer();
  });
  afterAll(() => server.stop());

  it('keeps its JetStream streams across a kill and restart on the same port', async () => {
    const before = await connect({ servers: server.url });
    await (await jetstreamManager(before)).streams.add({ name: 'KEEP', subjects: ['keep.>'] });
    await before.close();

    await server.kill();
    await expect(connect({ servers: server.url, reconnect: false, timeout: 500 })).rejects.toThrow();
    await server.start();

    const after = await connect({ servers: server.url });
    const info = await (await jetstreamManager(after)).streams.info('KEEP');
    expect(info.config.subjects).toEqual(['keep.>']);
    await after.close();
  });
});
