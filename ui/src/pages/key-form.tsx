// Create/edit form with every /key/generate field; a created or regenerated key is shown once with a copy button.
import { useState } from 'preact/hooks';
import { post } from '../api';
import { CopyButton, ErrorLine, Field, Modal } from '../components/widgets';
import { list, num } from '../format';

export type KeyRow = Record<string, unknown>;

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function json(textValue: string, name: string): Record<string, unknown> | undefined {
  if (textValue.trim() === '') return undefined;
  try {
    return JSON.parse(textValue) as Record<string, unknown>;
  } catch {
    throw new Error(`${name} must be JSON`);
  }
}

export function KeyForm(props: { existing: KeyRow | null; onDone: (created: string | null) => void; onClose: () => void }) {
  const row = props.existing ?? {};
  const metadata = (row.metadata ?? {}) as Record<string, unknown>;
  const [f, setF] = useState({
    key_alias: text(row.key_alias), models: text(row.models), max_budget: text(row.max_budget), budget_duration: text(row.budget_duration),
    tpm_limit: text(row.tpm_limit), rpm_limit: text(row.rpm_limit), max_parallel_requests: text(row.max_parallel_requests), duration: '',
    team_id: text(row.team_id), user_id: text(row.user_id), tags: text(metadata.tags), metadata: '', model_rpm_limit: text(metadata.model_rpm_limit),
    model_tpm_limit: text(metadata.model_tpm_limit), allowed_cache_controls: text(row.allowed_cache_controls), budget_id: text(row.budget_id), key: '',
    blocked: row.blocked === true,
  });
  const [error, setError] = useState<string | null>(null);
  const set = (name: keyof typeof f) => (event: Event) => setF({ ...f, [name]: (event.currentTarget as HTMLInputElement).value });

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    setError(null);
    try {
      const body: Record<string, unknown> = {
        key_alias: f.key_alias || undefined, models: list(f.models) ?? (props.existing === null ? undefined : []), max_budget: num(f.max_budget),
        budget_duration: f.budget_duration || undefined, tpm_limit: num(f.tpm_limit), rpm_limit: num(f.rpm_limit), max_parallel_requests: num(f.max_parallel_requests),
        duration: f.duration || undefined, team_id: f.team_id || undefined, user_id: f.user_id || undefined, tags: list(f.tags), metadata: json(f.metadata, 'metadata'),
        model_rpm_limit: json(f.model_rpm_limit, 'model_rpm_limit'), model_tpm_limit: json(f.model_tpm_limit, 'model_tpm_limit'),
        allowed_cache_controls: list(f.allowed_cache_controls), budget_id: f.budget_id || undefined, blocked: f.blocked,
      };
      if (props.existing === null) {
        if (f.key !== '') body.key = f.key;
        const created = await post<{ key: string }>('/key/generate', body);
        props.onDone(created.key);
      } else {
        await post('/key/update', { ...body, key: props.existing.token });
        props.onDone(null);
      }
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <Modal title={props.existing === null ? 'Create key' : `Edit ${text(row.key_alias) || text(row.key_name)}`} onClose={props.onClose}>
      <form class="grid-form" onSubmit={save}>
        <Field label="Alias"><input name="key_alias" value={f.key_alias} onInput={set('key_alias')} /></Field>
        <Field label="Models" hint="comma-separated; empty = all"><input name="models" value={f.models} onInput={set('models')} /></Field>
        <Field label="Max budget ($)"><input name="max_budget" type="number" step="any" min="0" value={f.max_budget} onInput={set('max_budget')} /></Field>
        <Field label="Budget duration" hint="30s, 24h, 7d, 1mo"><input name="budget_duration" value={f.budget_duration} onInput={set('budget_duration')} /></Field>
        <Field label="TPM limit"><input name="tpm_limit" type="number" min="0" value={f.tpm_limit} onInput={set('tpm_limit')} /></Field>
        <Field label="RPM limit"><input name="rpm_limit" type="number" min="0" value={f.rpm_limit} onInput={set('rpm_limit')} /></Field>
        <Field label="Max parallel requests"><input name="max_parallel_requests" type="number" min="0" value={f.max_parallel_requests} onInput={set('max_parallel_requests')} /></Field>
        <Field label="Expires after" hint="duration, e.g. 30d"><input name="duration" value={f.duration} onInput={set('duration')} /></Field>
        <Field label="Team id"><input name="team_id" value={f.team_id} onInput={set('team_id')} /></Field>
        <Field label="User id"><input name="user_id" value={f.user_id} onInput={set('user_id')} /></Field>
        <Field label="Tags" hint="comma-separated"><input name="tags" value={f.tags} onInput={set('tags')} /></Field>
        <Field label="Budget id"><input name="budget_id" value={f.budget_id} onInput={set('budget_id')} /></Field>
        <Field label="Model RPM limits" hint='JSON, {"gpt-4o": 10}'><input name="model_rpm_limit" value={f.model_rpm_limit} onInput={set('model_rpm_limit')} /></Field>
        <Field label="Model TPM limits" hint="JSON"><input name="model_tpm_limit" value={f.model_tpm_limit} onInput={set('model_tpm_limit')} /></Field>
        <Field label="Allowed cache controls" hint="comma-separated"><input name="allowed_cache_controls" value={f.allowed_cache_controls} onInput={set('allowed_cache_controls')} /></Field>
        <Field label="Metadata" hint="JSON object, merged"><input name="metadata" value={f.metadata} onInput={set('metadata')} /></Field>
        {props.existing === null && <Field label="Custom key" hint="optional, sk-…"><input name="key" value={f.key} onInput={set('key')} /></Field>}
        <label class="check"><input type="checkbox" name="blocked" checked={f.blocked} onChange={(e) => setF({ ...f, blocked: e.currentTarget.checked })} /> Blocked</label>
        <ErrorLine error={error} />
        <div class="actions"><button type="button" onClick={props.onClose}>Cancel</button><button type="submit" class="primary">{props.existing === null ? 'Create key' : 'Save'}</button></div>
      </form>
    </Modal>
  );
}

export function RawKeyNotice(props: { rawKey: string; onClose: () => void }) {
  return (
    <Modal title="Save this key" onClose={props.onClose}>
      <p>This key is shown only once. Store it somewhere safe.</p>
      <div class="raw-key"><code data-testid="raw-key">{props.rawKey}</code><CopyButton text={props.rawKey} /></div>
      <div class="actions"><button class="primary" onClick={props.onClose}>Done</button></div>
    </Modal>
  );
}

export async function keyAction(action: 'block' | 'unblock' | 'delete' | 'regenerate', token: string): Promise<string | null> {
  if (action === 'delete') {
    await post('/key/delete', { keys: [token] });
    return null;
  }
  if (action === 'regenerate') return (await post<{ key: string }>('/key/regenerate', { key: token })).key;
  await post(`/key/${action}`, { key: token });
  return null;
}
