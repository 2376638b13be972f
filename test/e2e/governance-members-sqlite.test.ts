// Bulk member add, teams on /user/new and per-model key spend on an embedded SQLite file.
import { sqliteUrl } from '../support/governed-gateway.js';
import { runMembersSuite } from './governance-members-suite.js';

runMembersSuite('sqlite', async () => sqliteUrl());
