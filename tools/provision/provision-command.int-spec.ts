import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { runProvisionCommand } from './provision-command';

const DEFINITIONS = join(__dirname, '../../deploy/nats');
// Every stream the definitions declare is provisioned, however many there are.
const STREAMS = (JSON.parse(readFileSync(join(DEFINITIONS, 'streams.json'), 'utf8')) as { streams: unknown[] }).streams.length;

describe('npm run provision', () => {
  const prefix = uniqueStreamPrefix('provision-cli');
  afterAll(async () => {
    const nc = await connect({ servers: testNatsUrl() });
    const jsm = await jetstreamManager(nc);
    for await (const s of jsm.streams.list()) if (s.config.name.startsWith(`${prefix}_`)) await jsm.streams.delete(s.config.name);
    await nc.close();
  });

  it('provisions deploy/nats on NATS_URL under STREAM_PREFIX and says what it did', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const env = { NATS_URL: testNatsUrl(), STREAM_PREFIX: prefix, NATS_DEFINITIONS_DIR: DEFINITIONS, STREAM_MAX_BYTES: '16MiB' };

    const code = await runProvisionCommand({ env, out: (l) => out.push(l), err: (l) => err.push(l) });

    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out).toContain(`stream ${prefix}_SIGNALS: created`);
    const nc = await connect({ servers: testNatsUrl() });
    const signals = await (await jetstreamManager(nc)).streams.info(`${prefix}_SIGNALS`);
    await nc.close();
    expect(signals.config.max_bytes).toBe(16 * 1024 * 1024);
    expect(out.at(-1)).toMatch(new RegExp(`^provisioned ${STREAMS} streams and \\d+ consumers on .* under prefix ${prefix}$`));
  });

  it('fails with the reason when the definitions are broken', async () => {
    const err: string[] = [];
    const env = { NATS_URL: testNatsUrl(), STREAM_PREFIX: prefix, NATS_DEFINITIONS_DIR: join(DEFINITIONS, 'missing') };

    const code = await runProvisionCommand({ env, out: () => undefined, err: (l) => err.push(l) });

    expect(code).toBe(1);
    expect(err[0]).toMatch(/^provision failed: cannot read .*missing\/streams\.json/);
  });

  it('refuses a replica count a stream cannot have', async () => {
    for (const replicas of ['0', '7', 'three']) {
      const err: string[] = [];
      const code = await runProvisionCommand({ env: { NATS_URL: testNatsUrl(), STREAM_PREFIX: prefix, NATS_DEFINITIONS_DIR: DEFINITIONS, STREAM_REPLICAS: replicas }, out: () => undefined, err: (l) => err.push(l) });
      expect({ code, err: err[0] }).toEqual({ code: 1, err: `provision failed: STREAM_REPLICAS must be a whole number from 1 to 5, not ${replicas}` });
    }
  });
});
