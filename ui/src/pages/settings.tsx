// Settings: the running configuration, read-only, every secret masked by the server.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { ErrorLine } from '../components/widgets';

export function SettingsPage() {
  const [config, setConfig] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get('/config/running').then(setConfig, (e: Error) => setError(e.message));
  }, []);
  return (
    <section>
      <header class="page-head"><h1>Settings</h1><span class="muted">read-only · secrets masked</span></header>
      <ErrorLine error={error} />
      <pre class="config" data-testid="config">{config === null ? 'Loading…' : JSON.stringify(config, null, 2)}</pre>
    </section>
  );
}
