// Logs: the spend log with filters and paging; a row opens the request's detail (never a secret: the server masks).
import { useEffect, useState } from 'preact/hooks';
import { get, type SessionInfo } from '../api';
import { ErrorLine, Modal, Pager } from '../components/widgets';
import { count, money, shortToken, when } from '../format';

type Log = Record<string, unknown>;
interface Page { data: Log[]; total: number; page: number; total_pages: number }

const EMPTY = { start_date: '', end_date: '', api_key: '', team_id: '', model: '', status_filter: '' };

function keyLabel(row: Log) {
  const alias = (row.metadata as { user_api_key_alias?: string } | null)?.user_api_key_alias;
  return alias ? <span title={String(row.api_key)}>{alias}</span> : <code>{shortToken(row.api_key)}</code>;
}

export function LogsPage(props: { session: SessionInfo }) {
  const admin = props.session.role === 'admin';
  const [filters, setFilters] = useState(EMPTY);
  const [applied, setApplied] = useState(EMPTY);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page | null>(null);
  const [detail, setDetail] = useState<Log | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    get<Page>('/spend/logs/ui', { ...applied, page, page_size: 25 }).then(setData, (e: Error) => setError(e.message));
  }, [applied, page]);

  function open(requestId: string): void {
    get<Page>('/spend/logs/ui', { request_id: requestId }).then((r) => setDetail(r.data[0] ?? null), (e: Error) => setError(e.message));
  }

  const set = (name: keyof typeof EMPTY) => (event: Event) => setFilters({ ...filters, [name]: (event.currentTarget as HTMLInputElement).value });
  return (
    <section>
      <header class="page-head"><h1>Logs</h1></header>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); setPage(1); setApplied(filters); }}>
        <label>From <input type="date" value={filters.start_date} onChange={set('start_date')} /></label>
        <label>To <input type="date" value={filters.end_date} onChange={set('end_date')} /></label>
        {admin && <input placeholder="Key (sk-… or token)" value={filters.api_key} onInput={set('api_key')} />}
        {admin && <input placeholder="Team id" value={filters.team_id} onInput={set('team_id')} />}
        <input placeholder="Model" value={filters.model} onInput={set('model')} />
        <select value={filters.status_filter} onChange={set('status_filter')}><option value="">Any status</option><option value="success">Success</option><option value="failure">Failure</option></select>
        <button type="submit" class="primary">Apply</button>
      </form>
      <ErrorLine error={error} />
      <table class="table clickable" data-testid="logs-table">
        <thead><tr><th>Time</th><th>Request id</th><th>Model</th><th>Provider</th><th>Key</th><th>Team</th><th>Tokens</th><th>Cost</th><th>Latency</th><th>Status</th></tr></thead>
        <tbody>
          {data?.data.map((row) => (
            <tr onClick={() => open(String(row.request_id))}>
              <td>{when(row.startTime)}</td><td><code>{shortToken(row.request_id)}</code></td><td>{String(row.model_group || row.model || '—')}</td>
              <td>{String(row.custom_llm_provider || '—')}</td><td>{keyLabel(row)}</td><td>{String(row.team_id ?? '—')}</td>
              <td>{count(row.total_tokens)}</td><td>{money(row.spend)}</td><td>{row.request_duration_ms == null ? '—' : `${String(row.request_duration_ms)} ms`}</td>
              <td>{row.status === 'failure' ? <span class="badge bad">failure</span> : <span class="badge good">{String(row.status ?? 'success')}</span>}</td>
            </tr>
          ))}
          {data !== null && data.data.length === 0 && <tr><td colSpan={10} class="empty">No requests match.</td></tr>}
        </tbody>
      </table>
      {data !== null && <Pager page={page} pages={data.total_pages} total={data.total} onPage={setPage} />}
      {detail !== null && <LogDetail log={detail} onClose={() => setDetail(null)} />}
    </section>
  );
}

function LogDetail(props: { log: Log; onClose: () => void }) {
  const log = props.log;
  const rows: Array<[string, unknown]> = [
    ['Request id', log.request_id], ['Call type', log.call_type], ['Model group', log.model_group], ['Model', log.model], ['Deployment id', log.model_id],
    ['Provider', log.custom_llm_provider], ['API base', log.api_base], ['Key (token)', log.api_key], ['Team', log.team_id], ['User', log.user], ['End user', log.end_user],
    ['Prompt tokens', log.prompt_tokens], ['Completion tokens', log.completion_tokens], ['Cost', money(log.spend)], ['Started', when(log.startTime)],
    ['Latency', log.request_duration_ms == null ? '—' : `${String(log.request_duration_ms)} ms`], ['Cache hit', log.cache_hit || 'no'], ['Status', log.status ?? 'success'],
  ];
  const messages = log.messages !== null && typeof log.messages === 'object' && Object.keys(log.messages).length > 0;
  return (
    <Modal title="Request" onClose={props.onClose}>
      <dl class="detail">{rows.map(([name, value]) => <><dt>{name}</dt><dd>{value === null || value === undefined || value === '' ? '—' : String(value)}</dd></>)}</dl>
      <h3>Metadata</h3>
      <pre>{JSON.stringify(log.metadata ?? {}, null, 2)}</pre>
      {messages ? <><h3>Messages</h3><pre>{JSON.stringify(log.messages, null, 2)}</pre><h3>Response</h3><pre>{JSON.stringify(log.response, null, 2)}</pre></> : <p class="muted">Message bodies are not logged (enable store_prompts_in_spend_logs to keep them).</p>}
    </Modal>
  );
}
