// Structured logging: one root logger per process, a child per component, secrets redacted.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import winston from 'winston';

export type Logger = winston.Logger;

const SECRET_KEY = /(pass(word)?|secret|token|pairkey|private|^key$)/i;

/** Replaces values of secret-looking fields so they never reach a log. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    info[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(info[key]);
  }
  const err = info.err;
  if (err instanceof Error) info.err = { message: err.message, code: (err as { code?: unknown }).code };
  return info;
});

export interface LoggerOptions {
  level?: string;
  /** JSON-lines log file; created with its folder. */
  file?: string;
  /** Written before each console line, e.g. "primary". */
  label?: string;
  console?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const transports: winston.transport[] = [];
  if (opts.console !== false) {
    transports.push(
      new winston.transports.Console({
        stderrLevels: ['error', 'warn', 'info', 'debug'],
        format: winston.format.combine(
          winston.format.timestamp(),
          winston.format.printf((info) => {
            const { level, message, timestamp, component, ...rest } = info as Record<string, unknown>;
            const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
            const who = [opts.label, component].filter(Boolean).join('/');
            return `${String(timestamp)} ${String(level).padEnd(5)} ${who ? `[${who}] ` : ''}${String(message)}${extra}`;
          }),
        ),
      }),
    );
  }
  if (opts.file) {
    mkdirSync(dirname(opts.file), { recursive: true });
    transports.push(
      new winston.transports.File({
        filename: opts.file,
        format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      }),
    );
  }
  return winston.createLogger({
    level: opts.level ?? 'info',
    format: redactFormat(),
    transports,
  });
}

/** A logger that writes nothing (unit tests, pure helpers). */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });
}
