// Which paths the control plane answers (management API, admin UI and its data): the data plane relays exactly
// these to a separate control-plane process, and the in-process handlers claim the same set.
import { MANAGEMENT_PATHS } from './management-paths.js';

const REGENERATE = /^\/key\/[^/]+\/regenerate$/;

/** `/key/{key}/regenerate`, LiteLLM's path-parameter form of `/key/regenerate`. */
export function isRegeneratePath(path: string): boolean {
  return REGENERATE.test(path);
}

/** The UI's files and session API, plus the two read-only views only the UI adds. */
export function isAdminUiPath(path: string): boolean {
  return path === '/ui' || path.startsWith('/ui/') || path === '/v2/model/info' || path === '/config/running';
}

/** Compiled once (the route table is fixed): a Map lookup, then two cheap checks. */
export function controlPlanePaths(): (path: string) => boolean {
  const routes = new Set(MANAGEMENT_PATHS);
  return (path) => routes.has(path) || isAdminUiPath(path) || isRegeneratePath(path);
}
