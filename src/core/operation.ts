// The kinds of call the data plane serves; each maps to one upstream endpoint per provider.
export type Operation = 'chat' | 'completion' | 'embedding';

/** Which body field carries the prompt, for validation and error messages. */
export const PROMPT_FIELD: Readonly<Record<Operation, string>> = {
  chat: 'messages',
  completion: 'prompt',
  embedding: 'input',
};
