// Every management route, by path (LiteLLM's), compiled once into the table ManagementApi serves.
import { BUDGET_ROUTES } from './budget-routes.js';
import { KEY_ROUTES } from './key-routes.js';
import type { ManagementRoute } from './management-context.js';
import { SPEND_ROUTES } from './spend-routes.js';
import { TEAM_ROUTES } from './team-routes.js';
import { UI_SPEND_ROUTES } from './ui-spend-routes.js';
import { USER_ROUTES } from './user-routes.js';

export function managementRoutes(): Map<string, { method: 'GET' | 'POST' | 'ANY'; run: ManagementRoute }> {
  const table = new Map<string, { method: 'GET' | 'POST' | 'ANY'; run: ManagementRoute }>();
  for (const [path, method, run] of [...KEY_ROUTES, ...TEAM_ROUTES, ...USER_ROUTES, ...BUDGET_ROUTES, ...SPEND_ROUTES, ...UI_SPEND_ROUTES]) {
    // LiteLLM serves info/list as GET; clients also POST some of them: accept both for reads.
    table.set(path, { method: method === 'GET' ? 'ANY' : method, run });
  }
  return table;
}
