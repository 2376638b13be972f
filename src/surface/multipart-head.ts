// Reads a multipart/form-data body incrementally just far enough to find its `model` field, keeping the bytes seen.
// Parts before `model` are kept (to be re-emitted unchanged), so a file sent before `model` costs memory: see the lookahead bound.

const CRLF2 = Buffer.from('\r\n\r\n');
/** The field name in a part's Content-Disposition header (`filename=` does not match: no word boundary). */
const NAME_PATTERN = /content-disposition:[^\r\n]*?\bname="([^"]*)"/i;
/** Longest header block accepted for one part. */
const MAX_PART_HEADER_BYTES = 16 * 1024;

export type HeadScan =
  | { readonly kind: 'need-more' }
  | { readonly kind: 'found'; readonly model: string; readonly valueStart: number; readonly valueEnd: number }
  | { readonly kind: 'absent' }
  | { readonly kind: 'malformed'; readonly message: string };

const NEED_MORE: HeadScan = { kind: 'need-more' };
const ABSENT: HeadScan = { kind: 'absent' };

/** The boundary of a `multipart/form-data; boundary=…` content type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (contentType === undefined || !contentType.toLowerCase().startsWith('multipart/form-data')) return null;
  const at = contentType.toLowerCase().indexOf('boundary=');
  if (at < 0) return null;
  let value = contentType.slice(at + 9);
  const semi = value.indexOf(';');
  if (semi >= 0) value = value.slice(0, semi);
  value = value.trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
  return value === '' || value.length > 200 ? null : value;
}

type Phase = 'preamble' | 'headers' | 'content' | 'done';

export class MultipartHead {
  private data: Buffer = Buffer.allocUnsafe(64 * 1024);
  /** Bytes of `data` in use. */
  length = 0;
  private readonly opening: Buffer;
  private readonly delimiter: Buffer;
  private phase: Phase = 'preamble';
  private cursor = 0;
  private partName = '';
  private contentStart = 0;

  constructor(boundary: string) {
    this.opening = Buffer.from(`--${boundary}`);
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  /** Copies a chunk in (amortised doubling, so a long head costs linear time). */
  append(chunk: Buffer): void {
    const needed = this.length + chunk.length;
    if (needed > this.data.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.data.length * 2));
      this.data.copy(grown, 0, 0, this.length);
      this.data = grown;
    }
    chunk.copy(this.data, this.length);
    this.length = needed;
  }

  bytes(): Buffer {
    return this.data.subarray(0, this.length);
  }

  /** Advances over what has arrived; each byte is scanned about once. */
  scan(): HeadScan {
    const data = this.bytes();
    for (;;) {
      if (this.phase === 'preamble') {
        const at = data.indexOf(this.opening, this.cursor);
        if (at < 0 || at + this.opening.length + 2 > data.length) return NEED_MORE;
        this.cursor = at + this.opening.length;
        if (!this.afterDelimiter(data)) return ABSENT;
      } else if (this.phase === 'headers') {
        const end = data.indexOf(CRLF2, this.cursor);
        if (end < 0) {
          if (data.length - this.cursor > MAX_PART_HEADER_BYTES) return { kind: 'malformed', message: 'A multipart part has headers longer than 16 KB.' };
          return NEED_MORE;
        }
        const found = NAME_PATTERN.exec(data.toString('latin1', this.cursor, end));
        if (found === null) return { kind: 'malformed', message: 'A multipart part has no Content-Disposition name.' };
        this.partName = found[1]!;
        this.contentStart = end + 4;
        this.cursor = this.contentStart;
        this.phase = 'content';
      } else if (this.phase === 'content') {
        const at = data.indexOf(this.delimiter, this.cursor);
        if (at < 0 || at + this.delimiter.length + 2 > data.length) {
          // Keep the cursor just before where a split delimiter could start.
          this.cursor = Math.max(this.contentStart, data.length - this.delimiter.length - 2);
          return NEED_MORE;
        }
        if (this.partName === 'model') {
          this.phase = 'done';
          return { kind: 'found', model: data.toString('utf8', this.contentStart, at), valueStart: this.contentStart, valueEnd: at };
        }
        this.cursor = at + this.delimiter.length;
        if (!this.afterDelimiter(data)) return ABSENT;
      } else {
        return ABSENT;
      }
    }
  }

  /** After a delimiter: `--` ends the body, CRLF starts another part. Returns false at the end. */
  private afterDelimiter(data: Buffer): boolean {
    if (data[this.cursor] === 0x2d && data[this.cursor + 1] === 0x2d) {
      this.phase = 'done';
      return false;
    }
    this.cursor += 2;
    this.phase = 'headers';
    return true;
  }
}
