// Where one target's event-loop instructions go, by function and by kind of code, from a run of instructions.mjs
// made with BENCH_NODE_FLAGS="--perf-basic-prof" (V8 then writes /tmp/perf-PID.map, the names of its JIT code, which
// callgrind alone sees as bare addresses).
//
// Method: `callgrind_annotate --inclusive=no` gives each function's own (self) instructions in the event-loop
// thread's file; JIT addresses are looked up in the perf map; the sum is divided by the counted requests. Self
// cost only: a V8 builtin (an inline-cache miss, a string concatenation) is charged to itself, not to the JavaScript
// that called it, so compare kinds of code between two targets rather than reading one function's row as its
// whole cost.
// Usage: BENCH_NODE_FLAGS="--perf-basic-prof" BENCH_TARGETS=bare,governance node bench/instructions.mjs
//        node bench/instructions-by-function.mjs <callgrind files directory> <target> [counted requests=3000] [top=40]
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, target, countArg, topArg] = process.argv.slice(2);
if (dir === undefined || target === undefined) {
  console.error('usage: node bench/instructions-by-function.mjs <callgrind files directory> <target> [counted requests=3000] [top=40]');
  process.exit(2);
}
const requests = Number(countArg ?? 3000);
const top = Number(topArg ?? 40);
const eventLoopFile = readdirSync(dir).find((name) => new RegExp(`^cg-${target}\\.\\d+\\.1-01$`).test(name));
if (eventLoopFile === undefined) throw new Error(`no cg-${target}.PID.1-01 in ${dir}: run instructions.mjs with BENCH_TARGETS including ${target}`);
const pid = /\.(\d+)\.1-01$/.exec(eventLoopFile)[1];
const mapFile = `/tmp/perf-${pid}.map`;
if (!existsSync(mapFile)) throw new Error(`${mapFile} not found: run instructions.mjs with BENCH_NODE_FLAGS="--perf-basic-prof"`);

/** [start, size, name] of each code object V8 reported, by start address. */
const ranges = readFileSync(mapFile, 'utf8').split('\n').filter(Boolean).map((line) => {
  const [start, size, ...name] = line.split(' ');
  return [Number.parseInt(start, 16), Number.parseInt(size, 16), name.join(' ')];
}).sort((a, b) => a[0] - b[0]);

function codeAt(address) {
  let low = 0;
  let high = ranges.length - 1;
  let found = null;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (ranges[middle][0] <= address) {
      found = ranges[middle];
      low = middle + 1;
    } else high = middle - 1;
  }
  return found !== null && address < found[0] + found[1] ? found[2] : null;
}

// The frames every instruction runs under (main, the event loop's C++ frames) are listed with the whole total.
const OUTERMOST = /PROGRAM TOTALS|libc_start|below main|:main \[|SpinEventLoopInternal|NodeMainInstance::Run|node::Start\(|ld-linux/;
const annotated = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', join(dir, eventLoopFile)], { maxBuffer: 1 << 28 }).toString();
const self = new Map();
for (const line of annotated.split('\n')) {
  const match = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.+?)\s*$/.exec(line);
  if (match === null || OUTERMOST.test(match[2])) continue;
  let name = match[2];
  const address = /^\?\?\?:0x([0-9a-f]+)/i.exec(name);
  if (address !== null) name = codeAt(Number.parseInt(address[1], 16)) ?? `JIT code not in the map (${name})`;
  name = name.replace(/ (?:file:\/\/)?\/\S*?\/(dist|node_modules|bench)\//, ' $1/').replace(/(:\d+):\d+$/, '$1');
  self.set(name, (self.get(name) ?? 0) + Number(match[1].replaceAll(',', '')));
}

function kindOf(name) {
  if (/^JS:\S* (dist|bench)\//.test(name)) return 'application JavaScript (Sluice, or the bare proxy)';
  if (/^JS:\S* node_modules\/undici\//.test(name)) return 'undici JavaScript';
  if (/^JS:\S* node_modules\//.test(name)) return 'other packages\' JavaScript';
  if (/^JS:\S* node:/.test(name)) return 'Node.js internal JavaScript';
  if (/^RegExp:/.test(name)) return 'regular expressions (compiled)';
  if (/JsonParser|JsonStringifier/.test(name)) return 'JSON.parse / JSON.stringify (V8 C++)';
  if (/Builtins_|^Builtin:|^BytecodeHandler:/.test(name)) return 'V8 builtins and interpreter';
  if (/Scavenge|Heap::|MarkCompact|Marking|Sweeper|RememberedSet|SlotSet|RootVisitor|RootScavengeVisitor|IterateObjectCache|GlobalHandles/.test(name)) return 'garbage collection (V8 C++)';
  if (/llhttp/.test(name)) return 'HTTP parser (llhttp, C)';
  if (/uv_|uv__/.test(name)) return 'libuv';
  if (/sqlite3/.test(name)) return 'SQLite';
  if (/node::/.test(name)) return 'Node.js C++';
  if (/v8::/.test(name)) return 'V8 C++ (API, runtime)';
  if (/libc\.so|ld-linux|libstdc/.test(name)) return 'libc (memcpy, malloc, …)';
  if (/^JIT code not in the map/.test(name)) return 'JIT code not in the map';
  return 'other';
}

const kinds = new Map();
let total = 0;
for (const [name, cost] of self) {
  const kind = kindOf(name);
  kinds.set(kind, (kinds.get(kind) ?? 0) + cost);
  total += cost;
}
const perRequest = (cost) => String(Math.round(cost / requests)).padStart(8);
console.log(`${target}: event loop, ${perRequest(total).trim()} instructions per request (self cost, ${requests} requests)`);
for (const [kind, cost] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`${perRequest(cost)}  ${kind}`);
console.log(`top ${top} functions:`);
for (const [name, cost] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${perRequest(cost)}  ${name.slice(0, 160)}`);
