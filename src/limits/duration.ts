// LiteLLM's `budget_duration` strings (`30s`, `10m`, `24h`, `7d`, `2w`, `1mo`) → the next reset time.

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PATTERN = /^(\d+)\s*(mo|s|m|h|d|w)$/;

/** True for strings LiteLLM accepts. */
export function isDuration(value: string): boolean {
  return PATTERN.test(value.trim());
}

/** The time `duration` after `fromMs`; months are calendar months. Throws on an invalid string. */
export function addDuration(fromMs: number, duration: string): number {
  const match = PATTERN.exec(duration.trim());
  if (match === null) throw new Error(`Invalid duration ${JSON.stringify(duration)}: expected e.g. 30s, 10m, 24h, 7d, 2w, 1mo`);
  const amount = Number(match[1]);
  const unit = match[2]!;
  if (unit === 'mo') {
    const date = new Date(fromMs);
    date.setUTCMonth(date.getUTCMonth() + amount);
    return date.getTime();
  }
  return fromMs + amount * UNIT_MS[unit]!;
}
