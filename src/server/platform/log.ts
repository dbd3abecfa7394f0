import { pino } from 'pino';

export type Logger = pino.Logger;

/** JSON logs to stderr (stdout stays free for command output such as `token create`). */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}
