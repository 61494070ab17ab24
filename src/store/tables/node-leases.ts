// Row shape of the node_leases table (migration 0010-node-leases): which
// process holds which Snowflake node id, until when (src/core/node-lease.ts).

export interface NodeLeasesTable {
  node_id: number;
  holder: string;
  role: string;
  host: string;
  pid: number;
  expires_at: number;
  /** The largest id a past holder issued with this node id. */
  floor_id: number;
}

export interface NodeLeaseTables {
  node_leases: NodeLeasesTable;
}
