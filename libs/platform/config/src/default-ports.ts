/** The services of oO that listen on a port. */
export type ServiceName =
  | 'gateway'
  | 'auth'
  | 'profile'
  | 'integrations'
  | 'recommender'
  | 'notifier'
  | 'ml-serving';

/**
 * The one place that says which port each service listens on by default: each service's `PORT`
 * default and the gateway's upstream defaults read it; deploy files must agree with it.
 *
 * @example
 * const upstream = `http://127.0.0.1:${DEFAULT_PORTS.profile}`;
 */
export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = Object.freeze({
  gateway: 8080,
  auth: 8081,
  profile: 8082,
  integrations: 8083,
  recommender: 8084,
  notifier: 8085,
  'ml-serving': 8086,
});
