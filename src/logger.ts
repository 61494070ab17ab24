import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';

/** Structured JSON logs (pino, Fastify's own logger); secrets are redacted. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers["access-token"]', 'req.headers.accesstoken', 'req.headers["fzm-signature"]'],
  });
}
