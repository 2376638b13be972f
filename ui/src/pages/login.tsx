// Login: the master key or a virtual key, or UI_USERNAME / UI_PASSWORD.
import { useState } from 'preact/hooks';
import { post, type SessionInfo } from '../api';
import { ErrorLine } from '../components/widgets';

export function LoginPage(props: { onLogin: (session: SessionInfo) => void }) {
  const [mode, setMode] = useState<'key' | 'password'>('key');
  const [apiKey, setApiKey] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setError(null);
    try {
      const body = mode === 'key' ? { api_key: apiKey } : { username, password };
      props.onLogin(await post<SessionInfo>('/ui/api/login', body));
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <div class="login">
      <form onSubmit={submit} class="card">
        <h1>Sluice admin</h1>
        <div class="tabs">
          <button type="button" class={mode === 'key' ? 'active' : ''} onClick={() => setMode('key')}>Key</button>
          <button type="button" class={mode === 'password' ? 'active' : ''} onClick={() => setMode('password')}>Username</button>
        </div>
        {mode === 'key' ? (
          <label class="field">
            <span>Master key or virtual key</span>
            <input name="api_key" type="password" autoComplete="off" value={apiKey} onInput={(e) => setApiKey(e.currentTarget.value)} placeholder="sk-…" />
          </label>
        ) : (
          <>
            <label class="field"><span>Username</span><input name="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} /></label>
            <label class="field"><span>Password</span><input name="password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} /></label>
          </>
        )}
        <ErrorLine error={error} />
        <button type="submit" class="primary">Log in</button>
      </form>
    </div>
  );
}
