import { parse, serialize, type SerializeOptions } from 'cookie';
import type { Request, Response } from 'express';

/** The cookies of one deployment: `__Host-` names need Secure, which only https (or localhost, a secure context) can set. */
export interface CookieNames {
  session: string;
  login: string;
  secure: boolean;
}

const LOGIN_MAX_AGE_S = 600;

/**
 * Cookie names and flags for a public URL: `__Host-oo_session` / `__Host-oo_login` with Secure on
 * https and on localhost, else `oo_session` / `oo_login` without Secure.
 *
 * @example
 * cookieNames('https://oo.example').session // '__Host-oo_session'
 */
export function cookieNames(publicUrl: string): CookieNames {
  const url = new URL(publicUrl);
  const secure = url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}oo_session`, login: `${prefix}oo_login`, secure };
}

// Path=/ and no Domain: what `__Host-` requires, and right for the plain names too.
function base(names: CookieNames): SerializeOptions {
  return { httpOnly: true, secure: names.secure, sameSite: 'lax', path: '/' };
}

/** Reads one cookie of the request (the cookie header is parsed once per request). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const value = parse(header)[name];
  return value === '' ? undefined : value;
}

function append(res: Response, cookie: string): void {
  res.append('Set-Cookie', cookie);
}

/** The session cookie until the session's absolute expiry. */
export function setSessionCookie(res: Response, names: CookieNames, token: string, expiresAt: Date): void {
  append(res, serialize(names.session, token, { ...base(names), expires: expiresAt }));
}

/** The login cookie (the attempt id) for the 10 minutes a sign-in may take. */
export function setLoginCookie(res: Response, names: CookieNames, attemptId: string): void {
  append(res, serialize(names.login, attemptId, { ...base(names), maxAge: LOGIN_MAX_AGE_S }));
}

export function clearCookie(res: Response, names: CookieNames, name: string): void {
  append(res, serialize(name, '', { ...base(names), maxAge: 0, expires: new Date(0) }));
}
