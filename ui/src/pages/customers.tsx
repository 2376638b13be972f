// Customers (end users) and reusable budgets: list, create, block/unblock, delete.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api';
import { ErrorLine, Field, Modal, SpendBar } from '../components/widgets';
import { num } from '../format';

type Row = Record<string, unknown>;

function limits(row: Row | null | undefined): string {
  if (row === null || row === undefined) return '—';
  return [row.rpm_limit != null ? `${row.rpm_limit} rpm` : '', row.tpm_limit != null ? `${row.tpm_limit} tpm` : '', row.budget_duration ? `resets ${row.budget_duration}` : ''].filter(Boolean).join(' · ') || '—';
}

export function CustomersPage() {
  const [customers, setCustomers] = useState<Row[]>([]);
  const [budgets, setBudgets] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'customer' | 'budget' | null>(null);
  const [version, setVersion] = useState(0);
  const [form, setForm] = useState({ id: '', alias: '', max_budget: '', budget_duration: '', rpm_limit: '', tpm_limit: '' });

  useEffect(() => {
    get<Row[]>('/customer/list').then(setCustomers, (e: Error) => setError(e.message));
    get<Row[]>('/budget/list').then(setBudgets, (e: Error) => setError(e.message));
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

  function create(event: Event): void {
    event.preventDefault();
    const kind = dialog;
    setDialog(null);
    const shared = { max_budget: num(form.max_budget), budget_duration: form.budget_duration || undefined, rpm_limit: num(form.rpm_limit), tpm_limit: num(form.tpm_limit) };
    void run(() => kind === 'customer' ? post('/customer/new', { user_id: form.id, alias: form.alias || undefined, ...shared }) : post('/budget/new', { budget_id: form.id || undefined, ...shared }));
  }

  const set = (name: keyof typeof form) => (event: Event) => setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value });
  return (
    <section>
      <header class="page-head"><h1>Customers</h1><button class="primary" onClick={() => setDialog('customer')}>+ Create customer</button></header>
      <ErrorLine error={error} />
      <table class="table">
        <thead><tr><th>End user id</th><th>Alias</th><th>Spend / budget</th><th>Limits</th><th>Status</th><th /></tr></thead>
        <tbody>
          {customers.map((row) => {
            const budget = row.litellm_budget_table as Row | null;
            return (
              <tr><td><code>{String(row.user_id)}</code></td><td>{String(row.alias ?? '—')}</td><td><SpendBar spend={row.spend} budget={budget?.max_budget} /></td><td class="muted">{limits(budget)}</td>
                <td>{row.blocked === true ? <span class="badge bad">blocked</span> : <span class="badge good">active</span>}</td>
                <td class="row-actions">
                  <button onClick={() => run(() => post(row.blocked === true ? '/customer/unblock' : '/customer/block', { user_ids: [row.user_id] }))}>{row.blocked === true ? 'Unblock' : 'Block'}</button>
                  <button class="danger" onClick={() => confirm('Delete customer?') && run(() => post('/customer/delete', { user_ids: [row.user_id] }))}>Delete</button>
                </td></tr>
            );
          })}
          {customers.length === 0 && <tr><td colSpan={6} class="empty">No customers.</td></tr>}
        </tbody>
      </table>
      <header class="page-head"><h2>Budgets</h2><button onClick={() => setDialog('budget')}>+ Create budget</button></header>
      <table class="table">
        <thead><tr><th>Budget id</th><th>Max budget</th><th>Limits</th><th /></tr></thead>
        <tbody>
          {budgets.map((row) => (
            <tr><td><code>{String(row.budget_id)}</code></td><td>{row.max_budget == null ? '∞' : `$${String(row.max_budget)}`}</td><td class="muted">{limits(row)}</td>
              <td class="row-actions"><button class="danger" onClick={() => confirm('Delete budget?') && run(() => post('/budget/delete', { id: row.budget_id }))}>Delete</button></td></tr>
          ))}
          {budgets.length === 0 && <tr><td colSpan={4} class="empty">No budgets.</td></tr>}
        </tbody>
      </table>
      {dialog !== null && (
        <Modal title={dialog === 'customer' ? 'Create customer' : 'Create budget'} onClose={() => setDialog(null)}>
          <form class="grid-form" onSubmit={create}>
            <Field label={dialog === 'customer' ? 'End user id' : 'Budget id (optional)'}><input name="id" value={form.id} onInput={set('id')} required={dialog === 'customer'} /></Field>
            {dialog === 'customer' && <Field label="Alias"><input value={form.alias} onInput={set('alias')} /></Field>}
            <Field label="Max budget ($)"><input type="number" step="any" value={form.max_budget} onInput={set('max_budget')} /></Field>
            <Field label="Budget duration"><input value={form.budget_duration} onInput={set('budget_duration')} /></Field>
            <Field label="RPM limit"><input type="number" value={form.rpm_limit} onInput={set('rpm_limit')} /></Field>
            <Field label="TPM limit"><input type="number" value={form.tpm_limit} onInput={set('tpm_limit')} /></Field>
            <div class="actions"><button type="submit" class="primary">Create</button></div>
          </form>
        </Modal>
      )}
    </section>
  );
}
