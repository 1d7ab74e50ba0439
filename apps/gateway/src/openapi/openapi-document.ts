import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { AnyRoute } from '../http/route-table';
import { problemSchema } from '../schemas/common.schemas';

/** The document as served at /openapi.json and committed as docs/openapi.json. */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const PROBLEM_CONTENT = { 'application/problem+json': { schema: problemSchema } };

const RATE_LIMIT_HEADERS = {
  RateLimit: { description: 'Remaining quota (draft-ietf-httpapi-ratelimit-headers-08)', schema: { type: 'string' as const } },
  'RateLimit-Policy': { description: 'The quota policies in force', schema: { type: 'string' as const } },
};

function responsesOf(route: AnyRoute) {
  const out: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const headers = Object.fromEntries(Object.entries(spec.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' as const } }]));
    out[status] = {
      description: spec.description,
      headers: { ...RATE_LIMIT_HEADERS, ...headers },
      ...(spec.schema ? { content: { [spec.contentType ?? 'application/json']: { schema: spec.schema } } } : {}),
    };
  }
  out['default'] = { description: 'A problem (RFC 9457): 400 validation, 401, 403 (CSRF, role), 404, 429 (Retry-After), 502/503/504 upstream', content: PROBLEM_CONTENT };
  return out;
}

/**
 * Builds the OpenAPI 3.1 document from the route table: the very schemas the handlers validate
 * with. No server URL is written, so the committed file does not depend on a deployment.
 *
 * @example
 * const doc = buildOpenApiDocument(routeTable);
 */
export function buildOpenApiDocument(routes: readonly AnyRoute[], version = '1.0.0'): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A native app's access token" });
  const cookie = registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-oo_session',
    description: 'The web session cookie (oo_session where the gateway is served over plain http to another host); unsafe methods also need X-CSRF-Token',
  });
  for (const route of routes) {
    const body = route.body;
    registry.registerPath({
      method: route.method,
      path: route.path,
      summary: route.summary,
      tags: [route.tag],
      ...(route.access === 'public' ? {} : { security: [{ [bearer.name]: [] }, { [cookie.name]: [] }] }),
      request: {
        // zod-to-openapi wants object schemas here; every route's params and query are.
        ...(route.params ? { params: route.params as never } : {}),
        ...(route.query ? { query: route.query as never } : {}),
        ...(body
          ? { body: { required: body.required !== false, content: Object.fromEntries(body.contentTypes.map((type) => [type, { schema: body.schema }])) } }
          : {}),
      },
      responses: responsesOf(route) as never,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'oO API',
      version,
      description: 'The one HTTP API of oO for web and mobile clients. Web: the session cookie (sign in at /v1/auth/sign-in) plus X-CSRF-Token on unsafe methods. Native apps: OAuth 2.0 with PKCE and a loopback redirect (RFC 8252) at /v1/auth/authorize and /v1/auth/token, then a bearer token.',
    },
  });
}
