import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { GatewayError } from '../errors';
import { findCaller } from '../http/caller.middleware';

export interface RateLimitOptions {
  windowMs: number;
  perIp: number;
  perUser: number;
  /** Proxies in front of the gateway whose `X-Forwarded-For` entries are trusted (0: use the socket's address). */
  trustProxyHops: number;
}

/** The client's address: the socket's, or the entry `hops` proxies back in `X-Forwarded-For`. */
export function clientIp(req: Request, hops: number): string {
  const socketIp = req.socket.remoteAddress ?? 'unknown';
  if (hops === 0) return socketIp;
  const chain = [...String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean), socketIp];
  // The last `hops` entries were added by our proxies; the one before them is who called the first.
  return chain[Math.max(0, chain.length - 1 - hops)] ?? socketIp;
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

// IPv4 (also IPv4-mapped IPv6, as the socket reports it) is its own key; only real IPv6
// addresses need the library's /56 grouping, which parses the address and is the costly part.
function ipKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  return MAPPED_V4.exec(ip)?.[1] ?? ipKeyGenerator(ip);
}

const limited: RequestHandler = (_req, res, next) => {
  // express-rate-limit has already set Retry-After and the RateLimit headers.
  next(new GatewayError('GATEWAY_RATE_LIMITED', `too many requests; retry after ${String(res.getHeader('Retry-After') ?? 'a while')} s`));
};

/**
 * Two fixed-window limits with draft-8 `RateLimit` / `RateLimit-Policy` headers and a 429
 * problem with `Retry-After`: per client IP (every request under /v1) and per signed-in user
 * (after authentication). The counters are in this process's memory: the gateway keeps no state
 * of its own, so with N instances a client may get up to N times the limit.
 *
 * @example
 * const limits = rateLimits({ windowMs: 60_000, perIp: 600, perUser: 300 });
 * app.use('/v1', limits.perIp); router.use(authenticate(deps), limits.perUser);
 */
export function rateLimits(options: RateLimitOptions): { perIp: RequestHandler; perUser: RequestHandler } {
  // The gateway reads X-Forwarded-For itself (TRUST_PROXY_HOPS), not through Express's trust proxy.
  // The library's configuration checks run per request; this configuration is fixed and tested, so they are off (they cost more than the counting).
  const common = { windowMs: options.windowMs, standardHeaders: 'draft-8' as const, legacyHeaders: false, handler: limited, validate: false };
  const perIp = rateLimit({
    ...common,
    limit: options.perIp,
    identifier: 'ip',
    keyGenerator: (req) => ipKey(clientIp(req, options.trustProxyHops)),
  });
  const perUser = rateLimit({
    ...common,
    limit: options.perUser,
    identifier: 'user',
    keyGenerator: (_req, res) => findCaller(res)?.userId ?? 'anonymous',
  });
  return { perIp, perUser };
}
