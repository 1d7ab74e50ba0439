// deploy/compose/compose.yaml: one host. Postgres, a NATS server with JetStream, a one-shot
// provisioning job, a one-shot migration job per service with a schema, and every service with
// its health check and limits; only the gateway is published (8080).
import { configData } from './k8s-manifests';
import type { ServiceTopology } from './topology';

// The images are distroless: node itself asks /healthz (the same check as the image's HEALTHCHECK).
const HEALTHCHECK = (port: number) => ({
  test: ['CMD', '/nodejs/bin/node', '-e', `fetch('http://127.0.0.1:${port}/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
  interval: '10s',
  timeout: '3s',
  retries: 5,
  start_period: '20s',
});

const HARDENED = { read_only: true, tmpfs: ['/tmp'], security_opt: ['no-new-privileges:true'], cap_drop: ['ALL'], user: '65532:65532' };

export function composeFile(all: readonly ServiceTopology[]): Record<string, unknown> {
  const config = configData(all);
  const image = (name: string) => `oo/${name}:\${OO_VERSION:-latest}`;
  const services: Record<string, unknown> = {
    postgres: {
      image: 'postgres:16-alpine',
      environment: { POSTGRES_DB: 'oo', POSTGRES_USER: 'oo', POSTGRES_PASSWORD_FILE: '/run/secrets/postgres_password' },
      secrets: ['postgres_password'],
      volumes: ['postgres:/var/lib/postgresql/data'],
      healthcheck: { test: ['CMD-SHELL', 'pg_isready -U oo -d oo'], interval: '5s', timeout: '3s', retries: 10 },
      deploy: { resources: { limits: { cpus: '1', memory: '1g' } } },
    },
    nats: {
      image: 'nats:2.10-alpine',
      command: ['-js', '-sd', '/data', '-m', '8222'],
      volumes: ['nats:/data'],
      healthcheck: { test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8222/healthz?js-enabled-only=true'], interval: '5s', timeout: '3s', retries: 10 },
      deploy: { resources: { limits: { cpus: '0.5', memory: '512m' } } },
    },
    provision: {
      image: image('gateway'),
      command: ['provision.js'],
      environment: { NATS_URL: config.NATS_URL },
      depends_on: { nats: { condition: 'service_healthy' } },
      restart: 'on-failure',
      ...HARDENED,
    },
  };
  for (const s of all) {
    const env_file = ['config.env', `secrets/${s.name}.env`];
    if (s.stateful) {
      services[`${s.name}-migrate`] = {
        image: image(s.name),
        command: ['db/migrate.js'],
        env_file,
        depends_on: { postgres: { condition: 'service_healthy' } },
        restart: 'on-failure',
        ...HARDENED,
      };
    }
    services[s.name] = {
      image: image(s.name),
      env_file,
      environment: { PORT: String(s.port), ...Object.fromEntries(Object.entries(s.secretFiles).map(([env, key]) => [env, `/run/secrets/${key}`])) },
      ...(Object.keys(s.secretFiles).length > 0 ? { secrets: Object.values(s.secretFiles).map((key) => ({ source: key.replaceAll('.', '_'), target: key })) } : {}),
      depends_on: {
        nats: { condition: 'service_healthy' },
        provision: { condition: 'service_completed_successfully' },
        ...(s.stateful ? { [`${s.name}-migrate`]: { condition: 'service_completed_successfully' } } : {}),
        ...Object.fromEntries(s.calls.map((callee) => [callee, { condition: 'service_healthy' }])),
      },
      ...(s.name === 'gateway' ? { ports: [`8080:${s.port}`] } : {}),
      healthcheck: HEALTHCHECK(s.port),
      restart: 'unless-stopped',
      stop_grace_period: '30s',
      deploy: { resources: { limits: { cpus: s.resources.cpuLimit, memory: s.resources.memoryLimit.replace('Mi', 'm') } } },
      ...HARDENED,
    };
  }
  const fileSecrets = Object.fromEntries(all.flatMap((s) => Object.values(s.secretFiles)).map((key) => [key.replaceAll('.', '_'), { file: `secrets/${key}` }]));
  return { name: 'oo', services, volumes: { postgres: {}, nats: {} }, secrets: { postgres_password: { file: 'secrets/postgres_password' }, ...fileSecrets } };
}
