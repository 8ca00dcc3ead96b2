/** The fetch-based Http port against a real local HTTP server, through the shared Http contract. */
import { createFetchHttp } from '../../src/engines/http/fetch-http.js';
import { describeHttpContract } from '../contracts/http-contract.js';
import { startScriptedServer } from './local-http-harness.js';

describeHttpContract('fetch', (routes) => startScriptedServer(routes, createFetchHttp({ backoffMs: 10 })));
