import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, requireSelfOrAdmin, validate } from '@oo/http';
import type { Kysely } from '@oo/db';
import type { ProfileDatabase } from '../db/database';
import { CADENCES, CHANNELS, getPreferences, patchPreferences, updatePreferences, type PreferencesDeps } from '../features/preferences/preferences.service';
import { userIdParams } from './user-param';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM');

function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// Strict, like every body here: a misspelt field is an error the client should hear about.
const preferencesBody = z.strictObject({
  timezone: z.string().max(64).refine(isTimezone, 'must be an IANA timezone such as Europe/Berlin'),
  locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag').nullable().default(null),
  quietHours: z.strictObject({ start: clockTime, end: clockTime }).nullable().default(null),
  channels: z
    .array(z.enum(CHANNELS))
    .max(CHANNELS.length)
    .refine((c) => new Set(c).size === c.length, 'must not repeat a channel'),
  tipCadence: z.enum(CADENCES),
});

const MERGE_PATCH = 'application/merge-patch+json';

// A merge patch names only what changes; the merged document must still pass `preferencesBody`.
// `null` removes a member (RFC 7396), which only the nullable ones survive.
const preferencesPatch = z.strictObject({
  timezone: z.unknown().optional(),
  locale: z.unknown().optional(),
  quietHours: z.union([z.null(), z.record(z.string(), z.unknown())]).optional(),
  channels: z.unknown().optional(),
  tipCadence: z.unknown().optional(),
});

/**
 * GET, PUT and PATCH (an RFC 7396 merge patch, `application/merge-patch+json`) a user's timezone,
 * locale, quiet hours, channels and tip cadence. The user's own (or an admin's): the recommender learns timezones from `profile.preferences.updated`, so no
 * service token may read them here.
 */
export function preferencesRouter(db: Kysely<ProfileDatabase>, deps: PreferencesDeps): Router {
  const router = Router();
  router.get('/v1/profiles/:userId/preferences', requireSelfOrAdmin('userId'), async (req, res) => {
    const { userId } = validate(userIdParams, req.params, 'params');
    res.json({ userId, ...(await getPreferences(db, userId)) });
  });
  router.put('/v1/profiles/:userId/preferences', requireSelfOrAdmin('userId'), async (req, res) => {
    const { userId } = validate(userIdParams, req.params, 'params');
    const body = validate(preferencesBody, req.body, 'body');
    res.json({ userId, ...(await updatePreferences(deps, userId, body)) });
  });
  router.patch('/v1/profiles/:userId/preferences', requireSelfOrAdmin('userId'), async (req, res) => {
    const { userId } = validate(userIdParams, req.params, 'params');
    if (!req.is(MERGE_PATCH)) throw new HttpProblem(415, { detail: `send the patch as ${MERGE_PATCH} (RFC 7396)` });
    const patch = validate(preferencesPatch, req.body ?? {}, 'body');
    res.json({ userId, ...(await patchPreferences(deps, userId, patch, (merged) => validate(preferencesBody, merged, 'body'))) });
  });
  return router;
}
