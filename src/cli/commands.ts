// The `parley` admin commands. Each is a small function over core; output is
// JSON on stdout so scripts can read it.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, printableConfig, settingFlags, settingsTable, type Config } from '../config.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { openEngine } from '../store/open.ts';
import { backupCommands } from './backup.ts';
import { resolveApp, withCore } from './context.ts';
import { UsageError } from './usage-error.ts';

export interface Command {
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[], config: Config): Promise<void>;
}

const print = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');
const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

function needed(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = str(values[name]);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export { UsageError };

export const commands: Record<string, Command> = {
  serve: {
    usage: 'parley serve [settings flags]',
    summary: 'Start the server (HTTP API, dialects, WebSocket gateway).',
    options: {},
    run: async () => {
      throw new Error('serve is handled by main');
    },
  },
  migrate: {
    usage: 'parley migrate',
    summary: 'Bring the configured database schema up to date.',
    options: {},
    async run(_v, _p, config) {
      const engine = openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
      try {
        print({ engine: engine.name, ...(await migrateToLatest(engine)) });
      } finally {
        await engine.close();
      }
    },
  },
  config: {
    usage: 'parley config',
    summary: 'Print every setting (env, flag, default, meaning) and the values in effect.',
    options: {},
    async run(_v, _p, config) {
      process.stdout.write(settingsTable() + '\n\n');
      print(printableConfig(config));
    },
  },
  'app create': {
    usage: 'parley app create --name NAME',
    summary: 'Create an app (tenant) and an admin token for it.',
    options: { name: { type: 'string' } },
    async run(values, _p, config) {
      const name = needed(values, 'name');
      await withCore(config, async (core) => {
        const app = await core.apps.create(name);
        const { token } = await core.tokens.issue({ appId: app.id, kind: 'admin' });
        print({ id: app.id, name: app.name, adminToken: token });
      });
    },
  },
  'app list': {
    usage: 'parley app list',
    summary: 'List apps.',
    options: {},
    async run(_v, _p, config) {
      await withCore(config, async (core) => print((await core.apps.list()).map(({ id, name, createdAt }) => ({ id, name, createdAt }))));
    },
  },
  'user create': {
    usage: 'parley user create --handle NAME [--display-name TEXT] [--password PW] [--app ID]',
    summary: 'Create a user in an app (the default app unless --app).',
    options: { handle: { type: 'string' }, 'display-name': { type: 'string' }, password: { type: 'string' }, app: { type: 'string' } },
    async run(values, _p, config) {
      const handle = needed(values, 'handle');
      await withCore(config, async (core) => {
        const appId = await resolveApp(core, str(values.app));
        const displayName = str(values['display-name']);
        const password = str(values.password);
        print(await core.users.create(appId, { handle, ...(displayName ? { displayName } : {}), ...(password ? { password } : {}) }));
      });
    },
  },
  'token issue': {
    usage: 'parley token issue (--user ID | --handle NAME | --admin) [--ttl SECONDS] [--app ID]',
    summary: 'Issue a user token or an app-admin token and print it.',
    options: { user: { type: 'string' }, handle: { type: 'string' }, admin: { type: 'boolean' }, ttl: { type: 'string' }, app: { type: 'string' } },
    async run(values, _p, config) {
      const ttl = str(values.ttl);
      if (ttl !== undefined && !/^[0-9]+$/.test(ttl)) throw new UsageError('--ttl must be a number of seconds');
      await withCore(config, async (core) => {
        const appId = await resolveApp(core, str(values.app));
        let userId: number | null = null;
        if (!values.admin) {
          const handle = str(values.handle);
          if (handle) userId = (await core.users.getByHandle(appId, handle)).id;
          else userId = Number(needed(values, 'user'));
        }
        const { token, record } = await core.tokens.issue({
          appId,
          kind: values.admin ? 'admin' : 'user',
          userId,
          ...(ttl === undefined ? {} : { ttlSeconds: Number(ttl) }),
        });
        print({ id: record.id, token, kind: record.kind, userId: record.userId, expiresAt: record.expiresAt });
      });
    },
  },
  'token revoke': {
    usage: 'parley token revoke (TOKEN | --id ID) [--app ID]',
    summary: 'Revoke a token by its value or id.',
    options: { id: { type: 'string' }, app: { type: 'string' } },
    async run(values, positionals, config) {
      const id = str(values.id);
      const token = positionals[0];
      if (!id && !token) throw new UsageError('give the token, or --id');
      await withCore(config, async (core) => {
        const appId = await resolveApp(core, str(values.app));
        if (id) await core.tokens.revokeById(appId, Number(id));
        else await core.tokens.revokeToken(appId, token);
        print({ revoked: true });
      });
    },
  },
  ...backupCommands,
  'webhooks add': {
    usage: 'parley webhooks add --url URL --events messages,revokes,… [--secret SECRET] [--app ID]',
    summary: "Register a webhook endpoint for an app's events; prints it with its signing secret.",
    options: { url: { type: 'string' }, events: { type: 'string' }, secret: { type: 'string' }, app: { type: 'string' } },
    async run(values, _p, config) {
      const url = needed(values, 'url');
      const categories = needed(values, 'events').split(',').map((c) => c.trim()).filter((c) => c !== '');
      const secret = str(values.secret);
      await withCore(config, async (core) => {
        const appId = await resolveApp(core, str(values.app));
        print(await core.webhooks.addEndpoint(appId, { url, categories, ...(secret !== undefined ? { secret } : {}) }));
      });
    },
  },
  'webhooks list': {
    usage: 'parley webhooks list [--app ID]',
    summary: "List an app's webhook endpoints with their health (secrets are not shown).",
    options: { app: { type: 'string' } },
    async run(values, _p, config) {
      await withCore(config, async (core) => {
        const appId = await resolveApp(core, str(values.app));
        print((await core.webhooks.listEndpoints(appId)).map(({ secret: _secret, ...shown }) => shown));
      });
    },
  },
  'webhooks remove': {
    usage: 'parley webhooks remove ID [--app ID]',
    summary: 'Remove a webhook endpoint and the deliveries still waiting for it.',
    options: { app: { type: 'string' } },
    async run(values, positionals, config) {
      const id = Number(positionals[0]);
      if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError('give the endpoint id');
      await withCore(config, async (core) => {
        await core.webhooks.removeEndpoint(await resolveApp(core, str(values.app)), id);
        print({ removed: true });
      });
    },
  },
};

/** Splits argv into the command, its own options, and settings flags. */
export function parseCommand(argv: string[]): { name: string; command: Command; values: Record<string, string | boolean | undefined>; positionals: string[]; config: Config; help: boolean } {
  const two = `${argv[0] ?? ''} ${argv[1] ?? ''}`;
  const name = commands[two] ? two : (argv[0] ?? 'serve');
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${argv[0]}"`);
  const rest = argv.slice(name.split(' ').length);
  const settingOptions = Object.fromEntries(settingFlags().map((f) => [f.slice(2), { type: 'string' as const }]));
  const { values, positionals } = parseArgs({
    args: rest,
    options: { ...settingOptions, ...command.options, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  const all = values as Record<string, string | boolean | undefined>;
  const settingArgs = Object.keys(settingOptions).flatMap((k) => (all[k] === undefined ? [] : [`--${k}`, String(all[k])]));
  const config = loadConfig({ argv: settingArgs });
  return { name, command, values: all, positionals, config, help: Boolean(all.help) };
}

export function usage(): string {
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(14)} ${c.summary}`);
  return `usage: parley <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nEvery command also takes the settings flags (parley config lists them); --help on a command shows its usage.`;
}
