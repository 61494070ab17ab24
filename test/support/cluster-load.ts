// The steady load of the node-loss and rolling-restart tests: one group whose
// members are receivers on WebSocket, senders on WebSocket and senders on
// HTTP, all through the cluster's nginx.

import { call } from './http.ts';
import { ChatLoad } from './chat-load.ts';
import type { TestCluster } from './cluster.ts';

export const LOAD = { receivers: 6, wsSenders: 3, httpSenders: 3, intervalMs: 50 } as const;

export async function startGroupLoad(cluster: TestCluster): Promise<{ load: ChatLoad; groupId: number; ownerToken: string }> {
  const owner = await cluster.user();
  const people = await Promise.all(Array.from({ length: LOAD.receivers + LOAD.wsSenders + LOAD.httpSenders }, () => cluster.user()));
  const created = await call(cluster.url, 'POST', '/v1/groups', { token: owner.token, body: { name: 'under load', memberIds: people.map((p) => p.id) } });
  if (created.status !== 201) throw new Error(`creating the group: ${created.status} ${created.text}`);
  const groupId = created.body.group.id as number;
  const tokens = people.map((p) => p.token);
  const load = new ChatLoad({
    url: cluster.url,
    groupId,
    receivers: tokens.slice(0, LOAD.receivers),
    wsSenders: tokens.slice(LOAD.receivers, LOAD.receivers + LOAD.wsSenders),
    httpSenders: tokens.slice(LOAD.receivers + LOAD.wsSenders),
    intervalMs: LOAD.intervalMs,
  });
  await load.start();
  return { load, groupId, ownerToken: owner.token };
}
