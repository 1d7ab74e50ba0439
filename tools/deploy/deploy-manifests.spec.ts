import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../services';
import { generatedFiles } from './generated-files';
import { callersOf, topology } from './topology';

// The deployment as operators get it: generated files up to date, every kustomize overlay
// rendered by the real kustomize (kubectl's) and held to the rules of issue 13, compose likewise.

// Rendered objects are read by path; the checks below say what each must hold.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Obj = { kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: Loose; data?: Record<string, string> };
const services = topology();
const render = (overlay: string): Obj[] =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', join(ROOT, 'deploy/k8s/overlays', overlay)], { encoding: 'utf8' })).map((d) => d.toJSON() as Obj);
const SECRET_LIKE = /SECRET|PASSWORD|PRIVATE|TOKEN$|KEYS?$|DATABASE_URL|SMTP_URL/;

describe('generated deployment files', () => {
  it.each([...generatedFiles()].map(([path, text]) => [path, text] as const))('%s is what `npm run deploy:generate` writes', (path, text) => {
    expect(readFileSync(join(ROOT, path), 'utf8')).toBe(text);
  });
});

describe.each(['dev', 'prod'])('the %s overlay, rendered', (overlay) => {
  const objects = render(overlay);
  const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = ofKind('Deployment');
  const pods = [...deployments, ...ofKind('Job'), ...ofKind('StatefulSet')].map((o) => ({ name: `${o.kind}/${o.metadata.name}`, spec: o.spec.template.spec }));

  it('runs every service as a Deployment with readiness and liveness probes, requests and limits', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(services.map((s) => s.name).sort());
    for (const d of deployments) {
      const [c] = d.spec.template.spec.containers;
      expect({ name: d.metadata.name, ready: c.readinessProbe?.httpGet?.path, live: c.livenessProbe?.httpGet?.path }).toEqual({ name: d.metadata.name, ready: '/readyz', live: '/healthz' });
      for (const part of ['requests', 'limits']) expect(Object.keys(c.resources?.[part] ?? {}).sort()).toEqual(['cpu', 'memory']);
    }
  });

  it('runs every pod under the restricted security profile', () => {
    for (const { name, spec } of pods) {
      expect({ name, nonRoot: spec.securityContext?.runAsNonRoot, seccomp: spec.securityContext?.seccompProfile?.type }).toEqual({ name, nonRoot: true, seccomp: 'RuntimeDefault' });
      for (const c of spec.containers) {
        const sc = c.securityContext ?? {};
        expect({ name, escalation: sc.allowPrivilegeEscalation, readOnly: sc.readOnlyRootFilesystem, drop: sc.capabilities?.drop }).toEqual({ name, escalation: false, readOnly: true, drop: ['ALL'] });
      }
    }
  });

  it('has a disruption budget for every Deployment and the NATS StatefulSet', () => {
    const budgets = ofKind('PodDisruptionBudget').map((p) => p.spec.selector.matchLabels['app.kubernetes.io/name']);
    expect(budgets.sort()).toEqual([...services.map((s) => s.name), 'nats'].sort());
  });

  it('lets only the gateway be reached from outside, and each service only by its callers', () => {
    const policies = new Map(ofKind('NetworkPolicy').map((p) => [p.metadata.name, p.spec]));
    expect(policies.get('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    for (const s of services) {
      const rules = policies.get(s.name)?.ingress as { from?: { podSelector?: { matchLabels: Record<string, string> } }[] }[];
      const open = rules.filter((r) => r.from === undefined);
      expect({ service: s.name, openToAll: open.length > 0 }).toEqual({ service: s.name, openToAll: s.name === 'gateway' });
      if (s.name === 'gateway') continue;
      const from = rules.flatMap((r) => r.from ?? []).flatMap((f) => (f.podSelector ? [f.podSelector.matchLabels['app.kubernetes.io/name']] : []));
      expect({ service: s.name, from: from.sort() }).toEqual({ service: s.name, from: callersOf(services, s.name).sort() });
    }
    for (const p of pods) if (p.name.startsWith('Job/')) expect(policies.has(p.name.slice(4))).toBe(true);
  });

  it('migrates every schema and provisions the streams as Jobs', () => {
    expect(ofKind('Job').map((j) => j.metadata.name).sort()).toEqual([...services.filter((s) => s.stateful).map((s) => `${s.name}-migrate`), 'nats-provision'].sort());
  });

  it('keeps configuration in ConfigMaps and secrets out of them (each service reads its own Secret)', () => {
    for (const cm of ofKind('ConfigMap')) for (const key of Object.keys(cm.data ?? {})) expect({ configMap: cm.metadata.name, key, secretLike: SECRET_LIKE.test(key) }).toEqual({ configMap: cm.metadata.name, key, secretLike: false });
    expect(ofKind('Secret')).toEqual([]);
    for (const d of deployments) {
      const refs = d.spec.template.spec.containers[0].envFrom.flatMap((e: { secretRef?: { name: string } }) => (e.secretRef ? [e.secretRef.name] : []));
      expect(refs).toEqual([`oo-${d.metadata.name}`]);
    }
  });

  it(overlay === 'prod' ? 'runs NATS as a 3-node JetStream cluster with 3-replica streams, and autoscales the decision path' : 'runs one NATS node and one replica of each service', () => {
    const [nats] = ofKind('StatefulSet');
    const config = ofKind('ConfigMap').find((c) => c.metadata.name.startsWith('oo-config'))?.data ?? {};
    expect(nats?.spec.volumeClaimTemplates?.[0]?.spec.resources.requests.storage).toBeDefined();
    if (overlay === 'prod') {
      expect(nats?.spec.replicas).toBe(3);
      expect(ofKind('ConfigMap').find((c) => c.metadata.name.startsWith('nats-config'))?.data?.['nats.conf']).toContain('nats://nats-2.nats-headless:6222');
      expect(config['STREAM_REPLICAS']).toBe('3');
      expect(ofKind('HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(['gateway', 'recommender']);
      for (const d of deployments) expect(d.spec.template.spec.containers[0].image).toMatch(/^registry\.example\.com\/oo\/[a-z-]+:\d+\.\d+\.\d+$/);
    } else {
      expect(nats?.spec.replicas).toBe(1);
      for (const d of deployments) expect(d.spec.replicas).toBe(1);
    }
  });
});

describe('deploy/compose/compose.yaml', () => {
  const compose = parse(readFileSync(join(ROOT, 'deploy/compose/compose.yaml'), 'utf8')) as { services: Record<string, Loose> };

  it('runs Postgres, NATS with JetStream, provisioning and a migration per schema before the services', () => {
    expect(compose.services['nats'].command).toContain('-js');
    expect(compose.services['postgres'].healthcheck).toBeDefined();
    expect(compose.services['provision'].depends_on).toEqual({ nats: { condition: 'service_healthy' } });
    for (const s of services.filter((t) => t.stateful)) {
      expect(compose.services[`${s.name}-migrate`].command).toEqual(['db/migrate.js']);
      expect(compose.services[s.name].depends_on[`${s.name}-migrate`]).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('gives every service a health check, limits and a hardened container, and publishes only the gateway on 8080', () => {
    for (const s of services) {
      const c = compose.services[s.name];
      expect({ s: s.name, health: c.healthcheck?.test?.[0], limits: Object.keys(c.deploy?.resources?.limits ?? {}).sort(), readOnly: c.read_only, drop: c.cap_drop }).toEqual({ s: s.name, health: 'CMD', limits: ['cpus', 'memory'], readOnly: true, drop: ['ALL'] });
      expect({ s: s.name, ports: c.ports ?? [] }).toEqual({ s: s.name, ports: s.name === 'gateway' ? [`8080:${s.port}`] : [] });
    }
  });
});

describe('deploy/docker/service.Dockerfile', () => {
  const lines = readFileSync(join(ROOT, 'deploy/docker/service.Dockerfile'), 'utf8').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  const instructions = lines.filter((l) => /^[A-Z]+\s/.test(l)).map((l) => l.split(/\s+/)[0]);
  const finalStage = lines.slice(lines.findLastIndex((l) => l.startsWith('FROM ')));

  it('builds in one stage and runs as non-root from a minimal image with a health check', () => {
    expect(instructions.filter((i) => i === 'FROM')).toHaveLength(2);
    expect(finalStage[0]).toMatch(/^FROM gcr\.io\/distroless\/nodejs20-debian12:nonroot$/);
    expect(finalStage).toContain('USER nonroot');
    expect(finalStage.some((l) => l.startsWith('HEALTHCHECK '))).toBe(true);
    expect(finalStage.at(-1)).toBe('CMD ["main.js"]');
  });

  it('bakes no secret into the image', () => {
    for (const line of lines.filter((l) => /^(ENV|ARG)\s/.test(l))) expect(line).not.toMatch(SECRET_LIKE);
  });
});
