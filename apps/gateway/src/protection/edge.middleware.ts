import type { RequestHandler } from 'express';
import helmet from 'helmet';

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-CSRF-Token, X-Request-Id, Traceparent';
const EXPOSED_HEADERS = 'RateLimit, RateLimit-Policy, Retry-After, X-Request-Id, Location';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';

/**
 * Security headers (helmet: CSP `default-src 'self'` — the API reference at /docs loads its
 * assets from here — HSTS, no sniffing, no framing, no referrer leaks).
 *
 * @example
 * app.use(securityHeaders());
 */
export function securityHeaders(): RequestHandler {
  return helmet({ crossOriginResourcePolicy: { policy: 'same-site' } });
}

/**
 * CORS for the web apps of `allowedOrigins`, with credentials (the session cookie). Other origins
 * get no CORS headers, so their browsers keep the answer from them; a preflight is answered here.
 *
 * @example
 * app.use(cors(new Set(['https://app.oo.example'])));
 */
export function cors(allowedOrigins: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    res.vary('Origin');
    if (!origin || !allowedOrigins.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
