import { defineServiceErrors } from '@oo/service';

/**
 * gateway's error codes, each with the HTTP status it becomes at the edge (500: never the
 * client's fault). A 4xx error's message is shown to the client as the problem's `detail`.
 *
 * @example
 * throw new GatewayError('GATEWAY_ITEM_NOT_FOUND', `no item ${itemId}`);
 */
export const GatewayError = defineServiceErrors('GatewayError', {
  GATEWAY_ITEM_NOT_FOUND: 404,
});

export type GatewayErrorCode = keyof typeof GatewayError.statusByCode;
