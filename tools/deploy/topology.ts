// What the deployment manifests are generated from: who each service calls, what it keeps
// secret and how it scales. Ports come from DEFAULT_PORTS, the services from the checkout.
import { DEFAULT_PORTS, type ServiceName } from '@oo/config';
import { discoverServices } from '../services';

export interface ServiceTopology {
  name: ServiceName;
  port: number;
  /** Has a schema of its own: a migration job runs before it rolls out. */
  stateful: boolean;
  /** The services it calls over HTTP (NetworkPolicy egress, and their ingress from it). */
  calls: ServiceName[];
  /** Reaches the internet: an identity provider, task providers, push services or a mail relay. */
  internet: boolean;
  /** Secret keys it reads as environment from its Secret `oo-<name>` (never from a ConfigMap or the image). */
  secrets: string[];
  /** Secret keys it reads as files, mounted from the same Secret under /run/secrets/oo: env variable → key. */
  secretFiles: Record<string, string>;
  /** Scaled by a HorizontalPodAutoscaler on CPU (the request path); others run a fixed count. */
  autoscaled: boolean;
  resources: { cpu: string; memory: string; cpuLimit: string; memoryLimit: string };
}

const SMALL = { cpu: '100m', memory: '192Mi', cpuLimit: '500m', memoryLimit: '384Mi' };
const HOT = { cpu: '250m', memory: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' };

// Every service but auth fetches auth's keys (JWKS) and its own token from auth.
type Declared = Omit<ServiceTopology, 'name' | 'port' | 'stateful' | 'secretFiles'> & { secretFiles?: Record<string, string> };

// A service not declared here yet (just made by `npm run new:service`) calls only auth, keeps its
// database URL and client secret, and runs a fixed two replicas, until it says otherwise.
const UNDECLARED: Declared = { calls: ['auth'], internet: false, secrets: ['DATABASE_URL', 'SERVICE_CLIENT_SECRET'], autoscaled: false, resources: SMALL };

const DECLARED: Partial<Record<ServiceName, Declared>> = {
  gateway: { calls: ['auth', 'profile', 'recommender', 'integrations', 'notifier', 'ml-serving'], internet: false, secrets: ['SERVICE_CLIENT_SECRET'], autoscaled: true, resources: HOT },
  auth: {
    calls: [],
    internet: true,
    secrets: ['DATABASE_URL', 'OIDC_CLIENT_SECRET', 'AUTH_KEY_ENCRYPTION_KEY'],
    secretFiles: { SERVICE_CLIENTS_FILE: 'service-clients.json' },
    autoscaled: false,
    resources: SMALL,
  },
  profile: { calls: ['auth'], internet: false, secrets: ['DATABASE_URL', 'SERVICE_CLIENT_SECRET'], autoscaled: false, resources: HOT },
  integrations: { calls: ['auth'], internet: true, secrets: ['DATABASE_URL', 'SERVICE_CLIENT_SECRET', 'VAULT_MASTER_KEYS', 'TODOIST_CLIENT_SECRET', 'GOOGLE_CLIENT_SECRET'], autoscaled: false, resources: SMALL },
  recommender: { calls: ['auth', 'profile', 'ml-serving'], internet: false, secrets: ['DATABASE_URL', 'SERVICE_CLIENT_SECRET'], autoscaled: true, resources: HOT },
  notifier: { calls: ['auth'], internet: true, secrets: ['DATABASE_URL', 'SERVICE_CLIENT_SECRET', 'NOTIFIER_LINK_SECRET', 'VAPID_PRIVATE_KEY', 'SMTP_URL'], autoscaled: false, resources: SMALL },
  'ml-serving': { calls: ['auth'], internet: false, secrets: ['DATABASE_URL', 'SERVICE_CLIENT_SECRET'], autoscaled: false, resources: HOT },
};

/** Every service of the checkout with its declared topology, in port order. */
export function topology(): ServiceTopology[] {
  return discoverServices().map((s) => ({ name: s.name, port: DEFAULT_PORTS[s.name], stateful: s.migrate !== null, secretFiles: {}, ...(DECLARED[s.name] ?? UNDECLARED) }));
}

/** Who calls `name` over HTTP. */
export function callersOf(all: readonly ServiceTopology[], name: ServiceName): ServiceName[] {
  return all.filter((s) => s.calls.includes(name)).map((s) => s.name);
}
