import { defineRoute, type AnyRoute } from './route-table';

// Until the web app is served here, a person who signs in lands on this page: it says where they
// are and where to go, instead of a 404.
const HOME_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>oO</title></head>
<body>
<main>
<h1>oO</h1>
<p>The one next thing worth doing. This address is oO's API for the web and mobile apps.</p>
<ul>
<li><a href="/v1/auth/sign-in">Sign in</a></li>
<li><a href="/v1/me">Who am I signed in as</a> (JSON)</li>
<li><a href="/docs">API reference</a> and the <a href="/openapi.json">OpenAPI document</a></li>
</ul>
</main>
</body>
</html>
`;

/** `GET /`: where a browser lands after signing in. */
export function homeRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/', tag: 'meta', access: 'public',
      summary: 'A page with the ways in: sign in, who am I, the API reference',
      responses: { 200: { description: 'The page', contentType: 'text/html' } },
      async handle(_input, res) {
        res.type('html').send(HOME_PAGE);
      },
    }),
  ];
}
