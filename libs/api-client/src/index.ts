// Public API of @oo/api-client: the typed gateway client and the generated types.
export { createApiClient, type ApiClient, type ApiClientOptions } from './api-client';
export type { components, operations, paths } from './schema';
