// Row shape of the devices table (migration 0006-dtalk).

export interface DevicesTable {
  app_id: number;
  user_id: number;
  uuid: string;
  kind: string;
  name: string;
  signed_in_at: number;
  seen_at: number;
}

export interface DeviceTables {
  devices: DevicesTable;
}
