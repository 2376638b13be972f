// Usage: spend, requests and tokens per day from the daily aggregate tables, broken down by key, team, model or
// provider, as charts and a table, with CSV export.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, type SessionInfo } from '../api';
import { DayChart } from '../components/chart';
import { ErrorLine } from '../components/widgets';
import { count, daysAgo, downloadCsv, isoDay, money, shortToken } from '../format';

interface Metrics { spend: number; api_requests: number; total_tokens: number; prompt_tokens: number; completion_tokens: number; failed_requests?: number }
interface Day { date: string; metrics: Metrics; breakdown: Record<string, Record<string, { metrics?: Metrics; spend?: number; api_requests?: number; total_tokens?: number }>> }
type Dimension = 'api_keys' | 'teams' | 'users' | 'models' | 'providers';

const DIMENSIONS: Record<Dimension, string> = { api_keys: 'Key', teams: 'Team', users: 'User', models: 'Model', providers: 'Provider' };
/** Dimensions served by their own daily table (admin only); the others come with /user/daily/activity. */
const OWN_TABLE: Partial<Record<Dimension, string>> = { teams: '/team/daily/activity', users: '/user/daily/activity/users' };

function metricsOf(entry: { metrics?: Metrics; spend?: number; api_requests?: number; total_tokens?: number }): { spend: number; requests: number; tokens: number } {
  const m = entry.metrics;
  return m !== undefined ? { spend: m.spend, requests: m.api_requests, tokens: m.total_tokens } : { spend: entry.spend ?? 0, requests: entry.api_requests ?? 0, tokens: entry.total_tokens ?? 0 };
}

