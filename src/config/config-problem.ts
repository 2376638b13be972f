// A config problem names the YAML path, what was expected and what was found (CONTRACT.md "config.yaml").

export interface ConfigProblem {
  /** e.g. `model_list[2].litellm_params.model` */
  path: string;
  expected: string;
  /** A short rendering of the value found there, secrets masked. */
  found: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], file?: string) {
    super(formatProblems(problems, file));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatProblems(problems: readonly ConfigProblem[], file?: string): string {
  const where = file === undefined ? 'config' : file;
  const lines = problems.map((problem) => `  - ${problem.path || '(root)'}: expected ${problem.expected}, found ${problem.found}`);
  return `Invalid ${where} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

const SECRET_NAME = /key|secret|password|token|credential/i;

/** Renders a found value for an error message; values under secret-looking names are masked. */
export function describeValue(value: unknown, path: string): string {
  if (value === undefined) return 'nothing (missing)';
  if (value === null) return 'null';
  if (SECRET_NAME.test(path)) return typeof value === 'string' ? `a string of ${value.length} characters (masked)` : `a ${typeof value} (masked)`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`;
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
