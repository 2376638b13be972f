// Models: every deployment with its provider and api_base (secrets masked by the server).
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { ErrorLine } from '../components/widgets';
import { shortToken } from '../format';

type Recent = { requests: number; failures: number; meanLatencyMs: number | null };
type Deployment = { recent: Recent | null; model_name: string; provider: string | null; api_base: string | null; timeout_ms: number | null; model_info: Record<string, unknown>; litellm_params: Record<string, unknown> };

export function ModelsPage() {
  const [rows, setRows] = useState<Deployment[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<{ data: Deployment[] }>('/v2/model/info').then((r) => setRows(r.data), (e: Error) => setError(e.message));
  }, []);
  return (
    <section>
      <header class="page-head"><h1>Models</h1></header>
      <ErrorLine error={error} />
      <table class="table">
        <thead><tr><th>Model group</th><th>Deployment</th><th>Provider</th><th>Upstream model</th><th>API base</th><th>Timeout</th><th>Requests (1 h)</th><th>Error rate</th><th>Mean latency</th></tr></thead>
        <tbody>
          {rows.map((row) => (
            <tr><td>{row.model_name}</td><td><code title={String(row.model_info.id ?? "")}>{row.model_info.wildcard === true ? "wildcard" : shortToken(row.model_info.id)}</code></td><td>{row.provider ?? '—'}</td>
              <td><code>{String(row.litellm_params.model ?? '—')}</code></td><td><code>{row.api_base ?? 'provider default'}</code></td><td>{row.timeout_ms == null ? '—' : `${row.timeout_ms / 1000} s`}</td>
              <td>{row.recent?.requests ?? '—'}</td>
              <td>{row.recent == null || row.recent.requests === 0 ? '—' : <span class={`badge ${row.recent.failures / row.recent.requests > 0.05 ? 'bad' : 'good'}`}>{((row.recent.failures / row.recent.requests) * 100).toFixed(1)}%</span>}</td>
              <td>{row.recent?.meanLatencyMs == null ? '—' : `${row.recent.meanLatencyMs} ms`}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
