// Models: every deployment with its provider and api_base (secrets masked by the server), its live routing state
// (health, cooldown, recent p50 latency and error rate, from the data plane) and the last hour from the spend log.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { ErrorLine } from '../components/widgets';
import { shortToken, when } from '../format';

type Recent = { requests: number; failures: number; meanLatencyMs: number | null };
type Router = {
  health: 'healthy' | 'unhealthy' | 'unknown'; health_error: string | null; health_checked_at: string | null; cooldown_until: string | null;
  in_flight: number; requests: number; failures: number; error_rate: number | null; latency_p50_ms: number | null; processes: number;
};
type Deployment = {
  recent: Recent | null; router: Router | null; model_name: string; provider: string | null; api_base: string | null; timeout_ms: number | null;
  model_info: Record<string, unknown>; litellm_params: Record<string, unknown>;
};

function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)}%`;
}

function Health(props: { router: Router | null }) {
  const router = props.router;
  if (router === null || router.health === 'unknown') return <span class="muted" title="No health check has run (general_settings.background_health_checks, or GET /health)">—</span>;
  const checked = `checked ${when(router.health_checked_at)} UTC`;
  return router.health === 'healthy'
    ? <span class="badge good" title={checked}>healthy</span>
    : <span class="badge bad" title={`${router.health_error ?? 'failed'} (${checked})`}>unhealthy</span>;
}

function Cooldown(props: { router: Router | null }) {
  const until = props.router?.cooldown_until ?? null;
  if (props.router === null) return <span class="muted">—</span>;
  if (until === null) return <span class="muted">no</span>;
  return <span class="badge bad" title={`Out of every pick until ${when(until)} UTC`}>until {new Date(until).toLocaleTimeString()}</span>;
}

function ErrorRate(props: { router: Router | null }) {
  const router = props.router;
  if (router === null || router.error_rate === null) return <span class="muted">—</span>;
  return <span class={`badge ${router.error_rate > 0.05 ? 'bad' : 'good'}`} title={`${router.failures} of ${router.requests} attempts failed in the last 1–2 minutes`}>{(router.error_rate * 100).toFixed(1)}%</span>;
}

function LastHour(props: { recent: Recent | null }) {
  const recent = props.recent;
  if (recent === null || recent.requests === 0) return <span class="muted">{recent === null ? '—' : 'no requests'}</span>;
  const mean = recent.meanLatencyMs === null ? '' : ` · ${recent.meanLatencyMs} ms`;
  return <span title="Requests · errors · mean latency, from the spend log">{recent.requests} · {percent(recent.failures, recent.requests)}{mean}</span>;
}

export function ModelsPage() {
  const [rows, setRows] = useState<Deployment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const load = () => get<{ data: Deployment[] }>('/v2/model/info').then((r) => {
    setRows(r.data);
    setLoadedAt(new Date());
    setError(null);
  }, (e: Error) => setError(e.message));
  useEffect(() => void load(), []);
  const processes = rows.find((row) => row.router !== null)?.router?.processes ?? null;
  const live = rows.length === 0 ? '' : processes === null
    ? 'Live routing state is not available here: this control plane runs apart from the data plane (--role control).'
    : `Live routing state from ${processes} data-plane process${processes === 1 ? '' : 'es'}${loadedAt === null ? '' : `, as of ${loadedAt.toLocaleTimeString()}`}.`;
  return (
    <section>
      <header class="page-head"><h1>Models</h1><button onClick={() => void load()}>Refresh</button></header>
      <ErrorLine error={error} />
      <p class="muted" data-testid="models-live">{live}</p>
      <div class="scroll-x"><table class="table" data-testid="models-table">
        <thead><tr>
          <th>Model group</th><th>Deployment</th><th>Provider</th><th>API base</th><th>Health</th><th>Cooldown</th>
          <th title="Median of the recent attempts (time to first token for streams)">p50 latency</th><th title="Failed attempts, last 1–2 minutes">Error rate</th>
          <th title="Requests · errors · mean latency, from the spend log">Last hour</th><th>Timeout</th>
        </tr></thead>
        <tbody>
          {rows.map((row) => (
            <tr data-id={String(row.model_info.id ?? '')}>
              <td>{row.model_name}</td>
              <td><code title={String(row.model_info.id ?? '')}>{row.model_info.wildcard === true ? 'wildcard' : shortToken(row.model_info.id)}</code></td>
              <td>{row.provider ?? '—'}<div><code class="muted">{String(row.litellm_params.model ?? '—')}</code></div></td>
              <td class="wrap"><code>{row.api_base ?? 'provider default'}</code></td>
              <td data-col="health"><Health router={row.router} /></td>
              <td data-col="cooldown"><Cooldown router={row.router} /></td>
              <td data-col="p50">{row.router?.latency_p50_ms == null ? <span class="muted">—</span> : `${row.router.latency_p50_ms} ms`}</td>
              <td data-col="error-rate"><ErrorRate router={row.router} /></td>
              <td data-col="last-hour"><LastHour recent={row.recent} /></td>
              <td>{row.timeout_ms == null ? '—' : `${row.timeout_ms / 1000} s`}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </section>
  );
}
