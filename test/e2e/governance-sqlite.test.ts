// The governance suite on an embedded SQLite file.
import { sqliteUrl } from '../support/governed-gateway.js';
import { runGovernanceSuite } from './governance-suite.js';

runGovernanceSuite('sqlite', async () => sqliteUrl());
