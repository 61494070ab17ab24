// Row shapes of calls and their parties (migration 0005-calls).

export interface CallsTable {
  id: number;
  app_id: number;
  caller_id: number;
  group_id: number | null;
  media: string;
  status: string;
  stop_reason: string | null;
  room_id: number;
  created_at: number;
  deadline: number;
  answered_at: number | null;
  ended_at: number | null;
  version: number;
}

export interface CallPartiesTable {
  call_id: number;
  user_id: number;
  role: string;
  state: string;
  updated_at: number;
}

export interface CallTables {
  calls: CallsTable;
  call_parties: CallPartiesTable;
}
