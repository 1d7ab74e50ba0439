/**
 * The one list of oO's services and the port each listens on by default: `ServiceName`, each
 * service's `PORT` default, the gateway's upstream defaults and the launcher read it; deploy
 * files must agree with it. `npm run new:service` adds a line here.
 *
 * @example
 * const upstream = `http://127.0.0.1:${DEFAULT_PORTS.profile}`;
 */
export const DEFAULT_PORTS = Object.freeze({
  gateway: 8080,
  auth: 8081,
  profile: 8082,
  integrations: 8083,
  recommender: 8084,
  notifier: 8085,
  'ml-serving': 8086,
} as const);

/** The services of oO that listen on a port. */
export type ServiceName = keyof typeof DEFAULT_PORTS;
