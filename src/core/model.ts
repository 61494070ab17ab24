// The foundation entities as core sees them (camelCase, parsed JSON).

export interface App {
  id: number;
  name: string;
  /** Server-side signing key for this app (QR codes, upload credentials). Never sent to clients. */
  secret: string;
  createdAt: number;
}

export type Profile = Record<string, unknown>;

export interface User {
  id: number;
  appId: number;
  /** Unique per app: a username, an address, an external id. */
  handle: string;
  displayName: string;
  avatar: string;
  profile: Profile;
  createdAt: number;
  updatedAt: number;
}

export const TokenKind = { user: 'user', admin: 'admin' } as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

export interface TokenRecord {
  id: number;
  appId: number;
  userId: number | null;
  kind: TokenKind;
  tokenHash: string;
  expiresAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

/** Who is calling: resolved from a token by core, carried by every dialect. */
export interface Principal {
  appId: number;
  tokenId: number;
  /** The acting user; null for an app-admin token that does not act as a user. */
  userId: number | null;
  isAdmin: boolean;
  /** When the token stops being valid (ms); absent for a token that never expires. */
  expiresAt?: number;
}
