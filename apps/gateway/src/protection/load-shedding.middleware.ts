import type { RequestHandler } from 'express';
import { GatewayError } from '../errors';

export interface LoadSheddingOptions {
  /** Requests under /v1 this instance serves at once; one more is refused at once. */
  maxInFlight: number;
  /** Counts each refusal (`oo_gateway_shed_total`). */
  onShed?: () => void;
}

/**
 * Past saturation, a request that waits only makes every other one slower: the queue grows until
 * all of them end in upstream timeouts (504 after `UPSTREAM_TIMEOUT_MS`). Capping what is in
 * flight keeps the answered ones fast and refuses the rest with a 503 and `Retry-After: 1`, which
 * a client (or the load balancer, towards another instance) can act on at once. In flight counts
 * from the request's arrival to its response finishing or its connection closing.
 *
 * @example
 * app.use(shedLoad({ maxInFlight: 256 }), limits.perIp, routes);
 */
export function shedLoad(options: LoadSheddingOptions): RequestHandler {
  let inFlight = 0;
  return (_req, res, next) => {
    if (inFlight >= options.maxInFlight) {
      options.onShed?.();
      res.setHeader('Retry-After', '1');
      next(new GatewayError('GATEWAY_OVERLOADED', `more than ${options.maxInFlight} requests in flight here; retry in a second`));
      return;
    }
    inFlight += 1;
    let done = false;
    const release = (): void => {
      if (done) return;
      done = true;
      inFlight -= 1;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}
