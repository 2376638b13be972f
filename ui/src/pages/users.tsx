// Users: list with role, spend and budget; create a user (optionally without a key).
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api';
import { ErrorLine, Field, Modal, SpendBar } from '../components/widgets';
import { num } from '../format';

type User = Record<string, unknown>;

export function UsersPage() {
  const [users, setUsers] = useState<User[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<User | null | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const [form, setForm] = useState({ user_id: '', user_email: '', user_role: 'internal_user', max_budget: '' });

  useEffect(() => {
    get<User[] | { users: User[] }>('/user/list').then((r) => setUsers(Array.isArray(r) ? r : r.users), (e: Error) => setError(e.message));
  }, [version]);

  function open(user: User | null): void {
    setForm({ user_id: String(user?.user_id ?? ''), user_email: String(user?.user_email ?? ''), user_role: String(user?.user_role ?? 'internal_user'), max_budget: user?.max_budget == null ? '' : String(user.max_budget) });
    setEditing(user);
  }

  async function run(action: () => Promise<unknown>): Promise<void> {
    setError(null);
    try {
      await action();
      setVersion(version + 1);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  function save(event: Event): void {
    event.preventDefault();
    const existing = editing;
    setEditing(undefined);
    const body = { user_id: form.user_id || undefined, user_email: form.user_email || undefined, user_role: form.user_role, max_budget: num(form.max_budget) };
    void run(() => (existing ? post('/user/update', { ...body, user_id: existing.user_id }) : post('/user/new', { ...body, auto_create_key: false })));
  }

  const set = (name: keyof typeof form) => (event: Event) => setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value });
  return (
    <section>
      <header class="page-head"><h1>Users</h1><button class="primary" onClick={() => open(null)}>+ Create user</button></header>
      <ErrorLine error={error} />
      <table class="table">
        <thead><tr><th>User id</th><th>Email</th><th>Role</th><th>Teams</th><th>Spend / budget</th><th /></tr></thead>
        <tbody>
          {users.map((user) => (
            <tr><td><code>{String(user.user_id)}</code></td><td>{String(user.user_email ?? '—')}</td><td>{String(user.user_role ?? '—')}</td>
              <td>{Array.isArray(user.teams) ? user.teams.join(', ') || '—' : '—'}</td><td><SpendBar spend={user.spend} budget={user.max_budget} /></td>
              <td class="row-actions"><button onClick={() => open(user)}>Edit</button>
                <button class="danger" onClick={() => confirm(`Delete user ${String(user.user_id)}?`) && run(() => post('/user/delete', { user_ids: [user.user_id] }))}>Delete</button></td></tr>
          ))}
          {users.length === 0 && <tr><td colSpan={6} class="empty">No users.</td></tr>}
        </tbody>
      </table>
      {editing !== undefined && (
        <Modal title={editing === null ? 'Create user' : `Edit ${String(editing.user_id)}`} onClose={() => setEditing(undefined)}>
          <form class="grid-form" onSubmit={save}>
            <Field label="User id"><input value={form.user_id} onInput={set('user_id')} disabled={editing !== null} /></Field>
            <Field label="Email"><input value={form.user_email} onInput={set('user_email')} /></Field>
            <Field label="Role"><select value={form.user_role} onChange={set('user_role')}>{['proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer'].map((r) => <option value={r}>{r}</option>)}</select></Field>
            <Field label="Max budget ($)"><input type="number" step="any" value={form.max_budget} onInput={set('max_budget')} /></Field>
            <div class="actions"><button type="submit" class="primary">{editing === null ? 'Create' : 'Save'}</button></div>
          </form>
        </Modal>
      )}
    </section>
  );
}
