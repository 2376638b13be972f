// /v1/files and /v1/batches: an in-memory Files API and a Batch API that completes on its first retrieve.
import { randomBytes } from 'node:crypto';
import { asRecord, asString } from '../json.js';
import { sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';

interface StoredFile {
  object: Record<string, unknown>;
  data: Buffer;
}

/** Shared by every mock server in the process; ids are random, so servers never collide. */
const files = new Map<string, StoredFile>();
const batches = new Map<string, Record<string, unknown>>();

function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function notFound(kind: string, id: string): MockError {
  return { kind: 'not_found', status: 404, message: `No such ${kind} object: ${id}` };
}

function storeFile(filename: string, purpose: string, data: Buffer): Record<string, unknown> {
  const object = { id: newId('file-'), object: 'file', bytes: data.length, created_at: now(), filename, purpose, status: 'processed', status_details: null };
  files.set(object.id, { object, data });
  return object;
}

/** The id between `/files/` (or `/batches/`) and the next slash. */
function idOf(ctx: MockContext, marker: string): string {
  const at = ctx.path.indexOf(marker);
  const rest = ctx.path.slice(at + marker.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? rest : rest.slice(0, slash);
}

export function handleFileUpload(ctx: MockContext): MockError | undefined {
  const form = ctx.multipart;
  const file = form?.files.file;
  if (form === undefined || file === undefined) return { kind: 'invalid_request', status: 400, message: "Missing required parameter: 'file'." };
  const purpose = form.fields.purpose;
  if (purpose === undefined) return { kind: 'invalid_request', status: 400, message: "Missing required parameter: 'purpose'." };
  sendReply(ctx, storeFile(file.filename, purpose, file.data));
  return undefined;
}

export function handleFileList(ctx: MockContext): MockError | undefined {
  const data = [...files.values()].map((file) => file.object).reverse();
  sendReply(ctx, { object: 'list', data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
  return undefined;
}

/** GET /files/{id}, GET /files/{id}/content, DELETE /files/{id}. */
export function handleFileById(ctx: MockContext): MockError | undefined {
  const id = idOf(ctx, '/files/');
  const file = files.get(id);
  if (file === undefined) return notFound('File', id);
  if (ctx.req.method === 'DELETE') {
    files.delete(id);
    sendReply(ctx, { id, object: 'file', deleted: true });
  } else if (ctx.path.endsWith('/content')) {
    ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.data.length) });
    ctx.res.end(file.data);
  } else {
    sendReply(ctx, file.object);
  }
  return undefined;
}

export function handleBatchCreate(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const inputFileId = asString(body.input_file_id) ?? '';
  const input = files.get(inputFileId);
  if (input === undefined) return { kind: 'invalid_request', status: 400, message: `Invalid 'input_file_id': '${inputFileId}'. No such file.` };
  const lines = input.data.toString('utf8').split('\n').filter((line) => line.trim() !== '');
  const batch: Record<string, unknown> = {
    id: newId('batch_'), object: 'batch', endpoint: asString(body.endpoint) ?? '/v1/chat/completions', errors: null, input_file_id: inputFileId,
    completion_window: asString(body.completion_window) ?? '24h', status: 'validating', output_file_id: null, error_file_id: null,
    created_at: now(), request_counts: { total: lines.length, completed: 0, failed: 0 }, metadata: body.metadata ?? null,
  };
  batches.set(batch.id as string, batch);
  sendReply(ctx, batch);
  return undefined;
}

/** Runs the batch: one chat answer per input line, written to an output file. */
function complete(batch: Record<string, unknown>): void {
  const input = files.get(batch.input_file_id as string);
  const lines = input === undefined ? [] : input.data.toString('utf8').split('\n').filter((line) => line.trim() !== '');
  const out: string[] = [];
  for (const line of lines) {
    let customId = '';
    try {
      customId = asString(asRecord(JSON.parse(line))?.custom_id) ?? '';
    } catch {
      customId = '';
    }
    const body = { id: newId('chatcmpl-'), object: 'chat.completion', model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: `batch answer for ${customId}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
    out.push(JSON.stringify({ id: newId('batch_req_'), custom_id: customId, response: { status_code: 200, request_id: newId('req_'), body }, error: null }));
  }
  const output = storeFile('batch_output.jsonl', 'batch_output', Buffer.from(out.join('\n') + '\n'));
  batch.status = 'completed';
  batch.output_file_id = output.id;
  batch.completed_at = now();
  batch.request_counts = { total: lines.length, completed: lines.length, failed: 0 };
  batch.usage = { input_tokens: 10 * lines.length, output_tokens: 5 * lines.length, total_tokens: 15 * lines.length };
}

/** GET /batches/{id} (completes a validating batch) and POST /batches/{id}/cancel. */
export function handleBatchById(ctx: MockContext): MockError | undefined {
  const id = idOf(ctx, '/batches/');
  const batch = batches.get(id);
  if (batch === undefined) return notFound('Batch', id);
  if (ctx.path.endsWith('/cancel')) {
    if (batch.status !== 'completed') batch.status = 'cancelled';
  } else if (batch.status === 'validating') {
    complete(batch);
  }
  sendReply(ctx, batch);
  return undefined;
}

export function handleBatchList(ctx: MockContext): MockError | undefined {
  const data = [...batches.values()].reverse();
  sendReply(ctx, { object: 'list', data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
  return undefined;
}
