// Every setting in one typed table: environment variable, CLI flag, default
// and meaning. Parsed and validated once at start; a bad value stops the
// process with a message naming the setting. `parley config` prints it, and
// the README's table is checked against it by a test.

import { isIP } from 'node:net';
import { join } from 'node:path';
import { COMMAND_NODE_IDS, SERVER_NODE_IDS } from './core/ids.ts';
import { projectRoot } from './project-root.ts';

type Parser<T> = (raw: string) => T;

interface Setting<T> {
  env: string;
  flag: string;
  default: T;
  description: string;
  parse: Parser<T>;
  /** A credential: `parley config` prints it masked. */
  secret?: true;
}

const str: Parser<string> = (raw) => raw;

const int = (min: number, max: number): Parser<number> => (raw) => {
  const n = Number(raw);
  if (!/^-?[0-9]+$/.test(raw.trim()) || !Number.isSafeInteger(n)) throw new Error(`must be an integer`);
  if (n < min || n > max) throw new Error(`must be between ${min} and ${max}`);
  return n;
};

const oneOf = <T extends string>(...values: T[]): Parser<T> => (raw) => {
  if (!(values as string[]).includes(raw)) throw new Error(`must be one of ${values.join(', ')}`);
  return raw as T;
};

const bool: Parser<boolean> = (raw) => {
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off', ''].includes(raw.toLowerCase())) return false;
  throw new Error('must be true or false');
};

const busUrl: Parser<string> = (raw) => {
  if (raw === 'local' || /^(rediss?|nats):\/\/[^\s]+$/.test(raw)) return raw;
  throw new Error('must be local, redis://host:port or nats://host:port');
};

const topicPrefix: Parser<string> = (raw) => {
  if (/^[A-Za-z0-9_-]{1,64}$/.test(raw)) return raw;
  throw new Error('must be 1-64 letters, digits, _ or -');
};

/** PARLEY_PUBLIC_URL: an http(s) URL without query or fragment, kept without its trailing slash. */
const publicUrl: Parser<string> = (raw) => {
  if (raw === '') return '';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error('must be an absolute http:// or https:// URL');
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') {
    throw new Error('must be an http:// or https:// URL without user, query or fragment');
  }
  return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
};

/** PARLEY_TRUSTED_PROXIES: addresses and CIDR ranges (or proxy-addr's names loopback, linklocal, uniquelocal). */
const proxyList: Parser<string> = (raw) => {
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const e of entries) {
    const [addr, bits, extra] = e.split('/');
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(e);
    const kind = isIP(addr ?? '');
    const maskOk = bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= (kind === 6 ? 128 : 32));
    if (!named && (kind === 0 || !maskOk || extra !== undefined)) throw new Error(`must be a comma-separated list of IP addresses or CIDR ranges ("${e}" is neither)`);
  }
  return entries.join(',');
};

function setting<T>(s: Setting<T>): Setting<T> {
  return s;
}

