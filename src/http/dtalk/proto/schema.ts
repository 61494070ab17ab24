// The dtalk protobuf layouts, written from the field tables of
// the original's source ("Messages: protobuf layers"): txchat/im v0.1.0
// `api/protocol/protocol.proto`, `api/comet/comet.proto` and txchat/imparse
// v0.1.0 `proto/{common,msg,signal,auth}.proto`. Kept as proto3 text and
// parsed by protobufjs (reflection), so there is no build step: on the first
// dtalk message, not at start, since a server whose clients never speak
// dtalk need not hold protobufjs and the parsed types (~1.5 MiB of heap,
// bench/README.md, idle footprint). protobufjs is CommonJS: loaded
// synchronously when first needed.

import { createRequire } from 'node:module';
import type protobufModule from 'protobufjs';

const PROTOCOL = `
syntax = "proto3";
package im.protocol;
// The socket frame; /record/push2 carries it serialized.
message Proto {
  int32 ver = 1;
  int32 op = 2;
  int32 seq = 3;
  int32 ack = 4;
  bytes body = 5;
}
`;

const COMET = `
syntax = "proto3";
package im.comet;
message AuthMsg {
  string appId = 1;
  string token = 2;
  bytes ext = 3;
}
message SyncMsg {
  int64 logId = 1;
}
`;

