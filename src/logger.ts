import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';
import { headerRedactPaths, redactUrls } from './log-redaction.ts';

interface RequestLike {
  method?: string;
  url?: string;
  ip?: string;
  host?: string;
  id?: unknown;
  socket?: { remotePort?: number };
}

/**
 * The request and error serializers: credential query parameters become
 * [Redacted]. Fastify takes `req` in place of its own (same fields) for every
 * line that logs a request; src/http/app.ts applies them to whatever logger
 * it is given, so a logger made elsewhere redacts too.
 */
export const logSerializers = {
  req: (req: RequestLike) => ({
    method: req.method,
    url: typeof req.url === 'string' ? redactUrls(req.url) : req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
  err: (err: Error) => {
    const out = pino.stdSerializers.err(err);
    if (typeof out.message === 'string') out.message = redactUrls(out.message);
    if (typeof out.stack === 'string') out.stack = redactUrls(out.stack);
    return out;
  },
};

/**
 * Structured JSON logs (pino, Fastify's own logger); secrets are redacted:
 * credential query parameters in every logged URL and message text, and
 * credential headers wherever headers are logged. `destination` lets tests
 * read what would be written.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: headerRedactPaths(),
    serializers: logSerializers,
    hooks: {
      // Message texts too: Fastify logs "Route GET:/v1/x?token=… not found".
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) if (typeof args[i] === 'string') args[i] = redactUrls(args[i] as string);
        method.apply(this, args as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
