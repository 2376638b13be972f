// `/budget/*` and `/customer/*`: reusable budgets (LiteLLM_BudgetTable) and end users that point at them.
import { randomUUID } from 'node:crypto';
import type { Row } from '../store/database.js';
import { BUDGET_TABLE, END_USER_TABLE } from '../store/tables.js';
import { badRequest, budgetFields, checkModelMaxBudget, notFoundError, pick, present, requireString, stringField, stringList, type ManagementContext, type ManagementRoute } from './management-context.js';

const BUDGET_FIELDS = ['max_budget', 'soft_budget', 'max_parallel_requests', 'tpm_limit', 'rpm_limit', 'budget_duration', 'model_max_budget'] as const;
const CUSTOMER_FIELDS = ['alias', 'allowed_model_region', 'default_model', 'blocked'] as const;

async function findBudget(ctx: ManagementContext, id: string | null): Promise<Row> {
  if (id === null) throw badRequest('budget_id is required', 'budget_id');
  const row = await ctx.repo.get('budget', id);
  if (row === null) throw notFoundError(`Budget not found, passed budget_id=${id}`);
  return row;
}

async function createBudget(ctx: ManagementContext, body: Row, budgetId: string): Promise<void> {
  checkModelMaxBudget(body);
  const now = new Date();
  await ctx.repo.insert(BUDGET_TABLE, { ...pick(body, BUDGET_FIELDS), ...budgetFields(body, now), budget_id: budgetId, created_at: now, updated_at: now, created_by: ctx.caller, updated_by: ctx.caller });
  await ctx.changed('budget', budgetId);
}

const budgetNew: ManagementRoute = async (ctx) => {
  const budgetId = stringField(ctx.body, 'budget_id') ?? randomUUID();
  if ((await ctx.repo.get('budget', budgetId)) !== null) throw badRequest(`Budget id = ${budgetId} already exists.`, 'budget_id');
  await createBudget(ctx, ctx.body, budgetId);
  return present((await ctx.repo.get('budget', budgetId))!);
};

const budgetUpdate: ManagementRoute = async (ctx) => {
  const budget = await findBudget(ctx, stringField(ctx.body, 'budget_id'));
  const id = String(budget.budget_id);
  checkModelMaxBudget(ctx.body);
  await ctx.repo.update('budget', id, { ...pick(ctx.body, BUDGET_FIELDS), ...budgetFields(ctx.body, new Date()), updated_at: new Date(), updated_by: ctx.caller });
  await ctx.changed('budget', id);
  // End users using it pick up the new limits.
  for (const row of await ctx.repo.all(END_USER_TABLE, { column: 'budget_id', value: id })) await ctx.changed('end_user', String(row.user_id));
  return present((await ctx.repo.get('budget', id))!);
};

const budgetDelete: ManagementRoute = async (ctx) => {
  const budget = await findBudget(ctx, stringField(ctx.body, 'id') ?? stringField(ctx.body, 'budget_id'));
  await ctx.repo.remove('budget', [String(budget.budget_id)]);
  await ctx.changed('budget', String(budget.budget_id));
  return present(budget);
};

const budgetInfo: ManagementRoute = async (ctx) => {
  const ids = stringList(ctx.body.budgets, 'budgets') ?? (ctx.query.get('budget_id') === null ? [] : [ctx.query.get('budget_id')!]);
  if (ids.length === 0) throw badRequest('budgets is required', 'budgets');
  return Promise.all(ids.map(async (id) => present(await findBudget(ctx, id))));
};

const budgetList: ManagementRoute = async (ctx) => (await ctx.repo.all(BUDGET_TABLE)).map(present);

async function findCustomer(ctx: ManagementContext, id: string | null): Promise<Row> {
  if (id === null) throw badRequest('user_id is required', 'user_id');
  const row = await ctx.repo.get('end_user', id);
  if (row === null) throw notFoundError(`End User Id=${id} does not exist in db`);
  return row;
}

async function customerView(ctx: ManagementContext, row: Row): Promise<Row> {
  const budgetId = typeof row.budget_id === 'string' ? row.budget_id : null;
  const budget = budgetId === null ? null : await ctx.repo.get('budget', budgetId);
  return { ...present(row), litellm_budget_table: budget === null ? null : present(budget) };
}