const IMPARSE = `
syntax = "proto3";
package imparse.proto;

enum EventType { common = 0; commonAck = 1; Signal = 2; SYSNotice = 3; }
enum Channel { ToUser = 0; ToGroup = 1; }
enum Device { Android = 0; IOS = 1; Windows = 2; Linux = 3; MacOS = 4; Web = 5; }
enum MsgType {
  System = 0; Text = 1; Audio = 2; Image = 3; Video = 4; File = 5; Card = 6; Notice = 7;
  Forward = 8; RTCCall = 9; Transfer = 10; Collect = 11; RedPacket = 12; ContactCard = 13;
}
enum JoinType { JoinAllow = 0; JoinDeny = 1; JoinApply = 2; }
enum FriendType { FriendAllow = 0; FriendDeny = 1; }
enum MuteType { MuteAllow = 0; MuteDeny = 1; }
enum MemberType { Normal = 0; Admin = 1; Owner = 2; }
enum ConnType { Connect = 0; Reconnect = 1; }

// Layer 2: the business envelope.
message Proto {
  EventType eventType = 1;
  bytes body = 2;
}

message SourceUser { string id = 1; string name = 2; }
message Source { Channel channelType = 1; SourceUser from = 2; SourceUser target = 3; }
message Reference { int64 topic = 1; int64 ref = 2; }

message Common {
  Channel channelType = 1;
  int64 mid = 2;
  string seq = 3;
  string from = 4;
  string target = 5;
  MsgType msgType = 6;
  bytes msg = 7;
  uint64 datetime = 8;
  Source source = 9;
  Reference reference = 10;
}
message CommonAck {
  int64 mid = 2;
  uint64 datetime = 8;
}

// Payloads carried in Common.msg, by msgType.
message TextMsg { string content = 1; repeated string mention = 2; }
message AudioMsg { string mediaUrl = 1; int32 time = 2; }
message ImageMsg { string mediaUrl = 1; int32 height = 2; int32 width = 3; }
message VideoMsg { string mediaUrl = 1; int32 time = 2; int32 height = 3; int32 width = 4; }
message FileMsg { string mediaUrl = 1; string name = 2; string md5 = 3; int64 size = 4; }
message CardMsg { string bank = 1; string name = 2; string account = 3; }
enum NoticeMsgType {
  UpdateGroupNameNotice = 0; SignInGroupNotice = 1; SignOutGroupNotice = 2; KickOutGroupNotice = 3;
  DeleteGroupNotice = 4; UpdateGroupMutedNotice = 5; UpdateGroupMemberMutedNotice = 6;
  UpdateGroupOwnerNotice = 7; MsgRevokedNotice = 8;
}
message NoticeMsg { NoticeMsgType type = 1; bytes body = 2; }
message ForwardItem { string avatar = 1; string name = 2; int32 msgType = 3; bytes msg = 4; uint64 datetime = 5; }
message ForwardMsg { repeated ForwardItem items = 1; }
enum CoinType { Coins = 0; Token = 1; }
message TransferMsg { string txHash = 1; string coinName = 2; string chain = 3; string platform = 4; CoinType coinType = 5; }
message RedPacketMsg {
  string txHash = 1; string coinName = 2; string exec = 3; int32 packetType = 4;
  string privateKey = 5; string remark = 6; uint64 expire = 7; CoinType coinType = 8;
}
message ContactCardMsg { int32 type = 1; string id = 2; string name = 3; string avatar = 4; string server = 5; string inviter = 6; }
message EncryptMsg { string content = 1; }

// Notice bodies (NoticeMsg.body, by NoticeMsg.type).
message NoticeMsgUpdateGroupName { int64 group = 1; string operator = 2; string name = 3; }
message NoticeMsgSignInGroup { int64 group = 1; string inviter = 2; repeated string members = 3; }
message NoticeMsgSignOutGroup { int64 group = 1; string operator = 2; }
message NoticeMsgKickOutGroup { int64 group = 1; string operator = 2; repeated string members = 3; }
message NoticeMsgDeleteGroup { int64 group = 1; string operator = 2; }
message NoticeMsgUpdateGroupMuted { int64 group = 1; string operator = 2; MuteType type = 3; }
message NoticeMsgUpdateGroupMemberMuted { int64 group = 1; string operator = 2; repeated string members = 3; }
message NoticeMsgUpdateGroupOwner { int64 group = 1; string newOwner = 2; }

// Layer 3b: signals.
enum SignalType {
  Received = 0; Revoke = 1;
  SignInGroup = 10; SignOutGroup = 11; DeleteGroup = 12; FocusMessage = 13; EndpointLogin = 14;
  UpdateGroupJoinType = 20; UpdateGroupFriendType = 21; UpdateGroupMuteType = 22; UpdateGroupMemberType = 23;
  UpdateGroupMemberMuteTime = 24; UpdateGroupName = 25; UpdateGroupAvatar = 26;
  StartCall = 31; AcceptCall = 32; StopCall = 33;
}
message Signal { SignalType type = 1; bytes body = 2; int64 sid = 3; bool reliable = 4; }
message SignalReceived { repeated int64 logs = 1; }
message SignalRevoke { int64 mid = 1; string operator = 2; bool self = 3; }
message SignalSignInGroup { repeated string uid = 1; int64 group = 2; uint64 time = 3; }
message SignalSignOutGroup { repeated string uid = 1; int64 group = 2; uint64 time = 3; }
message SignalDeleteGroup { int64 group = 1; uint64 time = 2; }
message SignalFocusMessage { int64 mid = 1; string uid = 2; int32 currentNum = 3; uint64 time = 4; }
message SignalEndpointLogin { string uuid = 1; Device device = 2; string deviceName = 3; uint64 datetime = 4; }
message SignalUpdateGroupJoinType { int64 group = 1; JoinType type = 2; uint64 time = 3; }
message SignalUpdateGroupFriendType { int64 group = 1; FriendType type = 2; uint64 time = 3; }
message SignalUpdateGroupMuteType { int64 group = 1; MuteType type = 2; uint64 time = 3; }
message SignalUpdateGroupMemberType { int64 group = 1; string uid = 2; MemberType type = 3; uint64 time = 4; }
message SignalUpdateGroupMemberMuteTime { int64 group = 1; repeated string uid = 2; int64 muteTime = 3; uint64 time = 4; }
message SignalUpdateGroupName { int64 group = 1; string name = 2; uint64 time = 3; }
message SignalUpdateGroupAvatar { int64 group = 1; string avatar = 2; uint64 time = 3; }
message SignalStartCall { int64 trace_id = 1; }
message SignalAcceptCall {
  int64 trace_id = 1; int32 room_id = 2; string uid = 3; string user_sig = 4;
  string private_map_key = 5; int32 skd_app_id = 6;
}
enum StopCallReason { Busy = 0; Timeout = 1; Reject = 2; Hangup = 3; Cancel = 4; }
message SignalStopCall { int64 trace_id = 1; StopCallReason reason = 2; }

// The socket Auth ext.
message Login {
  Device device = 1; string username = 2; string deviceToken = 3;
  ConnType connType = 4; string uuid = 5; string deviceName = 6;
}
`;

type Protobuf = typeof protobufModule;

function load(): protobufModule.Root {
  const protobuf = createRequire(import.meta.url)('protobufjs') as Protobuf;
  const root = new protobuf.Root();
  for (const text of [PROTOCOL, COMET, IMPARSE]) protobuf.parse(text, root, { keepCase: true });
  root.resolveAll();
  return root;
}

let root: protobufModule.Root | undefined;

/** A dtalk message type; every type is parsed and resolved once, on the first call. */
export const type = (name: string): protobufModule.Type => (root ??= load()).lookupType(name);