export const settings = {
  host: setting({ env: 'PARLEY_HOST', flag: '--host', default: '127.0.0.1', description: 'Address the HTTP and WebSocket server listens on.', parse: str }),
  port: setting({ env: 'PARLEY_PORT', flag: '--port', default: 8080, description: 'TCP port to listen on (0 picks a free one).', parse: int(0, 65535) }),
  publicUrl: setting({ env: 'PARLEY_PUBLIC_URL', flag: '--public-url', default: '', description: 'The URL clients reach this server at (https://chat.example.com), used for every absolute URL Parley hands out (signed downloads, upload forms, dtalk and lanying file URLs). Empty uses the listening address http://<PARLEY_HOST>:<PARLEY_PORT>; never the request\'s Host header.', parse: publicUrl }),
  trustedProxies: setting({ env: 'PARLEY_TRUSTED_PROXIES', flag: '--trusted-proxies', default: '', description: 'Comma-separated addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For / X-Forwarded-Proto headers are believed; the client address (sign-in limits, logs) is then the one they forward. Empty trusts nobody: the address is the TCP peer\'s.', parse: proxyList }),
  dataDir: setting({ env: 'PARLEY_DATA_DIR', flag: '--data-dir', default: '', description: 'Directory for the embedded database and local files; empty uses data/ in the project root (beside package.json), wherever the command runs from. A relative path is taken from the working directory.', parse: str }),
  databaseUrl: setting({ env: 'DATABASE_URL', flag: '--database-url', default: '', description: 'postgres://… to use PostgreSQL; empty uses SQLite at <dataDir>/parley.db; sqlite:<path> names another file.', parse: str }),
  sqliteSync: setting({ env: 'PARLEY_SQLITE_SYNC', flag: '--sqlite-sync', default: 'full' as 'full' | 'normal', description: 'Embedded SQLite: full acknowledges a commit once its log is flushed to disk (fdatasync, on the thread pool, not the event loop), so nothing acknowledged is lost even to a power cut; normal once it is written to the OS: it survives a crash of the process but not of the machine, and costs no flush per commit.', parse: oneOf('full', 'normal') }),
  memory: setting({ env: 'PARLEY_MEMORY', flag: '--memory', default: 'small' as 'small' | 'large', description: "How V8 sizes the heap, read by the launcher (npm start, npx parley: bin/memory-profile.mjs) before the process starts. small keeps glibc's malloc to two arenas (MALLOC_ARENA_MAX=2, unless set) and gives back what a burst of work grew (start-up included; the young generation grows to 64 MiB under load) once the server is quiet (--expose-gc, one full collection); large leaves glibc's arenas and keeps what a burst grew (up to ~50 MiB more resident when idle), for a host with memory to spare (bench/README.md, idle footprint).", parse: oneOf('small', 'large') }),
  sqliteCacheMiB: setting({ env: 'PARLEY_SQLITE_CACHE_MB', flag: '--sqlite-cache-mb', default: 64, description: "Embedded SQLite: memory for its page cache, in MiB (history reads of busy conversations stay in memory).", parse: int(1, 65_536) }),
  databasePoolSize: setting({ env: 'PARLEY_DB_POOL', flag: '--db-pool', default: 10, description: 'PostgreSQL connections per process.', parse: int(1, 200) }),
  nodeId: setting({ env: 'PARLEY_NODE_ID', flag: '--node-id', default: 0, description: `This server's id in a cluster (${SERVER_NODE_IDS.first}..${SERVER_NODE_IDS.last}); part of every id it makes, so unique per server: a server refuses to start while another live process holds it. Admin commands lease one of ${COMMAND_NODE_IDS.first}..${COMMAND_NODE_IDS.last} by themselves.`, parse: int(SERVER_NODE_IDS.first, SERVER_NODE_IDS.last) }),
  logLevel: setting({ env: 'LOG_LEVEL', flag: '--log-level', default: 'info' as 'info', description: 'fatal, error, warn, info, debug, trace or silent.', parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') }),
  bodyLimit: setting({ env: 'PARLEY_BODY_LIMIT', flag: '--body-limit', default: 1_048_576, description: 'Largest request body in bytes for JSON and form requests (uploads have their own limit).', parse: int(1024, 1 << 30) }),
  maxHeaderBytes: setting({ env: 'PARLEY_MAX_HEADER_BYTES', flag: '--max-header-bytes', default: 1_048_576, description: 'Largest request line plus headers in bytes (a long query such as an xim InfoBatch of 5,000 ids); larger requests get 431 in their dialect\'s envelope. The default is Go net/http\'s, which the xim and dtalk originals run on.', parse: int(16_384, 16_777_216) }),
  corsOrigins: setting({ env: 'PARLEY_CORS_ORIGINS', flag: '--cors-origins', default: '*', description: 'Comma-separated origins allowed by CORS; * allows any; empty disables CORS.', parse: str }),
  userTokenTtl: setting({ env: 'PARLEY_USER_TOKEN_TTL', flag: '--user-token-ttl', default: 30 * 86400, description: 'Default lifetime of a user token in seconds (0: never expires).', parse: int(0, 10 * 365 * 86400) }),
  shutdownGraceMs: setting({ env: 'PARLEY_SHUTDOWN_GRACE_MS', flag: '--shutdown-grace-ms', default: 10_000, description: 'How long a stopping server waits for in-flight requests before closing.', parse: int(0, 600_000) }),
  revokeWindow: setting({ env: 'PARLEY_REVOKE_WINDOW', flag: '--revoke-window', default: 120, description: 'Seconds after sending during which a sender may revoke a message (group owners/admins may revoke any time).', parse: int(0, 10 * 365 * 86400) }),
  editWindow: setting({ env: 'PARLEY_EDIT_WINDOW', flag: '--edit-window', default: 86_400, description: 'Seconds after sending during which a sender may edit the text of their message (nobody else ever may).', parse: int(0, 10 * 365 * 86400) }),
  messageMaxBytes: setting({ env: 'PARLEY_MESSAGE_MAX_BYTES', flag: '--message-max-bytes', default: 16_384, description: 'Largest message payload (body + ext as JSON) in bytes.', parse: int(256, 1 << 20) }),
  messageMaxText: setting({ env: 'PARLEY_MESSAGE_MAX_TEXT', flag: '--message-max-text', default: 5000, description: 'Largest text of a text message, in characters.', parse: int(1, 1 << 20) }),
  reactionMaxEmoji: setting({ env: 'PARLEY_REACTION_MAX_EMOJI', flag: '--reaction-max-emoji', default: 20, description: 'Most different emoji one message may carry as reactions; one more is refused with too_many_reactions.', parse: int(1, 1000) }),
  reactionMaxPerUser: setting({ env: 'PARLEY_REACTION_MAX_PER_USER', flag: '--reaction-max-per-user', default: 3, description: 'Most emoji one user may react with on one message; one more is refused with too_many_reactions.', parse: int(1, 1000) }),
  pinMax: setting({ env: 'PARLEY_PIN_MAX', flag: '--pin-max', default: 50, description: 'Most pinned messages per conversation; one more is refused with too_many_pins.', parse: int(1, 10_000) }),
  docs: setting({ env: 'PARLEY_DOCS', flag: '--docs', default: true, description: 'Serve the interactive API docs at /docs.', parse: bool }),
  groupDefaultCapacity: setting({ env: 'PARLEY_GROUP_CAPACITY', flag: '--group-capacity', default: 2000, description: 'Capacity of a new group when its creator names none.', parse: int(1, 1_000_000) }),
  groupMaxCapacity: setting({ env: 'PARLEY_GROUP_MAX_CAPACITY', flag: '--group-max-capacity', default: 100_000, description: 'Largest capacity a group may be given.', parse: int(1, 1_000_000) }),
  groupMaxAdmins: setting({ env: 'PARLEY_GROUP_MAX_ADMINS', flag: '--group-max-admins', default: 10, description: 'Most admins a group may have (besides its owner).', parse: int(0, 10_000) }),
  groupRequestTtl: setting({ env: 'PARLEY_GROUP_REQUEST_TTL', flag: '--group-request-ttl', default: 7 * 86400, description: 'Seconds a group application or invitation stays open before it expires.', parse: int(60, 365 * 86400) }),
  groupQrCodeTtl: setting({ env: 'PARLEY_GROUP_QR_TTL', flag: '--group-qr-ttl', default: 7 * 86400, description: 'Seconds a signed group QR code stays valid.', parse: int(60, 365 * 86400) }),
  bus: setting({ env: 'PARLEY_BUS', flag: '--bus', default: 'local', description: 'How processes tell each other about new messages and events: local (one process), redis://host:6379 (Redis pub/sub) or nats://host:4222 (NATS).', parse: busUrl }),
  busPrefix: setting({ env: 'PARLEY_BUS_PREFIX', flag: '--bus-prefix', default: 'parley', description: 'Prefix of every bus topic, so several Parley clusters can share one Redis or NATS.', parse: topicPrefix }),
  groupRuleCacheMs: setting({ env: 'PARLEY_GROUP_RULE_CACHE_MS', flag: '--group-rule-cache-ms', default: 30_000, description: "How long a process trusts a cached \"may this member send or read here\"; group changes drop it at once in every process (over the bus), so this only bounds a lost bus notification.", parse: int(0, 3_600_000) }),
  wsQueueBytes: setting({ env: 'PARLEY_WS_QUEUE_BYTES', flag: '--ws-queue-bytes', default: 1_048_576, description: 'Most bytes waiting to be written to one WebSocket; a client further behind is disconnected (close 4008) and resumes.', parse: int(4096, 1 << 30) }),
  wsHeartbeatMs: setting({ env: 'PARLEY_WS_HEARTBEAT_MS', flag: '--ws-heartbeat-ms', default: 25_000, description: 'How often a WebSocket client should send a ping frame (told to the client in welcome).', parse: int(100, 3_600_000) }),
  wsIdleTimeoutMs: setting({ env: 'PARLEY_WS_IDLE_TIMEOUT_MS', flag: '--ws-idle-timeout-ms', default: 60_000, description: 'A WebSocket that sends nothing for this long is closed (4004).', parse: int(200, 86_400_000) }),
  wsMaxFrameBytes: setting({ env: 'PARLEY_WS_MAX_FRAME', flag: '--ws-max-frame', default: 65_536, description: 'Largest frame a WebSocket client may send, in bytes (larger closes with 1009).', parse: int(1024, 16_777_216) }),
  wsResumeLimit: setting({ env: 'PARLEY_WS_RESUME_LIMIT', flag: '--ws-resume-limit', default: 10_000, description: 'Most missed messages one resume replays per conversation; beyond it the client gets a gap frame and pages history itself.', parse: int(1, 1_000_000) }),
  wsReorderWaitMs: setting({ env: 'PARLEY_WS_REORDER_WAIT_MS', flag: '--ws-reorder-wait-ms', default: 300, description: 'How long a session holds a message that arrived ahead of a missing one before reading the gap from the store.', parse: int(0, 60_000) }),
  typingIntervalMs: setting({ env: 'PARLEY_TYPING_INTERVAL_MS', flag: '--typing-interval-ms', default: 2000, description: 'A session sends at most one typing signal per conversation this often; starts in between are dropped (the last one stays shown for 5 s).', parse: int(0, 60_000) }),
  presenceGroupLimit: setting({ env: 'PARLEY_PRESENCE_GROUP_LIMIT', flag: '--presence-group-limit', default: 100, description: 'Groups of up to this many members hear their members come online and go offline; members of larger groups ask for presence (GET /v1/users/presence).', parse: int(0, 1_000_000) }),
  presenceFlushMs: setting({ env: 'PARLEY_PRESENCE_FLUSH_MS', flag: '--presence-flush-ms', default: 30_000, description: 'How often last-seen times are written to the database, in one batch (never per connect or disconnect).', parse: int(100, 3_600_000) }),
  blobStore: setting({ env: 'PARLEY_BLOB_STORE', flag: '--blob-store', default: 'local' as 'local' | 's3', description: 'Where uploaded files live: local (a directory) or s3 (any S3-compatible service).', parse: oneOf('local', 's3') }),
  blobDir: setting({ env: 'PARLEY_BLOB_DIR', flag: '--blob-dir', default: '', description: 'Directory of the local blob store; empty uses <dataDir>/blobs.', parse: str }),
  s3Bucket: setting({ env: 'PARLEY_S3_BUCKET', flag: '--s3-bucket', default: '', description: 'S3 bucket for uploaded files (blob store s3).', parse: str }),
  s3Endpoint: setting({ env: 'PARLEY_S3_ENDPOINT', flag: '--s3-endpoint', default: '', description: 'S3 endpoint URL, e.g. http://127.0.0.1:9000 for MinIO; empty uses AWS.', parse: str }),
  s3Region: setting({ env: 'PARLEY_S3_REGION', flag: '--s3-region', default: 'us-east-1', description: 'S3 region.', parse: str }),
  s3AccessKeyId: setting({ env: 'PARLEY_S3_ACCESS_KEY_ID', flag: '--s3-access-key-id', default: '', description: 'S3 access key id; empty uses the AWS default credential chain.', parse: str }),
  s3SecretAccessKey: setting({ env: 'PARLEY_S3_SECRET_ACCESS_KEY', flag: '--s3-secret-access-key', default: '', description: 'S3 secret access key.', parse: str, secret: true }),
  s3PathStyle: setting({ env: 'PARLEY_S3_PATH_STYLE', flag: '--s3-path-style', default: false, description: 'Use path-style S3 URLs (http://host/bucket/key), as MinIO needs.', parse: bool }),
  s3Prefix: setting({ env: 'PARLEY_S3_PREFIX', flag: '--s3-prefix', default: '', description: 'Prefix for every object key in the bucket (several deployments can share one bucket).', parse: str }),
  maxObjectSize: setting({ env: 'PARLEY_MAX_OBJECT_SIZE', flag: '--max-object-size', default: 5 * 1024 ** 3, description: 'Largest stored file in bytes (single or multipart upload).', parse: int(1, 5 * 1024 ** 4) }),
  maxPartSize: setting({ env: 'PARLEY_MAX_PART_SIZE', flag: '--max-part-size', default: 5 * 1024 ** 3, description: 'Largest part of a multipart upload in bytes.', parse: int(1, 5 * 1024 ** 3) }),
  minPartSize: setting({ env: 'PARLEY_MIN_PART_SIZE', flag: '--min-part-size', default: 5 * 1024 ** 2, description: 'Smallest part (except the last) of a multipart upload in bytes; S3 requires 5 MiB.', parse: int(1, 5 * 1024 ** 3) }),
  downloadUrlTtl: setting({ env: 'PARLEY_DOWNLOAD_URL_TTL', flag: '--download-url-ttl', default: 3600, description: 'Default lifetime in seconds of a signed download URL.', parse: int(1, 7 * 86400) }),
  uploadCredentialTtl: setting({ env: 'PARLEY_UPLOAD_CREDENTIAL_TTL', flag: '--upload-credential-ttl', default: 900, description: 'Lifetime in seconds of a temporary upload credential.', parse: int(1, 86400) }),
  uploadIdleMs: setting({ env: 'PARLEY_UPLOAD_IDLE_MS', flag: '--upload-idle-ms', default: 60_000, description: 'An upload whose body brings no byte for this many milliseconds fails and its connection is closed; nothing is stored (0: wait forever).', parse: int(0, 3_600_000) }),
  multipartMaxAge: setting({ env: 'PARLEY_MULTIPART_MAX_AGE', flag: '--multipart-max-age', default: 86400, description: 'Unfinished multipart uploads older than this many seconds are aborted and their parts removed.', parse: int(60, 30 * 86400) }),
  callRingTimeout: setting({ env: 'PARLEY_CALL_RING_TIMEOUT', flag: '--call-ring-timeout', default: 60, description: 'Seconds a call rings before it stops with reason timeout.', parse: int(5, 600) }),
  trtcSdkAppId: setting({ env: 'PARLEY_TRTC_SDKAPPID', flag: '--trtc-sdkappid', default: 0, description: 'Tencent TRTC SDKAppID for call media; 0 means calls signal without media tickets.', parse: int(0, 4_294_967_295) }),
  trtcSecret: setting({ env: 'PARLEY_TRTC_SECRET', flag: '--trtc-secret', default: '', description: 'Tencent TRTC secret key (signs UserSig and PrivateMapKey).', parse: str, secret: true }),
  trtcTicketTtl: setting({ env: 'PARLEY_TRTC_TICKET_TTL', flag: '--trtc-ticket-ttl', default: 86400, description: 'Lifetime in seconds of a TRTC UserSig / PrivateMapKey.', parse: int(60, 30 * 86400) }),
  web: setting({ env: 'PARLEY_WEB', flag: '--web', default: true, description: 'Serve the browser client (built into web/dist by npm install) at /.', parse: bool }),
  signupApp: setting({ env: 'PARLEY_SIGNUP_APP', flag: '--signup-app', default: 0, description: 'App that POST /v1/auth/signup and /v1/auth/login act on; 0 is the default (oldest) app.', parse: int(0, Number.MAX_SAFE_INTEGER) }),
  signup: setting({ env: 'PARLEY_SIGNUP', flag: '--signup', default: true, description: 'Let anyone create a password account (native POST /v1/auth/signup, lanying POST /user/register/v2).', parse: bool }),
  authRatePerIp: setting({ env: 'PARLEY_AUTH_RATE_IP', flag: '--auth-rate-ip', default: 30, description: 'Sign-up and sign-in attempts allowed per client address per minute (then 429).', parse: int(1, 1_000_000) }),
  authRatePerHandle: setting({ env: 'PARLEY_AUTH_RATE_HANDLE', flag: '--auth-rate-handle', default: 10, description: 'Failed sign-ins allowed per (client address, username) pair per minute (then 429); a right password resets the pair.', parse: int(1, 1_000_000) }),
  authRatePerUser: setting({ env: 'PARLEY_AUTH_RATE_USER', flag: '--auth-rate-user', default: 100, description: 'Failed sign-ins allowed per username per minute from all addresses together (then 429): bounds guessing spread over many addresses.', parse: int(1, 1_000_000) }),
  dtalkApp: setting({ env: 'PARLEY_DTALK_APP', flag: '--dtalk-app', default: 0, description: 'Id of the app whose users the dtalk dialect serves (dtalk signatures name no Parley app); 0 uses the default app.', parse: int(0, Number.MAX_SAFE_INTEGER) }),
  dtalkMockTokens: setting({ env: 'PARLEY_DTALK_MOCK_TOKENS', flag: '--dtalk-mock-tokens', default: false, description: 'Development only: accept the original dtalk MOCK and MOCK2 FZM-SIGNATURE values as two fixed users.', parse: bool }),
  dtalkRevokeWindow: setting({ env: 'PARLEY_DTALK_REVOKE_WINDOW', flag: '--dtalk-revoke-window', default: 86_400 * 3600, description: "Seconds after sending during which a sender may revoke a message through the dtalk dialect (the original's Revoke.Expire, 86400 h, effectively unlimited); other dialects keep PARLEY_REVOKE_WINDOW.", parse: int(0, 10 * 365 * 86400) }),
  dtalkReplayLimit: setting({ env: 'PARLEY_DTALK_REPLAY_LIMIT', flag: '--dtalk-replay-limit', default: 1000, description: 'Messages a dtalk phone gets replayed when its socket connects (what it has not acknowledged, newest last); older ones are left for the client to page (sync-record).', parse: int(1, 10_000) }),
  webhookTimeoutMs: setting({ env: 'PARLEY_WEBHOOK_TIMEOUT_MS', flag: '--webhook-timeout-ms', default: 10_000, description: 'Milliseconds a webhook endpoint has to answer a delivery before it counts as failed and is retried.', parse: int(100, 120_000) }),
  webhookRetryHours: setting({ env: 'PARLEY_WEBHOOK_RETRY_HOURS', flag: '--webhook-retry-hours', default: 72, description: 'Hours after an event during which a failed webhook delivery is retried (exponential backoff with jitter); then it is dropped and counted.', parse: int(1, 24 * 30) }),
  webhookRetryBaseMs: setting({ env: 'PARLEY_WEBHOOK_RETRY_BASE_MS', flag: '--webhook-retry-base-ms', default: 1000, description: 'About how long the first retry of a failed webhook delivery waits; each next waits about twice as long, up to an hour.', parse: int(10, 3_600_000) }),
  webhookFailingAfter: setting({ env: 'PARLEY_WEBHOOK_FAILING_AFTER', flag: '--webhook-failing-after', default: 5, description: 'Consecutive failed deliveries after which an endpoint is shown as failing (API, metric parley_webhook_endpoint_failing); a success clears it.', parse: int(1, 1000) }),
  webhookConcurrency: setting({ env: 'PARLEY_WEBHOOK_CONCURRENCY', flag: '--webhook-concurrency', default: 32, description: 'Webhook deliveries in flight per process (each ordering key of each endpoint has at most one).', parse: int(1, 1000) }),
  webhookPollMs: setting({ env: 'PARLEY_WEBHOOK_POLL_MS', flag: '--webhook-poll-ms', default: 1000, description: "How often a process looks in the webhook outbox for work it was not woken for (other processes' events, retries that came due), while some app has an endpoint; with none it never looks.", parse: int(10, 60_000) }),
  moderationTimeoutMs: setting({ env: 'PARLEY_MODERATION_TIMEOUT_MS', flag: '--moderation-timeout-ms', default: 1000, description: "Milliseconds an app's moderation hook has to answer before a send goes on without it (see PARLEY_MODERATION_ON_FAILURE).", parse: int(10, 30_000) }),
  moderationOnFailure: setting({ env: 'PARLEY_MODERATION_ON_FAILURE', flag: '--moderation-on-failure', default: 'accept' as 'accept' | 'refuse', description: 'What a send does when the moderation hook times out, fails or answers something unusable: accept (store it) or refuse (message_refused).', parse: oneOf('accept', 'refuse') }),
} as const;

type Settings = typeof settings;
export type Config = { readonly [K in keyof Settings]: Settings[K]['default'] };
export type ConfigKey = keyof Settings;

export class ConfigError extends Error {}

/**
 * Builds the configuration from defaults, then the environment, then flags
 * (later wins), then explicit overrides (tests).
 */
export function loadConfig(opts: { env?: NodeJS.ProcessEnv; argv?: readonly string[]; overrides?: Partial<Config> } = {}): Config {
  const env = opts.env ?? process.env;
  const flags = parseFlags(opts.argv ?? []);
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(settings) as [ConfigKey, Setting<unknown>][]) {
    let value: unknown = s.default;
    const raw = flags.get(s.flag) ?? env[s.env];
    if (raw !== undefined) {
      try {
        value = s.parse(raw);
      } catch (e) {
        throw new ConfigError(`setting ${s.env} (${s.flag}) ${(e as Error).message}; got "${raw}"`);
      }
    }
    out[key] = value;
  }
  Object.assign(out, opts.overrides ?? {});
  if (out.dataDir === '') out.dataDir = PROJECT_DATA_DIR;
  return Object.freeze(out) as Config;
}

/**
 * The default data directory: data/ in the project root, not under the
 * working directory, so that `npx parley` run from a subfolder finds the server's database instead of making an empty one.
 */
export const PROJECT_DATA_DIR = join(projectRoot, 'data');

const MASK = '***';

/** The configuration as `parley config` prints it: credentials masked, as are passwords inside URLs (database, bus). */
export function printableConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(settings) as [ConfigKey, Setting<unknown>][]) {
    const value = config[key];
    if (s.secret && value !== '') out[key] = MASK;
    else if (typeof value === 'string') out[key] = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, `$1${MASK}@`);
    else out[key] = value;
  }
  return out;
}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const known = new Set(Object.values(settings).map((s) => s.flag));
  const map = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!known.has(name)) continue;
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`flag ${name} needs a value`);
    map.set(name, value);
  }
  return map;
}

/** The settings table as Markdown (README and `parley config`). */
export function settingsTable(): string {
  const rows = Object.values(settings).map((s) => `| \`${s.env}\` | \`${s.flag}\` | \`${JSON.stringify(s.default)}\` | ${s.description} |`);
  return ['| env | flag | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export const settingFlags = (): string[] => Object.values(settings).map((s) => s.flag);
