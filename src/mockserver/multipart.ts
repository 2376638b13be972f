// A small whole-buffer multipart/form-data parser for the mock (the mock may buffer; the gateway must not).
import { createHash } from 'node:crypto';

export interface UploadedFile {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
  /** Field names in the order they arrived. */
  order: string[];
}

const NAME = /name="([^"]*)"/i;
const FILENAME = /filename="([^"]*)"/i;
const TYPE = /content-type:\s*([^\r\n]+)/i;

export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !contentType.startsWith('multipart/form-data')) return undefined;
  const at = contentType.indexOf('boundary=');
  if (at < 0) return undefined;
  return contentType.slice(at + 9).split(';')[0]!.trim().replace(/^"|"$/g, '');
}

export function parseMultipart(raw: Buffer, boundary: string): MultipartBody | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const out: MultipartBody = { fields: {}, files: {}, order: [] };
  let at = raw.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    at += delimiter.length;
    if (raw[at] === 0x2d && raw[at + 1] === 0x2d) return out;
    at += 2;
    const headerEnd = raw.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) return undefined;
    const headers = raw.toString('latin1', at, headerEnd);
    const next = raw.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) return undefined;
    const content = raw.subarray(headerEnd + 4, next);
    const name = NAME.exec(headers)?.[1] ?? '';
    const filename = FILENAME.exec(headers)?.[1];
    out.order.push(name);
    if (filename !== undefined) {
      out.files[name] = { filename, contentType: TYPE.exec(headers)?.[1] ?? 'application/octet-stream', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), data: content };
    } else {
      out.fields[name] = content.toString('utf8');
    }
    at = next + 2;
  }
}

/** What the request log keeps of a multipart body: fields and file digests, never file bytes. */
export function loggableMultipart(body: MultipartBody): Record<string, unknown> {
  const files: Record<string, unknown> = {};
  for (const [name, file] of Object.entries(body.files)) files[name] = { filename: file.filename, size: file.size, sha256: file.sha256 };
  return { multipart: true, fields: body.fields, files, order: body.order };
}
