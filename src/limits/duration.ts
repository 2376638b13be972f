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

const DAY_MS = 86_400_000;
/** 1970-01-01 was a Thursday: weeks start on the Monday three days before. */
const MONDAY_OFFSET_MS = 3 * DAY_MS;

/**
 * The calendar period of `duration` that contains `nowMs`, aligned in UTC (days at midnight, weeks on Monday, months
 * on the 1st, `Nd` in blocks of N days since 1970-01-01), so every instance names the same period without talking.
 * Returns [start, end) in ms. Throws on an invalid string.
 */
export function periodOf(nowMs: number, duration: string): [number, number] {
  const match = PATTERN.exec(duration.trim());
  if (match === null) throw new Error(`Invalid duration ${JSON.stringify(duration)}: expected e.g. 30s, 10m, 24h, 7d, 2w, 1mo`);
  const amount = Math.max(1, Number(match[1]));
  const unit = match[2]!;
  if (unit === 'mo') {
    const date = new Date(nowMs);
    const index = Math.floor(((date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth()) / amount) * amount;
    return [Date.UTC(1970, index, 1), Date.UTC(1970, index + amount, 1)];
  }
  const length = amount * UNIT_MS[unit]!;
  const offset = unit === 'w' ? MONDAY_OFFSET_MS : 0;
  const start = Math.floor((nowMs + offset) / length) * length - offset;
  return [start, start + length];
}
