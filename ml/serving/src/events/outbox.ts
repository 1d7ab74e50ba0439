import { subjects } from '@oo/contracts';
import { createEventCodec } from '@oo/events';

/** ml-serving's events, encoded as CloudEvents from `/services/ml-serving`. */
export const mlServingEvents = createEventCodec(subjects, { source: 'ml-serving' });
