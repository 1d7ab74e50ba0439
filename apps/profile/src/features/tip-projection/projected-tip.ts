import type { TipChange } from '../registry/feature-definition';

/** What projecting one tip event did: whose features it concerns and, if it was new, the change. */
export interface ProjectedTip {
  userId: string;
  change: TipChange | null;
}