/** Every day of the range, so gaps show as zero rather than being joined over. */
function dayRange(start: string, end: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`) && days.length < 400; t += 86_400_000) days.push(isoDay(new Date(t)));
  return days;
}

export function UsagePage(props: { session: SessionInfo }) {
  const admin = props.session.role === 'admin';
  const [start, setStart] = useState(daysAgo(29));
  const [end, setEnd] = useState(isoDay(new Date()));
  const [dimension, setDimension] = useState<Dimension>('models');
  const [days, setDays] = useState<Day[]>([]);
  const [groupDays, setGroupDays] = useState<Day[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [aliases, setAliases] = useState<Map<string, string>>(new Map());

  useEffect(() => {
    get<{ keys: Array<{ token: string; key_alias: string | null }> }>('/key/list', { return_full_object: 'true', size: 1000 })
      .then((r) => setAliases(new Map(r.keys.filter((k) => k.key_alias).map((k) => [k.token, k.key_alias as string]))), () => undefined);
  }, []);

  useEffect(() => {
    setError(null);
    get<{ results: Day[] }>('/user/daily/activity', { start_date: start, end_date: end }).then((r) => setDays(r.results), (e: Error) => setError(e.message));
  }, [start, end]);

  useEffect(() => {
    const path = OWN_TABLE[dimension];
    if (admin && path !== undefined) get<{ results: Day[] }>(path, { start_date: start, end_date: end }).then((r) => setGroupDays(r.results), (e: Error) => setError(e.message));
  }, [start, end, dimension]);

  const axis = useMemo(() => dayRange(start, end), [start, end]);
  const byDay = useMemo(() => new Map(days.map((day) => [day.date, day])), [days]);
  const charts = useMemo(() => ({
    spend: [{ label: 'Spend', values: axis.map((d) => byDay.get(d)?.metrics.spend ?? 0) }],
    requests: [{ label: 'Requests', values: axis.map((d) => byDay.get(d)?.metrics.api_requests ?? 0) }, { label: 'Failed', values: axis.map((d) => byDay.get(d)?.metrics.failed_requests ?? 0) }],
    tokens: [{ label: 'Prompt', values: axis.map((d) => byDay.get(d)?.metrics.prompt_tokens ?? 0) }, { label: 'Completion', values: axis.map((d) => byDay.get(d)?.metrics.completion_tokens ?? 0) }],
  }), [axis, byDay]);

  const breakdown = useMemo(() => {
    const source = OWN_TABLE[dimension] !== undefined ? groupDays : days;
    const totals = new Map<string, { spend: number; requests: number; tokens: number }>();
    for (const day of source) {
      for (const [name, entry] of Object.entries(day.breakdown[dimension] ?? {})) {
        const m = metricsOf(entry);
        const sum = totals.get(name) ?? { spend: 0, requests: 0, tokens: 0 };
        totals.set(name, { spend: sum.spend + m.spend, requests: sum.requests + m.requests, tokens: sum.tokens + m.tokens });
      }
    }
    return [...totals.entries()].sort((a, b) => b[1].spend - a[1].spend);
  }, [days, groupDays, dimension]);

  const total = days.reduce((sum, day) => ({ spend: sum.spend + day.metrics.spend, requests: sum.requests + day.metrics.api_requests, tokens: sum.tokens + day.metrics.total_tokens }), { spend: 0, requests: 0, tokens: 0 });

  function exportCsv(): void {
    const rows: unknown[][] = [];
    const source = OWN_TABLE[dimension] !== undefined ? groupDays : days;
    for (const day of source) for (const [name, entry] of Object.entries(day.breakdown[dimension] ?? {})) {
      const m = metricsOf(entry);
      rows.push([day.date, dimension === 'api_keys' ? (aliases.get(name) ?? name) : name, m.spend, m.requests, m.tokens]);
    }
    downloadCsv(`sluice-usage-${dimension}-${start}-${end}.csv`, ['date', DIMENSIONS[dimension].toLowerCase(), 'spend', 'requests', 'tokens'], rows);
  }

  return (
    <section>
      <header class="page-head">
        <h1>Usage</h1>
        <label>From <input type="date" value={start} onChange={(e) => setStart(e.currentTarget.value)} /></label>
        <label>To <input type="date" value={end} onChange={(e) => setEnd(e.currentTarget.value)} /></label>
        {[7, 30, 90].map((n) => <button onClick={() => { setStart(daysAgo(n - 1)); setEnd(isoDay(new Date())); }}>{n}d</button>)}
      </header>
      <ErrorLine error={error} />
      <div class="stats">
        <div class="stat"><span>Spend</span><strong data-testid="usage-spend">{money(total.spend)}</strong></div>
        <div class="stat"><span>Requests</span><strong data-testid="usage-requests">{count(total.requests)}</strong></div>
        <div class="stat"><span>Tokens</span><strong>{count(total.tokens)}</strong></div>
      </div>
      <div class="charts">
        <DayChart title="Spend per day ($)" days={axis} series={charts.spend} format={(v) => `$${v.toFixed(v < 1 ? 4 : 2)}`} bars />
        <DayChart title="Requests per day" days={axis} series={charts.requests} />
        <DayChart title="Tokens per day" days={axis} series={charts.tokens} />
      </div>
      <header class="page-head">
        <h2>By {DIMENSIONS[dimension].toLowerCase()}</h2>
        <select value={dimension} onChange={(e) => setDimension(e.currentTarget.value as Dimension)}>
          {(Object.keys(DIMENSIONS) as Dimension[]).filter((d) => admin || OWN_TABLE[d] === undefined).map((d) => <option value={d}>{DIMENSIONS[d]}</option>)}
        </select>
        <button onClick={exportCsv}>Export CSV</button>
      </header>
      <table class="table" data-testid="usage-table">
        <thead><tr><th>{DIMENSIONS[dimension]}</th><th>Spend</th><th>Requests</th><th>Tokens</th><th>Share</th></tr></thead>
        <tbody>
          {breakdown.map(([name, m]) => (
            <tr><td>{dimension === 'api_keys' ? <span title={name}>{aliases.get(name) ?? shortToken(name)}</span> : <code>{name}</code>}</td><td>{money(m.spend)}</td><td>{count(m.requests)}</td><td>{count(m.tokens)}</td>
              <td><div class="bar"><div class="fill ok" style={{ width: `${total.spend > 0 ? (m.spend / total.spend) * 100 : 0}%` }} /></div></td></tr>
          ))}
          {breakdown.length === 0 && <tr><td colSpan={5} class="empty">No usage in this range.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
