import type { IntegrationsConfig } from '../../config';
import { assertFetchable } from '../connections/feed-url';
import { createOAuthClient, type OAuthClient } from '../oauth/oauth-client';
import type { Connector, Provider } from './connector';
import { createGoogleTasksConnector } from './google-tasks/google-tasks.connector';
import { googleTasksOAuth } from './google-tasks/google-tasks.oauth';
import { createIcsConnector } from './ics/ics.connector';
import { createTodoistConnector } from './todoist/todoist.connector';
import { todoistOAuth } from './todoist/todoist.oauth';

/**
 * Every connector this deployment runs, and an OAuth client for each OAuth provider whose client
 * id and secret are configured (the others are listed as unavailable).
 *
 * @example
 * const { connectors, oauth } = connectorsFrom(ctx.config);
 */
export function connectorsFrom(config: IntegrationsConfig): { connectors: Map<Provider, Connector>; oauth: Map<Provider, OAuthClient> } {
  const timeoutMs = config.PROVIDER_TIMEOUT_MS;
  const connectors = new Map<Provider, Connector>([
    ['todoist', createTodoistConnector({ apiUrl: config.TODOIST_API_URL, timeoutMs })],
    ['google_tasks', createGoogleTasksConnector({ apiUrl: config.GOOGLE_TASKS_API_URL, timeoutMs, pageSize: config.GOOGLE_TASKS_PAGE_SIZE })],
    // Every redirect hop of a feed is checked too, not only the URL the user gave.
    ['ics', createIcsConnector({ timeoutMs, maxBytes: config.ICS_MAX_BYTES, horizonDays: config.ICS_HORIZON_DAYS, checkUrl: (url) => assertFetchable(url, config.ICS_ALLOW_PRIVATE_NETWORKS) })],
  ]);
  const redirectUri = (provider: Provider) => `${config.PUBLIC_URL.replace(/\/$/, '')}/v1/connections/${provider}/callback`;
  const common = { allowHttp: config.PROVIDERS_ALLOW_HTTP, timeoutMs };
  const oauth = new Map<Provider, OAuthClient>();
  if (config.TODOIST_CLIENT_ID && config.TODOIST_CLIENT_SECRET) {
    const descriptor = todoistOAuth({ authorizeUrl: config.TODOIST_AUTHORIZE_URL, tokenUrl: config.TODOIST_TOKEN_URL, apiUrl: config.TODOIST_API_URL });
    oauth.set('todoist', createOAuthClient({ descriptor, clientId: config.TODOIST_CLIENT_ID, clientSecret: config.TODOIST_CLIENT_SECRET, redirectUri: redirectUri('todoist'), ...common }));
  }
  if (config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET) {
    const descriptor = googleTasksOAuth({ authorizeUrl: config.GOOGLE_AUTHORIZE_URL, tokenUrl: config.GOOGLE_TOKEN_URL, revokeUrl: config.GOOGLE_REVOKE_URL });
    oauth.set('google_tasks', createOAuthClient({ descriptor, clientId: config.GOOGLE_CLIENT_ID, clientSecret: config.GOOGLE_CLIENT_SECRET, redirectUri: redirectUri('google_tasks'), ...common }));
  }
  return { connectors, oauth };
}
