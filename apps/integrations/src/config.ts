import { z } from 'zod';
import { baseServiceSchema, int } from '@oo/config';

/** integrations's configuration: the keys every service reads, plus its own. */
export const integrationsConfigSchema = baseServiceSchema('integrations').extend({
  /** How long a client may keep an item it read (`Cache-Control: private, max-age=…`); 0 means ask again every time. */
  ITEM_MAX_AGE_SECONDS: int({ min: 0, max: 3600, default: 0 }),
});

export type IntegrationsConfig = z.output<typeof integrationsConfigSchema>;
