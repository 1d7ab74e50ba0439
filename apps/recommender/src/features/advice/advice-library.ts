import { z } from 'zod';
import { ADVICE_KINDS, adviceFeatures, type AdviceKind } from '@oo/decision-features';
import { RecommenderError } from '../../errors';
import adviceLibraryV1 from './advice-library.v1.json';

export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const hour = z.number().int().min(0).max(24);

const adviceItemSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and -'),
  kind: z.enum(ADVICE_KINDS),
  title: z.string().trim().min(1).max(120),
  body: z.string().trim().min(1).max(500),
  tags: z.array(z.string().min(1).max(32)).max(10),
  appliesWhen: z.strictObject({
    /** [from, to) in local hours; from > to wraps past midnight, e.g. [23, 5]. */
    hours: z
      .tuple([hour.max(23), hour.min(1)])
      .refine(([from, to]) => from !== to, 'from and to must differ (leave hours out to apply all day)')
      .optional(),
    weekdays: z
      .array(z.enum(WEEKDAY_NAMES))
      .min(1)
      .refine((days) => new Set(days).size === days.length, 'must not repeat a day')
      .optional(),
  }),
});

const adviceLibrarySchema = z.strictObject({
  version: z.string().regex(/^advice-v\d+$/, 'must look like advice-v1'),
  items: z
    .array(adviceItemSchema)
    .min(1)
    .max(50)
    // Runs even when single items failed, so one start-up attempt reports every problem.
    .refine((items) => new Set(items.map((i) => i?.id)).size === items.length, { message: 'ids must be unique', when: (p) => Array.isArray(p.value) }),
});

export type AdviceItem = z.infer<typeof adviceItemSchema>;

/** The validated library, with each item's raw candidate features computed once. */
export interface AdviceLibrary {
  readonly version: string;
  readonly items: readonly AdviceItem[];
  readonly features: ReadonlyMap<string, readonly number[]>;
}

/**
 * Validates an advice library; a bad file stops start-up with every problem named.
 *
 * @example
 * const library = loadAdviceLibrary(JSON.parse(text), 'advice-library.v2.json');
 */
export function loadAdviceLibrary(raw: unknown, name = 'advice library'): AdviceLibrary {
  const parsed = adviceLibrarySchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RecommenderError('RECOMMENDER_INVALID_ADVICE_LIBRARY', `${name} is invalid: ${problems}`, { cause: parsed.error });
  }
  const { version, items } = parsed.data;
  const features = new Map(items.map((item) => [item.id, Object.freeze(adviceFeatures(item.kind as AdviceKind))] as const));
  return Object.freeze({ version, items: Object.freeze(items), features });
}

/** The library shipped with this build. */
export function defaultAdviceLibrary(): AdviceLibrary {
  return loadAdviceLibrary(adviceLibraryV1, 'advice-library.v1.json');
}

function inHours(hours: readonly [number, number] | undefined, localHour: number): boolean {
  if (!hours) return true;
  const [from, to] = hours;
  return from < to ? localHour >= from && localHour < to : localHour >= from || localHour < to;
}

/**
 * The items that apply at a local hour (0–23) and weekday (0 Sunday … 6 Saturday).
 *
 * @example
 * applicableAdvice(library, 9, 1); // Monday 09:xx
 */
export function applicableAdvice(library: AdviceLibrary, localHour: number, localWeekday: number): AdviceItem[] {
  const day = WEEKDAY_NAMES[localWeekday];
  return library.items.filter(
    (item) => inHours(item.appliesWhen.hours, localHour) && (!item.appliesWhen.weekdays || (day !== undefined && item.appliesWhen.weekdays.includes(day))),
  );
}
