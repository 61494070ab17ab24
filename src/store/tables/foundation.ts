// Row shapes of the foundation tables. Times are integer milliseconds since the
// Unix epoch; booleans are 0/1 integers; JSON is text. Both engines store the
// same values, so repositories never branch on the engine.

export interface AppsTable {
  id: number;
  name: string;
  secret: string;
  created_at: number;
}

export interface UsersTable {
  id: number;
  app_id: number;
  handle: string;
  display_name: string;
  avatar: string;
  profile: string;
  password_hash: string | null;
  created_at: number;
  updated_at: number;
}

export interface TokensTable {
  id: number;
  app_id: number;
  user_id: number | null;
  kind: string;
  token_hash: string;
  expires_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

export interface FoundationTables {
  apps: AppsTable;
  users: UsersTable;
  tokens: TokensTable;
}
