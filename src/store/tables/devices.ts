// Row shape of the devices table (migrations 0006-dtalk, 0007-device-positions).

export interface DevicesTable {
  app_id: number;
  user_id: number;
  uuid: string;
  kind: string;
  name: string;
  signed_in_at: number;
  seen_at: number;
  /** Stream position up to which every change reached the device (0007); null before its first connection. */
  delivered_pos: number | null;
}

export interface DeviceTables {
  devices: DevicesTable;
}
