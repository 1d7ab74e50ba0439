import { defineServiceErrors } from '@oo/service';

/**
 * integrations's error codes, each with the HTTP status it becomes at the edge (500: never the
 * client's fault). A 4xx error's message is shown to the client as the problem's `detail`.
 *
 * @example
 * throw new IntegrationsError('INTEGRATIONS_ITEM_NOT_FOUND', `no item ${itemId}`);
 */
export const IntegrationsError = defineServiceErrors('IntegrationsError', {
  INTEGRATIONS_ITEM_NOT_FOUND: 404,
});

export type IntegrationsErrorCode = keyof typeof IntegrationsError.statusByCode;
