// The admin UI's shell: session check, login, navigation between screens (History API under /ui/).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post, setCsrf, type SessionInfo } from './api';
import { CustomersPage } from './pages/customers';
import { KeysPage } from './pages/keys';
import { LoginPage } from './pages/login';
import { LogsPage } from './pages/logs';
import { ModelsPage } from './pages/models';
import { SettingsPage } from './pages/settings';
import { TeamsPage } from './pages/teams';
import { UsagePage } from './pages/usage';
import { UsersPage } from './pages/users';
import './styles.css';

const SCREENS = [
  { path: 'keys', label: 'Keys', admin: false },
  { path: 'usage', label: 'Usage', admin: false },
  { path: 'logs', label: 'Logs', admin: false },
  { path: 'teams', label: 'Teams', admin: true },
  { path: 'users', label: 'Users', admin: true },
  { path: 'customers', label: 'Customers', admin: true },
  { path: 'models', label: 'Models', admin: true },
  { path: 'settings', label: 'Settings', admin: true },
] as const;

type Screen = (typeof SCREENS)[number]['path'];

function currentScreen(): Screen {
  const name = location.pathname.replace(/^\/ui\/?/, '').split('/')[0] ?? '';
  return (SCREENS.find((screen) => screen.path === name)?.path ?? 'keys') as Screen;
}

function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [screen, setScreen] = useState<Screen>(currentScreen());

  useEffect(() => {
    get<SessionInfo>('/ui/api/session').then(accept, () => setSession(null));
    const onPop = (): void => setScreen(currentScreen());
    const onUnauthorized = (): void => setSession(null);
    window.addEventListener('popstate', onPop);
    window.addEventListener('sluice:unauthorized', onUnauthorized);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('sluice:unauthorized', onUnauthorized);
    };
  }, []);

  function accept(info: SessionInfo): void {
    setCsrf(info.csrf);
    setSession(info);
  }

  function go(next: Screen): void {
    history.pushState(null, '', `/ui/${next}`);
    setScreen(next);
  }

  async function logout(): Promise<void> {
    await post('/ui/api/logout', {}).catch(() => undefined);
    setSession(null);
  }

  if (session === undefined) return <div class="loading">Loading…</div>;
  if (session === null) return <LoginPage onLogin={accept} />;
  const admin = session.role === 'admin';
  const visible = SCREENS.filter((item) => admin || !item.admin);
  const active = visible.some((item) => item.path === screen) ? screen : 'keys';
  return (
    <div class="shell">
      <nav class="sidebar">
        <div class="brand">Sluice</div>
        {visible.map((item) => (
          <a href={`/ui/${item.path}`} class={item.path === active ? 'active' : ''} onClick={(event) => { event.preventDefault(); go(item.path); }}>
            {item.label}
          </a>
        ))}
        <div class="who">
          <div>{session.user}</div>
          <div class="muted">{admin ? 'admin' : 'key (read-only)'}</div>
          <button class="ghost" onClick={logout}>Log out</button>
        </div>
      </nav>
      <main>
        {active === 'keys' && <KeysPage session={session} />}
        {active === 'usage' && <UsagePage session={session} />}
        {active === 'logs' && <LogsPage session={session} />}
        {active === 'teams' && <TeamsPage />}
        {active === 'users' && <UsersPage />}
        {active === 'customers' && <CustomersPage />}
        {active === 'models' && <ModelsPage />}
        {active === 'settings' && <SettingsPage />}
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
