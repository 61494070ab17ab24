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
 * Structured JSON logs (pino, Fastify's own logger); secrets are redacted:
 * credential query parameters in every logged URL and message text, and
 * credential headers wherever headers are logged. `destination` lets tests
 * read what would be written.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: headerRedactPaths(),
    serializers: {
      // Fastify takes this in place of its own (same fields), for every line that logs a request.
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
    },
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
