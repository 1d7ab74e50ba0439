import { z } from 'zod';
import { isoDateTime, nextCursor, userId } from './common.schemas';

export const CHANNELS = ['in_app', 'push', 'email'] as const;
export const CADENCES = ['off', 'low', 'normal', 'high'] as const;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM');
// Shape only: profile checks the name against the timezone database.
const timezone = z.string().min(1).max(64).meta({ description: 'IANA timezone, e.g. Europe/Berlin' });
const locale = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag');
const channels = z
  .array(z.enum(CHANNELS))
  .max(CHANNELS.length)
  .refine((c) => new Set(c).size === c.length, 'must not repeat a channel');

const featureReading = z
  .object({
    name: z.string(),
    dtype: z.enum(['numeric', 'categorical']),
    value: z.union([z.number(), z.string()]),
    computedAt: isoDateTime,
    ageSec: z.number().meta({ description: 'Seconds since the value was computed' }),
    ttlSec: z.number().meta({ description: 'Seconds a value stays fresh; a read after that recomputes it' }),
    status: z.enum(['fresh', 'recomputed', 'fallback']),
  })
  .meta({ id: 'FeatureReading' });

export const featuresSchema = z.object({ userId, registryVersion: z.string(), features: z.array(featureReading) }).meta({ id: 'ProfileFeatures' });

export const preferencesBodySchema = z
  .strictObject({
    timezone,
    locale: locale.nullable().default(null),
    quietHours: z.strictObject({ start: clockTime, end: clockTime }).nullable().default(null),
    channels,
    tipCadence: z.enum(CADENCES),
  })
  .meta({ id: 'PreferencesRequest' });

/** RFC 7396: members present are set (null removes where a value may be absent), nested objects merge, arrays replace. */
export const preferencesPatchSchema = z
  .strictObject({
    timezone: timezone.optional(),
    locale: locale.nullable().optional(),
    quietHours: z.strictObject({ start: clockTime.optional(), end: clockTime.optional() }).nullable().optional(),
    channels: channels.optional(),
    tipCadence: z.enum(CADENCES).optional(),
  })
  .meta({ id: 'PreferencesMergePatch' });

export const preferencesSchema = z
  .object({
    userId,
    timezone: z.string(),
    locale: z.string().nullable(),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
    channels: z.array(z.enum(CHANNELS)),
    tipCadence: z.enum(CADENCES),
    updatedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Preferences' });

export const consentBodySchema = z
  .strictObject({
    purpose: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be a lower-case identifier such as push_notifications'),
    version: z.string().min(1).max(32).regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
    textHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the text shown, in hex'),
    granted: z.boolean(),
  })
  .meta({ id: 'ConsentRequest' });

const consentState = z
  .object({ purpose: z.string(), version: z.string(), textHash: z.string(), granted: z.boolean(), changedAt: isoDateTime })
  .meta({ id: 'Consent' });

export const consentSchema = consentState.extend({ userId }).meta({ id: 'ConsentChange' });

export const consentsSchema = z.object({ userId, consents: z.array(consentState), nextCursor }).meta({ id: 'Consents' });

export const dataQualitySchema = z
  .object({
    registryVersion: z.string(),
    features: z.array(z.object({ name: z.string(), eligibleUsers: z.number().int(), missing: z.number().int(), stale: z.number().int() })),
    nextCursor,
  })
  .meta({ id: 'DataQuality' });
