// Wildcard model names (`openai/*`, `*`, `claude-*`): compiled once, matched most-specific first.

export interface WildcardPattern {
  readonly pattern: string;
  /** Returns the text the `*`s matched (joined by '/'), or null. */
  match(model: string): string | null;
  /** Literal characters: more means more specific. */
  readonly specificity: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

export function compileWildcard(pattern: string): WildcardPattern {
  const specificity = pattern.replaceAll('*', '').length;
  const star = pattern.indexOf('*');
  if (star !== -1 && star === pattern.lastIndexOf('*')) {
    // One `*`: prefix/suffix checks, no regex on the hot path.
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    return {
      pattern,
      specificity,
      match(model) {
        if (model.length < prefix.length + suffix.length || !model.startsWith(prefix) || !model.endsWith(suffix)) return null;
        return model.slice(prefix.length, model.length - suffix.length);
      },
    };
  }
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('(.*)')}$`, 's');
  return {
    pattern,
    specificity,
    match(model) {
      const found = regex.exec(model);
      return found === null ? null : found.slice(1).join('/');
    },
  };
}

/** Substitutes the matched text into a `litellm_params.model` template (`openai/*` → `openai/gpt-4o`). */
export function fillWildcard(template: string, captured: string): string {
  return template.includes('*') ? template.replace('*', captured) : template;
}

export function isWildcard(name: string): boolean {
  return name.includes('*');
}
