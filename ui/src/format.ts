// Formatting and export helpers shared by the screens.
export function money(value: unknown): string {
  const n = Number(value ?? 0);
  return n === 0 ? '$0' : n < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(2)}`;
}

export function count(value: unknown): string {
  return Number(value ?? 0).toLocaleString('en-US');
}

export function when(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace('T', ' ').slice(0, 19);
}

export function shortToken(token: unknown): string {
  const text = String(token ?? '');
  return text.length > 12 ? `${text.slice(0, 6)}…${text.slice(-4)}` : text;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function daysAgo(days: number): string {
  return isoDay(new Date(Date.now() - days * 86_400_000));
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Downloads rows as a CSV file built in the browser (no server round trip). */
export function downloadCsv(name: string, header: string[], rows: unknown[][]): void {
  const text = [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Parses a comma-separated list field; empty → undefined so the server keeps its default. */
export function list(text: string): string[] | undefined {
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return items.length === 0 ? undefined : items;
}

export function num(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}
