// Who may do what with a stored file: one table, deny by default.
//   read   public: anyone · app: any principal of the app · private: owner or admin
//   manage (delete, sign URLs of private files): owner or admin of the app

import type { Principal } from '../model.ts';
import type { StoredFile } from './model.ts';

export function canRead(p: Principal | null, f: StoredFile): boolean {
  if (f.visibility === 'public') return true;
  if (!p || p.appId !== f.appId) return false;
  if (f.visibility === 'app') return true;
  return p.isAdmin || (p.userId !== null && p.userId === f.ownerId);
}

export function canManage(p: Principal, f: StoredFile): boolean {
  if (p.appId !== f.appId) return false;
  return p.isAdmin || (p.userId !== null && p.userId === f.ownerId);
}
