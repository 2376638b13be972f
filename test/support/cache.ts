// Helpers for response-cache end-to-end tests: raw POSTs that keep headers, SSE content extraction.
import { postJson } from './http.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await postJson(url, body, headers);
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function chatBody(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'gpt', messages: [{ role: 'user', content }], ...extra };
}

/** The assistant text of a chat.completion body. */
export function contentOf(answer: Answer): string {
  const choices = answer.json.choices as Array<{ message: { content: string } }>;
  return choices[0]!.message.content;
}

/** Concatenated `delta.content` of an SSE body, plus whether it ended with [DONE] and the usage event if any. */
export function streamContent(sse: string): { content: string; done: boolean; usage: unknown; events: number } {
  let content = '';
  let done = false;
  let usage: unknown = null;
  let events = 0;
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const payload = line.slice(6);
    if (payload === '[DONE]') {
      done = true;
      continue;
    }
    events++;
    const event = JSON.parse(payload) as { choices: Array<{ delta?: { content?: string } }>; usage?: unknown };
    for (const choice of event.choices) content += choice.delta?.content ?? '';
    if (event.usage) usage = event.usage;
  }
  return { content, done, usage, events };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
