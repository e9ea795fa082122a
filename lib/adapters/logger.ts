/** Structured JSON logs, one line each (CloudWatch's JSON log format reads them as fields). */
import type { Logger } from '../ports.ts';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = keyof typeof LEVELS;

export function jsonLogger(level: string = process.env['LOG_LEVEL'] ?? 'info', write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const threshold = LEVELS[(level as Level) in LEVELS ? (level as Level) : 'info'];
  const log = (lvl: Exclude<Level, 'silent'>) => (message: string, data: Record<string, unknown> = {}) => {
    if (LEVELS[lvl] >= threshold) write(JSON.stringify({ level: lvl, message, time: new Date().toISOString(), ...data }));
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
