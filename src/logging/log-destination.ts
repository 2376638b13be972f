// The logger's output stream: scrubs known secrets from every line and, when `json_logs` is false, prints a compact line.
import pino from 'pino';

type Sink = ReturnType<typeof pino.destination>;

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** LiteLLM virtual/master keys look like `sk-…`; any that slip into a message are masked (compiled once). */
const SK_KEY = /\bsk-[A-Za-z0-9_-]{4,}/g;
const OMITTED_FIELDS: ReadonlySet<string> = new Set(['level', 'time', 'msg', 'pid', 'hostname']);
const MIN_SECRET_LENGTH = 6;

export class LogDestination {
  private readonly sink: Sink;
  private json = true;
  private secrets: string[] = [];

  constructor(sink: Sink) {
    this.sink = sink;
  }

  setJson(json: boolean): void {
    this.json = json;
  }

  /** Adds exact strings (provider keys, master key, database passwords) that must never be printed. */
  addSecrets(values: readonly string[]): void {
    const next = new Set(this.secrets);
    for (const value of values) if (value.length >= MIN_SECRET_LENGTH) next.add(value);
    // Longest first, so a secret that contains another is masked whole.
    this.secrets = [...next].sort((a, b) => b.length - a.length);
  }

  write(line: string): boolean {
    let text = line;
    for (const secret of this.secrets) if (text.includes(secret)) text = text.replaceAll(secret, '[REDACTED]');
    if (text.includes('sk-')) text = text.replace(SK_KEY, 'sk-[REDACTED]');
    return this.sink.write(this.json ? text : humanLine(text));
  }

  flush(): void {
    try {
      this.sink.flushSync();
    } catch {
      // Not yet open (nothing written): nothing to flush.
    }
  }
}

/** `2026-01-01T00:00:00.000Z INFO listening port=4000 role=all` from one pino JSON line. */
export function humanLine(jsonLine: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const level = LEVEL_NAMES[record.level as number] ?? String(record.level);
  let out = `${String(record.time ?? '')} ${level} ${String(record.msg ?? '')}`;
  for (const [key, value] of Object.entries(record)) {
    if (OMITTED_FIELDS.has(key)) continue;
    out += ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
  }
  return `${out}\n`;
}
