// FALLBACK ONLY: a stand-in OpenAI-shaped mock used by the bench when dist/mockserver (the real mock) is not built.
import http from 'node:http';

const WORDS = 'Yes, you can export again with the Due column visible; the new file is saved separately and the old one stays.'.split(' ');

/** Same interface as dist/mockserver's startMockServer: resolves to { port, url, close() }. */
export function startFallbackMock({ port = 0, host = '127.0.0.1', latencyMs = 0, chunks = 16, chunkDelayMs = 0 } = {}) {
  const server = http.createServer((req, res) => {
    const chunksIn = [];
    req.on('data', (c) => chunksIn.push(c));
    req.on('end', () => route(req, res, Buffer.concat(chunksIn), { latencyMs, chunks, chunkDelayMs }));
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({ port: actual, url: `http://${host}:${actual}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

function route(req, res, raw, opts) {
  const path = req.url.split('?')[0];
  if (req.method === 'GET' && path === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'mock' }] });
  if (req.method !== 'POST') return json(res, 404, errorBody('not found'));
  let body;
  try {
    body = JSON.parse(raw.toString('utf8') || '{}');
  } catch {
    return json(res, 400, errorBody('invalid JSON body'));
  }
  const reply = () => {
    if (path === '/v1/chat/completions') return body.stream ? streamChat(res, body, opts) : json(res, 200, completion(body));
    if (path === '/v1/embeddings') return json(res, 200, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] }], model: body.model, usage: { prompt_tokens: 8, total_tokens: 8 } });
    return json(res, 404, errorBody('not found'));
  };
  if (opts.latencyMs > 0) setTimeout(reply, opts.latencyMs);
  else reply();
}

function completion(body) {
  return {
    id: 'chatcmpl-bench', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model,
    choices: [{ index: 0, message: { role: 'assistant', content: WORDS.join(' ') }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 210, completion_tokens: WORDS.length, total_tokens: 210 + WORDS.length },
  };
}

function streamChat(res, body, { chunks, chunkDelayMs }) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model };
  const events = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
  for (let i = 0; i < chunks; i++) events.push({ ...base, choices: [{ index: 0, delta: { content: `${WORDS[i % WORDS.length]} ` }, finish_reason: null }] });
  events.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  let i = 0;
  const next = () => {
    if (i < events.length) {
      res.write(`data: ${JSON.stringify(events[i++])}\n\n`);
      if (chunkDelayMs > 0) setTimeout(next, chunkDelayMs);
      else next();
    } else res.end('data: [DONE]\n\n');
  };
  next();
}

function json(res, status, obj) {
  const text = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(message) {
  return { error: { message, type: 'invalid_request_error', param: null, code: null } };
}
