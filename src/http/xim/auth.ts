// med.xim.Group is a server-to-server API: the document shows no user auth,
// so Parley requires the app's admin credential, passed as
// `Authorization: Bearer <app admin token>` (never in the query string, which
// ends up in access logs). A user token is refused (103), no token 101.

import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import { fail } from '../../core/errors.ts';
import type { Principal } from '../../core/model.ts';

declare module 'fastify' {
  interface FastifyRequest {
    xim?: Principal;
  }
}

export async function authenticateAdmin(core: Core, req: FastifyRequest): Promise<Principal> {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  const p = await core.tokens.authenticate(m ? m[1] : undefined);
  if (!p.isAdmin) throw fail('admin_required', 'med.xim.Group needs the app admin token');
  return p;
}
