// Keys: list with search and paging, spend against budget, and (admins) create, edit, block, regenerate, delete.
import { useEffect, useState } from 'preact/hooks';
import { get, type SessionInfo } from '../api';
import { ErrorLine, Pager, SpendBar } from '../components/widgets';
import { shortToken, when } from '../format';
import { KeyForm, RawKeyNotice, keyAction, type KeyRow } from './key-form';

const PAGE_SIZE = 20;

interface KeyList {
  keys: KeyRow[];
  total_count: number;
  total_pages: number;
}

export function KeysPage(props: { session: SessionInfo }) {
  const admin = props.session.role === 'admin';
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [data, setData] = useState<KeyList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<KeyRow | null | undefined>(undefined);
  const [rawKey, setRawKey] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const term = search.trim().toLowerCase();
    // Server paging; a search filters alias, name, team and user over up to 1,000 keys in the browser.
    get<KeyList>('/key/list', { return_full_object: 'true', page: term === '' ? page : 1, size: term === '' ? PAGE_SIZE : 1000 })
      .then((result) => {
        if (term === '') return setData(result);
        const hits = result.keys.filter((row) => ['key_alias', 'key_name', 'team_id', 'user_id', 'token'].some((f) => String(row[f] ?? '').toLowerCase().includes(term)));
        setData({ keys: hits.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), total_count: hits.length, total_pages: Math.ceil(hits.length / PAGE_SIZE) });
      })
      .catch((failure: Error) => setError(failure.message));
  }, [page, search, version]);

  async function act(action: 'block' | 'unblock' | 'delete' | 'regenerate', row: KeyRow): Promise<void> {
    if ((action === 'delete' || action === 'regenerate') && !confirm(`${action} key ${String(row.key_alias ?? row.key_name)}?`)) return;
    try {
      const created = await keyAction(action, String(row.token));
      if (created !== null) setRawKey(created);
      setVersion(version + 1);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <section>
      <header class="page-head">
        <h1>Keys</h1>
        <input type="search" placeholder="Search alias, team, user…" value={search} onInput={(e) => { setSearch(e.currentTarget.value); setPage(1); }} />
        {admin && <button class="primary" onClick={() => setEditing(null)}>+ Create key</button>}
      </header>
      <ErrorLine error={error} />
      <table class="table" data-testid="keys-table">
        <thead><tr><th>Alias</th><th>Key</th><th>Team</th><th>User</th><th>Models</th><th>Spend / budget</th><th>Limits</th><th>Expires</th><th>Status</th>{admin && <th />}</tr></thead>
        <tbody>
          {data?.keys.map((row) => (
            <tr key={String(row.token)} data-alias={String(row.key_alias ?? '')}>
              <td>{String(row.key_alias ?? '—')}</td>
              <td><code title={String(row.token)}>{String(row.key_name ?? shortToken(row.token))}</code></td>
              <td>{String(row.team_id ?? '—')}</td>
              <td>{String(row.user_id ?? '—')}</td>
              <td class="models">{Array.isArray(row.models) && row.models.length > 0 ? row.models.join(', ') : 'all'}</td>
              <td><SpendBar spend={row.spend} budget={row.max_budget} /></td>
              <td class="muted">{[row.rpm_limit != null ? `${row.rpm_limit} rpm` : '', row.tpm_limit != null ? `${row.tpm_limit} tpm` : ''].filter(Boolean).join(' · ') || '—'}</td>
              <td>{when(row.expires)}</td>
              <td>{row.blocked === true ? <span class="badge bad">blocked</span> : <span class="badge good">active</span>}</td>
              {admin && (
                <td class="row-actions">
                  <button onClick={() => setEditing(row)}>Edit</button>
                  {row.blocked === true ? <button onClick={() => act('unblock', row)}>Unblock</button> : <button onClick={() => act('block', row)}>Block</button>}
                  <button onClick={() => act('regenerate', row)}>Regenerate</button>
                  <button class="danger" onClick={() => act('delete', row)}>Delete</button>
                </td>
              )}
            </tr>
          ))}
          {data !== null && data.keys.length === 0 && <tr><td colSpan={10} class="empty">No keys.</td></tr>}
        </tbody>
      </table>
      {data !== null && <Pager page={page} pages={data.total_pages} total={data.total_count} onPage={setPage} />}
      {editing !== undefined && <KeyForm existing={editing} onClose={() => setEditing(undefined)} onDone={(created) => { setEditing(undefined); setRawKey(created); setVersion(version + 1); }} />}
      {rawKey !== null && <RawKeyNotice rawKey={rawKey} onClose={() => setRawKey(null)} />}
    </section>
  );
}
