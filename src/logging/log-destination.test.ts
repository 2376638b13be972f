// The log stream masks every registered secret and any `sk-…` key, and formats compact lines when JSON is off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogDestination, humanLine } from './log-destination.js';

class Capture {
  lines: string[] = [];
  write(line: string): boolean {
    this.lines.push(line);
    return true;
  }
  flushSync(): void {}
}

function destination(): { dest: LogDestination; sink: Capture } {
  const sink = new Capture();
  return { dest: new LogDestination(sink as unknown as ConstructorParameters<typeof LogDestination>[0]), sink };
}

test('registered secrets and sk- keys are masked wherever they appear', () => {
  const { dest, sink } = destination();
  dest.addSecrets(['provider-secret-123', 'short', 'provider-secret-123-longer']);
  dest.write('{"msg":"upstream said: bad key provider-secret-123-longer","config":{"api_key":"provider-secret-123"},"auth":"Bearer sk-abcdef123456"}\n');
  const line = sink.lines[0]!;
  assert.ok(!line.includes('provider-secret'), line);
  assert.ok(!line.includes('sk-abcdef123456'), line);
  assert.match(line, /bad key \[REDACTED\]"/);
  assert.match(line, /sk-\[REDACTED\]/);
  // Too short to be a secret worth scanning for; left alone.
  dest.write('{"msg":"short"}\n');
  assert.equal(sink.lines[1], '{"msg":"short"}\n');
});

test('json_logs: false → compact human line', () => {
  const { dest, sink } = destination();
  dest.setJson(false);
  dest.write('{"level":20,"time":"2026-01-01T00:00:00.000Z","pid":7,"callId":"c1","status":200,"usage":{"t":3},"msg":"request finished"}\n');
  assert.equal(sink.lines[0], '2026-01-01T00:00:00.000Z DEBUG request finished callId=c1 status=200 usage={"t":3}\n');
  assert.equal(humanLine('not json\n'), 'not json\n');
});
