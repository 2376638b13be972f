// Takes each HTTP request through the fixed sequence: control (or callback sink) → scenario → route → body → latency → checks → handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleCallbackSink, isCallbackSink } from './callback-sink.js';
import { handleControl, type ControlTarget } from './control.js';
import { FaultPicker } from './faults.js';
import { openaiProtocol } from './openai/errors.js';
import { RequestLog } from './request-log.js';
import { RouteTable } from './routes.js';
import { loggableMultipart, multipartBoundary, parseMultipart } from './multipart.js';
import { MOCK_PREFIX, NO_SCENARIO, ScenarioCache, ScenarioError } from './scenario.js';
import { MockContext, type MockError, type ResolvedOptions, type Route, type Scenario } from './types.js';

const NO_MODEL = '';

export class MockDispatcher implements ControlTarget {
  readonly log = new RequestLog();
  private readonly options: ResolvedOptions;
  private readonly faults: FaultPicker;
  private readonly scenarios = new ScenarioCache();
  private readonly routes = new RouteTable();
  private idCounter = 0;
  readonly nextId = (prefix: string): string => `${prefix}mock${(++this.idCounter).toString(36).padStart(6, '0')}`;
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => this.dispatch(req, res);

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.faults = new FaultPicker(options);
  }

  reset(): void {
    this.log.reset();
    this.faults.reset();
    this.idCounter = 0;
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const q = url.indexOf('?');
    let path = q < 0 ? url : url.slice(0, q);
    let scenario: Scenario | ScenarioError = NO_SCENARIO;
    if (path.startsWith(MOCK_PREFIX)) {
      if (handleControl(this, method, path, res, req)) return;
      const slash = path.indexOf('/', MOCK_PREFIX.length);
      scenario = this.scenarios.get(path.slice(MOCK_PREFIX.length, slash < 0 ? path.length : slash));
      path = slash < 0 ? '/' : path.slice(slash);
    } else if (isCallbackSink(method, path)) {
      handleCallbackSink(this.log, path, req, res);
      return;
    }
    const route = this.routes.resolve(method, path);
    this.log.count(path);
    const ctx = new MockContext(
      req,
      res,
      path,
      q < 0 ? '' : url.slice(q + 1),
      route?.pathModel ?? NO_MODEL,
      scenario instanceof ScenarioError ? NO_SCENARIO : scenario,
      this.options,
      this.nextId,
    );
    readBody(req, (raw) => this.withBody(ctx, route, raw, scenario instanceof ScenarioError ? scenario : undefined));
  }

  private withBody(ctx: MockContext, route: Route | undefined, raw: Buffer, bad: ScenarioError | undefined): void {
    let bodyError: MockError | undefined;
    const boundary = multipartBoundary(ctx.req.headers['content-type']);
    if (boundary !== undefined) {
      const parsed = parseMultipart(raw, boundary);
      if (parsed === undefined) bodyError = { kind: 'invalid_request', status: 400, message: 'Could not parse multipart form data.' };
      ctx.multipart = parsed;
    } else if (raw.length > 0) {
      try {
        ctx.body = JSON.parse(raw.toString('utf8'));
      } catch {
        ctx.body = raw.toString('utf8');
        bodyError = { kind: 'invalid_request', status: 400, message: 'We could not parse the JSON body of your request.' };
      }
    }
    const logged = ctx.multipart === undefined ? ctx.body : loggableMultipart(ctx.multipart);
    this.log.record({ method: ctx.req.method ?? 'GET', path: ctx.req.url ?? '/', headers: ctx.req.headers, body: logged });
    if (ctx.scenario.hang) return; // never answer; the socket stays open until the client gives up
    const latency = ctx.scenario.latency ?? this.options.latencyMs;
    if (latency > 0) setTimeout(() => this.respond(ctx, route, bodyError, bad), latency);
    else this.respond(ctx, route, bodyError, bad);
  }

  private respond(ctx: MockContext, route: Route | undefined, bodyError: MockError | undefined, bad: ScenarioError | undefined): void {
    if (ctx.res.destroyed) return;
    if (route === undefined) {
      const message = `Invalid URL (${ctx.req.method ?? 'GET'} ${ctx.path})`;
      openaiProtocol.sendError(ctx, { kind: 'not_found', status: 404, message });
      return;
    }
    const protocol = route.protocol;
    if (bad !== undefined) {
      protocol.sendError(ctx, { kind: 'invalid_request', status: 400, message: bad.message });
      return;
    }
    const early = protocol.precheck(ctx) ?? bodyError;
    if (early !== undefined) {
      protocol.sendError(ctx, early);
      return;
    }
    const fault = this.faults.pick(ctx.scenario);
    if (fault !== undefined) {
      const retryAfter = this.faults.retryAfter(ctx.scenario, fault);
      if (retryAfter !== undefined) ctx.res.setHeader('retry-after', String(retryAfter));
      protocol.sendError(ctx, fault);
      return;
    }
    const error = route.handler(ctx);
    if (error) protocol.sendError(ctx, error);
  }
}

const EMPTY = Buffer.alloc(0);

/** Collects the request body; GET and HEAD requests skip straight to `done`. */
function readBody(req: IncomingMessage, done: (raw: Buffer) => void): void {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    done(EMPTY);
    return;
  }
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => done(parts.length === 1 ? parts[0] : Buffer.concat(parts)));
}
