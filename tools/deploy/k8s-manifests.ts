// The per-service Kubernetes objects of deploy/k8s/base, built from the topology: every service
// gets the same shape (Deployment, Service, PodDisruptionBudget, NetworkPolicy, and a migration
// Job when it has a schema), so a new service is one entry in topology.ts.
import { DEFAULT_PORTS } from '@oo/config';
import type { ServiceTopology } from './topology';
import { callersOf } from './topology';

type Doc = Record<string, unknown>;

const PART_OF = 'oo';
const SECRET_DIR = '/run/secrets/oo';
const labels = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF });
const selector = (name: string) => ({ 'app.kubernetes.io/name': name });

/** The restricted Pod Security Standard, for every container we run. */
export const CONTAINER_SECURITY = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
export const POD_SECURITY = { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } };

function container(s: ServiceTopology, command?: string[]): Doc {
  const files = Object.entries(s.secretFiles);
  return {
    name: s.name,
    image: `oo/${s.name}`,
    ...(command ? { command } : {}),
    envFrom: [{ configMapRef: { name: 'oo-config' } }, { secretRef: { name: `oo-${s.name}` } }],
    env: [{ name: 'PORT', value: String(s.port) }, ...files.map(([env, key]) => ({ name: env, value: `${SECRET_DIR}/${key}` }))],
    securityContext: CONTAINER_SECURITY,
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...(files.length > 0 ? [{ name: 'secret-files', mountPath: SECRET_DIR, readOnly: true }] : [])],
  };
}

function volumes(s: ServiceTopology): Doc[] {
  const files = Object.values(s.secretFiles);
  return [{ name: 'tmp', emptyDir: {} }, ...(files.length > 0 ? [{ name: 'secret-files', secret: { secretName: `oo-${s.name}`, items: files.map((key) => ({ key, path: key })) } }] : [])];
}

function deployment(s: ServiceTopology): Doc {
  const probe = (path: string, periodSeconds: number) => ({ httpGet: { path, port: 'http' }, periodSeconds, timeoutSeconds: 2, failureThreshold: 3 });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: s.name, labels: labels(s.name) },
    spec: {
      replicas: 2,
      selector: { matchLabels: selector(s.name) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labels(s.name), annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(s.port), 'prometheus.io/path': '/metrics' } },
        spec: {
          securityContext: POD_SECURITY,
          automountServiceAccountToken: false,
          // SHUTDOWN_GRACE_MS (10 s) plus room: the kit drains requests, consumers and the outbox first.
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              ...container(s),
              ports: [{ name: 'http', containerPort: s.port }],
              readinessProbe: probe('/readyz', 5),
              livenessProbe: probe('/healthz', 10),
              startupProbe: { ...probe('/healthz', 2), failureThreshold: 30 },
              resources: { requests: { cpu: s.resources.cpu, memory: s.resources.memory }, limits: { cpu: s.resources.cpuLimit, memory: s.resources.memoryLimit } },
            },
          ],
          volumes: volumes(s),
        },
      },
    },
  };
}

function service(s: ServiceTopology): Doc {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, labels: labels(s.name) }, spec: { selector: selector(s.name), ports: [{ name: 'http', port: s.port, targetPort: 'http' }] } };
}

function disruptionBudget(s: ServiceTopology): Doc {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: s.name, labels: labels(s.name) }, spec: { maxUnavailable: 1, selector: { matchLabels: selector(s.name) } } };
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

function networkPolicy(s: ServiceTopology, all: readonly ServiceTopology[]): Doc {
  const port = [{ protocol: 'TCP', port: s.port }];
  const fromPods = (names: readonly string[]) => names.map((name) => ({ podSelector: { matchLabels: selector(name) } }));
  const monitoring = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
  // Only the gateway takes traffic from outside the cluster; every other service only from its callers.
  const ingress = s.name === 'gateway' ? [{ ports: port }] : [{ from: [...fromPods(callersOf(all, s.name)), monitoring], ports: port }];
  const byName = new Map(all.map((t) => [t.name, t]));
  const egress: Doc[] = [
    { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
    { to: fromPods(['nats']), ports: [{ protocol: 'TCP', port: 4222 }] },
    ...s.calls.map((callee) => ({ to: fromPods([callee]), ports: [{ protocol: 'TCP', port: byName.get(callee)?.port ?? 0 }] })),
  ];
  // Postgres is a managed server or an operator's cluster, outside these manifests.
  if (s.stateful) egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 5432 }] });
  if (s.internet) egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }], ports: [443, 465, 587].map((p) => ({ protocol: 'TCP', port: p })) });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: s.name, labels: labels(s.name) },
    spec: { podSelector: { matchLabels: selector(s.name) }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
  };
}

function migrationJob(s: ServiceTopology): Doc {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `${s.name}-migrate`, labels: { ...labels(`${s.name}-migrate`), 'oo/job': 'migrate' } },
    spec: {
      backoffLimit: 3,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: { ...labels(`${s.name}-migrate`), 'oo/job': 'migrate' } },
        spec: { restartPolicy: 'OnFailure', securityContext: POD_SECURITY, automountServiceAccountToken: false, containers: [{ ...container(s, ['/nodejs/bin/node', 'db/migrate.js']), resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } }], volumes: volumes(s) },
      },
    },
  };
}

/** A migration job may reach Postgres only. */
function migrationPolicy(s: ServiceTopology): Doc {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${s.name}-migrate`, labels: labels(`${s.name}-migrate`) },
    spec: {
      podSelector: { matchLabels: selector(`${s.name}-migrate`) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      ],
    },
  };
}

/** Every object of one service, in apply order. */
export function serviceManifests(s: ServiceTopology, all: readonly ServiceTopology[]): Doc[] {
  return [...(s.stateful ? [migrationJob(s), migrationPolicy(s)] : []), deployment(s), service(s), disruptionBudget(s), networkPolicy(s, all)];
}

/** The shared configuration every service reads (no secrets: those are each service's Secret). */
export function configData(all: readonly ServiceTopology[]): Record<string, string> {
  const auth = `http://auth:${DEFAULT_PORTS.auth}`;
  return {
    NATS_URL: 'nats://nats:4222',
    AUTH_JWKS_URL: `${auth}/.well-known/jwks.json`,
    AUTH_TOKEN_URL: `${auth}/oauth/token`,
    LOG_LEVEL: 'info',
    ...Object.fromEntries(all.map((s) => [`${s.name.toUpperCase().replaceAll('-', '_')}_URL`, `http://${s.name}:${s.port}`])),
  };
}
