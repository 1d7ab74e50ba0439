import type { Router } from 'express';
import { internalRouter } from './http/internal.router';
import { keysRouter } from './http/keys.router';
import { tokenRouter } from './http/token.router';
import { wellKnownRouter } from './http/well-known.router';
import type { AuthContext } from './service';

/** auth's HTTP API, mounted by the service kit (README.md lists every route). */
export function createRoutes(ctx: AuthContext): Router[] {
  return [wellKnownRouter(ctx), tokenRouter(ctx), internalRouter(ctx), keysRouter(ctx)];
}
