// Small shared widgets: modal, pager, spend-vs-budget bar, error line, copy button.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { money } from '../format';

export function Modal(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  return (
    <div class="modal-backdrop" onClick={(event) => event.target === event.currentTarget && props.onClose()}>
      <div class="modal" role="dialog" aria-label={props.title}>
        <header>
          <h2>{props.title}</h2>
          <button class="ghost" onClick={props.onClose} aria-label="Close">×</button>
        </header>
        {props.children}
      </div>
    </div>
  );
}

export function Pager(props: { page: number; pages: number; total: number; onPage: (page: number) => void }) {
  return (
    <div class="pager">
      <button disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>‹ Prev</button>
      <span>
        Page {props.page} of {Math.max(1, props.pages)} · {props.total} total
      </span>
      <button disabled={props.page >= props.pages} onClick={() => props.onPage(props.page + 1)}>Next ›</button>
    </div>
  );
}

export function SpendBar(props: { spend: unknown; budget: unknown }) {
  const spend = Number(props.spend ?? 0);
  const budget = props.budget === null || props.budget === undefined ? null : Number(props.budget);
  const share = budget === null || budget <= 0 ? 0 : Math.min(1, spend / budget);
  const level = share >= 1 ? 'over' : share >= 0.8 ? 'warn' : 'ok';
  return (
    <div class="spend" title={budget === null ? 'no budget' : `${Math.round(share * 100)}% of budget`}>
      <div class="spend-text">
        {money(spend)} <span class="muted">/ {budget === null ? '∞' : money(budget)}</span>
      </div>
      {budget !== null && (
        <div class="bar">
          <div class={`fill ${level}`} style={{ width: `${share * 100}%` }} />
        </div>
      )}
    </div>
  );
}

export function ErrorLine(props: { error: string | null }) {
  return props.error === null ? null : <p class="error" role="alert">{props.error}</p>;
}

export function CopyButton(props: { text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    const done = (): void => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    };
    if (navigator.clipboard !== undefined) navigator.clipboard.writeText(props.text).then(done, done);
    else done();
  };
  return <button onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>;
}

export function Field(props: { label: string; hint?: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      {props.children}
      {props.hint !== undefined && <small class="muted">{props.hint}</small>}
    </label>
  );
}