/** A customer's own limits live in a budget row, as in LiteLLM; one is created when limits are given. */
async function customerBudget(ctx: ManagementContext, body: Row): Promise<string | null> {
  const given = stringField(body, 'budget_id');
  if (given !== null) return String((await findBudget(ctx, given)).budget_id);
  if (BUDGET_FIELDS.every((field) => body[field] === undefined)) return null;
  const id = randomUUID();
  await createBudget(ctx, body, id);
  return id;
}

const customerNew: ManagementRoute = async (ctx) => {
  const userId = requireString(ctx.body, 'user_id');
  if ((await ctx.repo.get('end_user', userId)) !== null) throw badRequest(`Customer with id=${userId} already exists.`, 'user_id');
  const budgetId = await customerBudget(ctx, ctx.body);
  await ctx.repo.insert(END_USER_TABLE, { spend: 0, ...pick(ctx.body, CUSTOMER_FIELDS), blocked: ctx.body.blocked === true, user_id: userId, budget_id: budgetId });
  await ctx.changed('end_user', userId);
  return customerView(ctx, (await ctx.repo.get('end_user', userId))!);
};

const customerUpdate: ManagementRoute = async (ctx) => {
  const row = await findCustomer(ctx, stringField(ctx.body, 'user_id'));
  const userId = String(row.user_id);
  const values = pick(ctx.body, CUSTOMER_FIELDS);
  const existingBudget = typeof row.budget_id === 'string' ? row.budget_id : null;
  if (existingBudget !== null && BUDGET_FIELDS.some((field) => ctx.body[field] !== undefined) && ctx.body.budget_id === undefined) {
    checkModelMaxBudget(ctx.body);
    await ctx.repo.update('budget', existingBudget, { ...pick(ctx.body, BUDGET_FIELDS), ...budgetFields(ctx.body, new Date()), updated_at: new Date() });
    await ctx.changed('budget', existingBudget);
  } else {
    const budgetId = await customerBudget(ctx, ctx.body);
    if (budgetId !== null) values.budget_id = budgetId;
  }
  await ctx.repo.update('end_user', userId, values);
  await ctx.changed('end_user', userId);
  return customerView(ctx, (await ctx.repo.get('end_user', userId))!);
};

const customerDelete: ManagementRoute = async (ctx) => {
  const ids = stringList(ctx.body.user_ids, 'user_ids') ?? [];
  if (ids.length === 0) throw badRequest('user_ids is required', 'user_ids');
  for (const id of ids) await findCustomer(ctx, id);
  await ctx.repo.remove('end_user', ids);
  for (const id of ids) await ctx.changed('end_user', id);
  return { deleted_customers: ids };
};

const customerInfo: ManagementRoute = async (ctx) => customerView(ctx, await findCustomer(ctx, ctx.query.get('end_user_id') ?? ctx.query.get('user_id') ?? stringField(ctx.body, 'user_id')));

const customerList: ManagementRoute = async (ctx) => Promise.all((await ctx.repo.all(END_USER_TABLE)).map((row) => customerView(ctx, row)));

function setBlocked(blocked: boolean): ManagementRoute {
  return async (ctx) => {
    const ids = stringList(ctx.body.user_ids, 'user_ids') ?? [];
    if (ids.length === 0) throw badRequest('user_ids is required', 'user_ids');
    for (const id of ids) {
      if ((await ctx.repo.get('end_user', id)) === null) await ctx.repo.insert(END_USER_TABLE, { user_id: id, spend: 0, blocked });
      else await ctx.repo.update('end_user', id, { blocked });
      await ctx.changed('end_user', id);
    }
    return { blocked_users: blocked ? ids : [], unblocked_users: blocked ? [] : ids };
  };
}

export const BUDGET_ROUTES: ReadonlyArray<[string, 'GET' | 'POST', ManagementRoute]> = [
  ['/budget/new', 'POST', budgetNew],
  ['/budget/update', 'POST', budgetUpdate],
  ['/budget/delete', 'POST', budgetDelete],
  ['/budget/info', 'POST', budgetInfo],
  ['/budget/list', 'GET', budgetList],
  ['/customer/new', 'POST', customerNew],
  ['/customer/update', 'POST', customerUpdate],
  ['/customer/delete', 'POST', customerDelete],
  ['/customer/info', 'GET', customerInfo],
  ['/customer/list', 'GET', customerList],
  ['/customer/block', 'POST', setBlocked(true)],
  ['/customer/unblock', 'POST', setBlocked(false)],
];
