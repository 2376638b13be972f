// The one request every target receives: a realistic ~1 KB chat completion, identical byte for byte.
const SYSTEM_PROMPT = [
  'You are Atlas, a support assistant for a company that sells project-management software.',
  'Answer in plain English, in at most three short paragraphs, and never invent features.',
  'If the question is about billing, explain where to find the invoice page and offer to open a ticket.',
  'If the question is about data export, list the formats we support: CSV, JSON and XLSX.',
  'Be polite, be precise, and when you are unsure say so and suggest contacting a human agent.',
].join(' ');

const MESSAGES = [
  { role: 'system', content: SYSTEM_PROMPT },
  { role: 'user', content: 'Hi! I exported my board last week as CSV but the due dates came out empty. Is that a known issue?' },
  { role: 'assistant', content: 'Thanks for reaching out. Empty due dates usually mean the column was hidden when the export ran. Could you check whether the Due column is visible in your board view?' },
  { role: 'user', content: 'It was hidden, you are right. Can I export again with it visible, and will the old file be replaced?' },
];

export const CHAT_PATH = '/v1/chat/completions';
export const MODEL = 'bench-model';

/** The JSON body as a string; `stream` selects SSE. */
export function chatBody(stream) {
  const body = { model: MODEL, messages: MESSAGES, temperature: 0.2, max_tokens: 256, user: 'bench-user-42' };
  if (stream) body.stream = true;
  return JSON.stringify(body);
}

/** Request headers (lower-case names) for a given bearer key. */
export function chatHeaders(apiKey) {
  return { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
}
