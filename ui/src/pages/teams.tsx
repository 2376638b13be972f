// Teams: list with budgets and members; create a team, add a member, block/unblock.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api';
import { ErrorLine, Field, Modal, SpendBar } from '../components/widgets';
import { list, num } from '../format';

type Team = Record<string, unknown>;

export function TeamsPage() {
  const [teams, setTeams] = useState<Team[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Team | null | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const [form, setForm] = useState({ team_alias: '', team_id: '', models: '', max_budget: '', budget_duration: '', rpm_limit: '', tpm_limit: '' });

  useEffect(() => {
    get<Team[] | { teams: Team[] }>('/team/list').then((r) => setTeams(Array.isArray(r) ? r : r.teams), (e: Error) => setError(e.message));
  }, [version]);

  async function run(action: () => Promise<unknown>): Promise<void> {
    setError(null);
    try {
      await action();
      setVersion(version + 1);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  function open(team: Team | null): void {
    const text = (value: unknown): string => (value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value));
    setForm({
      team_alias: text(team?.team_alias), team_id: text(team?.team_id), models: text(team?.models), max_budget: text(team?.max_budget),
      budget_duration: text(team?.budget_duration), rpm_limit: text(team?.rpm_limit), tpm_limit: text(team?.tpm_limit),
    });
    setEditing(team);
  }

  function save(event: Event): void {
    event.preventDefault();
    const existing = editing;
    setEditing(undefined);
    const body = {
      team_alias: form.team_alias || undefined, team_id: form.team_id || undefined, models: list(form.models) ?? (existing ? [] : undefined), max_budget: num(form.max_budget),
      budget_duration: form.budget_duration || undefined, rpm_limit: num(form.rpm_limit), tpm_limit: num(form.tpm_limit),
    };
    void run(() => post(existing ? '/team/update' : '/team/new', existing ? { ...body, team_id: existing.team_id } : body));
  }

  function removeMember(team: Team, userId: string): void {
    if (confirm(`Remove ${userId} from the team?`)) void run(() => post('/team/member_delete', { team_id: team.team_id, user_id: userId }));
  }

  function addMember(team: Team): void {
    const userId = prompt('User id to add');
    if (userId) void run(() => post('/team/member_add', { team_id: team.team_id, member: { user_id: userId, role: 'user' } }));
  }

  const set = (name: keyof typeof form) => (event: Event) => setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value });
  return (
    <section>
      <header class="page-head"><h1>Teams</h1><button class="primary" onClick={() => open(null)}>+ Create team</button></header>
      <ErrorLine error={error} />
      <table class="table">
        <thead><tr><th>Alias</th><th>Id</th><th>Models</th><th>Members</th><th>Spend / budget</th><th>Limits</th><th>Status</th><th /></tr></thead>
        <tbody>
          {teams.map((team) => (
            <tr>
              <td>{String(team.team_alias ?? '—')}</td><td><code>{String(team.team_id)}</code></td>
              <td>{Array.isArray(team.models) && team.models.length > 0 ? team.models.join(', ') : 'all'}</td>
              <td>{Array.isArray(team.members_with_roles) && team.members_with_roles.length > 0
                ? team.members_with_roles.map((m) => { const id = String((m as { user_id?: string }).user_id); return <span class="chip">{id} <button class="ghost" title="Remove" onClick={() => removeMember(team, id)}>×</button></span>; })
                : '—'}</td>
              <td><SpendBar spend={team.spend} budget={team.max_budget} /></td>
              <td class="muted">{[team.rpm_limit != null ? `${team.rpm_limit} rpm` : '', team.tpm_limit != null ? `${team.tpm_limit} tpm` : ''].filter(Boolean).join(' · ') || '—'}</td>
              <td>{team.blocked === true ? <span class="badge bad">blocked</span> : <span class="badge good">active</span>}</td>
              <td class="row-actions">
                <button onClick={() => open(team)}>Edit</button>
                <button onClick={() => addMember(team)}>Add member</button>
                <button onClick={() => run(() => post(team.blocked === true ? '/team/unblock' : '/team/block', { team_id: team.team_id }))}>{team.blocked === true ? 'Unblock' : 'Block'}</button>
                <button class="danger" onClick={() => confirm('Delete team?') && run(() => post('/team/delete', { team_ids: [team.team_id] }))}>Delete</button>
              </td>
            </tr>
          ))}
          {teams.length === 0 && <tr><td colSpan={8} class="empty">No teams.</td></tr>}
        </tbody>
      </table>
      {editing !== undefined && (
        <Modal title={editing === null ? 'Create team' : `Edit ${String(editing.team_alias ?? editing.team_id)}`} onClose={() => setEditing(undefined)}>
          <form class="grid-form" onSubmit={save}>
            <Field label="Alias"><input value={form.team_alias} onInput={set('team_alias')} /></Field>
            <Field label="Team id" hint="optional"><input value={form.team_id} onInput={set('team_id')} disabled={editing !== null} /></Field>
            <Field label="Models"><input value={form.models} onInput={set('models')} /></Field>
            <Field label="Max budget ($)"><input type="number" step="any" value={form.max_budget} onInput={set('max_budget')} /></Field>
            <Field label="Budget duration"><input value={form.budget_duration} onInput={set('budget_duration')} /></Field>
            <Field label="RPM limit"><input type="number" value={form.rpm_limit} onInput={set('rpm_limit')} /></Field>
            <Field label="TPM limit"><input type="number" value={form.tpm_limit} onInput={set('tpm_limit')} /></Field>
            <div class="actions"><button type="submit" class="primary">{editing === null ? 'Create' : 'Save'}</button></div>
          </form>
        </Modal>
      )}
    </section>
  );
}
