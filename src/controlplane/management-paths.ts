// The management API's paths on their own: the data plane relays exactly these to the control-plane process and
// needs only the list, not the handlers behind it (so the data plane never loads the management modules).
// management-routes.test.ts keeps this list and the route table equal.
export const MANAGEMENT_PATHS: readonly string[] = [
  '/key/generate', '/key/update', '/key/delete', '/key/info', '/key/list', '/key/regenerate', '/key/block', '/key/unblock',
  '/team/new', '/team/update', '/team/delete', '/team/info', '/team/list', '/team/member_add', '/team/member_update', '/team/member_delete',
  '/team/bulk_member_add', '/team/block', '/team/unblock',
  '/user/new', '/user/update', '/user/delete', '/user/info', '/user/list',
  '/budget/new', '/budget/update', '/budget/delete', '/budget/info', '/budget/list',
  '/customer/new', '/customer/update', '/customer/delete', '/customer/info', '/customer/list', '/customer/block', '/customer/unblock',
  '/spend/logs', '/global/spend/report', '/global/spend/keys', '/global/spend/models', '/global/spend/teams',
  '/user/daily/activity', '/spend/logs/ui', '/team/daily/activity', '/user/daily/activity/users',
];
