/** Declarations of the steps that talk to HTTP services, the store, or the HTTP caller. */
import { declareStep, seconds } from './types.js';

/** Look a value up over HTTP, in the store, or in a table shipped with the flow. */
export const lookup = declareStep({
  name: 'lookup',
  summary: 'Look something up: an HTTP endpoint, a store key, or a data table shipped with the flow.',
  args: [
    { name: 'url', type: { kind: 'string' }, doc: 'HTTP(S) URL to call.' },
    { name: 'key', type: { kind: 'string' }, doc: 'Store key to read.' },
    { name: 'table', type: { kind: 'string' }, doc: 'CSV or JSON file beside the flow; use with `where`.', literal: true },
    { name: 'where', type: { kind: 'object' }, doc: 'Table lookup: column values that must match.' },
    { name: 'method', type: { kind: 'enum', values: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] }, doc: 'HTTP method.', default: 'GET' },
    { name: 'headers', type: { kind: 'object' }, doc: 'HTTP request headers.' },
    { name: 'body', type: { kind: 'any' }, doc: 'HTTP request body, sent as JSON.' },
    { name: 'timeout', type: { kind: 'duration', minMs: 1 }, doc: 'Per-attempt HTTP timeout.', default: seconds(5) },
    { name: 'retries', type: { kind: 'number', integer: true, min: 0, max: 5 }, doc: 'Retries on network errors and 5xx.', default: 0 },
    { name: 'map', type: { kind: 'object' }, doc: 'Shape the result: each field an expression over `response` ({status, body, headers}).' },
  ],
  outcomes: [
    { name: 'found', doc: 'HTTP 2xx, the key exists, or a table row matched; `into` gets the body / value / row (or `map`).' },
    { name: 'missing', doc: 'HTTP 404, no such key, or no row matched.' },
    { name: 'error', doc: 'Any other HTTP status, a timeout, or a network error.' },
  ],
  continueOn: ['found'],
  needs: {},
  into: 'the result (see `found`)',
  waits: true,
  oneOf: [['url', 'key', 'table']],
});

/** POST a webhook. */
export const notify = declareStep({
  name: 'notify',
  summary: 'Send a JSON webhook or callback.',
  args: [
    { name: 'url', type: { kind: 'string' }, doc: 'HTTP(S) URL.', required: true, positional: true },
    { name: 'method', type: { kind: 'enum', values: ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'] }, doc: 'HTTP method.', default: 'POST' },
    { name: 'headers', type: { kind: 'object' }, doc: 'HTTP request headers.' },
    { name: 'body', type: { kind: 'any' }, doc: 'Request body, sent as JSON.' },
    { name: 'timeout', type: { kind: 'duration', minMs: 1 }, doc: 'Per-attempt timeout.', default: seconds(5) },
    { name: 'retries', type: { kind: 'number', integer: true, min: 0, max: 5 }, doc: 'Retries on network errors and 5xx.', default: 2 },
  ],
  outcomes: [
    { name: 'ok', doc: 'The endpoint answered 2xx.' },
    { name: 'error', doc: 'Any other status, or no answer after the retries.' },
  ],
  continueOn: ['ok', 'error'],
  needs: {},
  into: '{status, body}',
  waits: true,
});

/** Answer the HTTP request that started this session. */
export const respond = declareStep({
  name: 'respond',
  summary: 'Send the HTTP response for an `on http` entry (the session may go on afterwards).',
  args: [
    { name: 'status', type: { kind: 'number', integer: true, min: 100, max: 599 }, doc: 'HTTP status.', default: 200, positional: true },
    { name: 'body', type: { kind: 'any' }, doc: 'Response body, sent as JSON.' },
    { name: 'headers', type: { kind: 'object' }, doc: 'Response headers.' },
  ],
  outcomes: [{ name: 'sent', doc: 'The response was sent.' }],
  continueOn: ['sent'],
  needs: { http: true },
});

/** Read a store key. */
export const storeGet = declareStep({
  name: 'store-get',
  summary: 'Read a value from the store.',
  args: [{ name: 'key', type: { kind: 'string' }, doc: 'Key (namespaced per flow).', required: true, positional: true }],
  outcomes: [
    { name: 'found', doc: 'The key exists; `into` gets its value.' },
    { name: 'missing', doc: 'No such key (or it expired).' },
  ],
  continueOn: ['found'],
  needs: {},
  into: 'the stored value',
});

/** Write a store key. */
export const storePut = declareStep({
  name: 'store-put',
  summary: 'Write a value to the store, optionally only if absent, with a time to live.',
  args: [
    { name: 'key', type: { kind: 'string' }, doc: 'Key (namespaced per flow).', required: true, positional: true },
    { name: 'value', type: { kind: 'any' }, doc: 'Any JSON value.', required: true },
    { name: 'ttl', type: { kind: 'duration', minMs: 1 }, doc: 'Expire after this long.' },
    { name: 'if-absent', type: { kind: 'boolean' }, doc: 'Write only if the key does not exist (atomic).', flag: true, default: false },
  ],
  outcomes: [
    { name: 'ok', doc: 'Written.' },
    { name: 'exists', doc: 'With `if-absent`: the key already existed; nothing was written.', onlyWith: 'if-absent' },
  ],
  continueOn: ['ok'],
  needs: {},
});

/** Delete a store key. */
export const storeDelete = declareStep({
  name: 'store-delete',
  summary: 'Delete a key from the store.',
  args: [{ name: 'key', type: { kind: 'string' }, doc: 'Key (namespaced per flow).', required: true, positional: true }],
  outcomes: [{ name: 'ok', doc: 'The key is gone (whether or not it existed).' }],
  continueOn: ['ok'],
  needs: {},
  into: 'true when the key existed',
});

/** Atomically add to a counter. */
export const storeIncr = declareStep({
  name: 'store-incr',
  summary: 'Atomically add to a counter in the store and read the new value.',
  args: [
    { name: 'key', type: { kind: 'string' }, doc: 'Key (namespaced per flow).', required: true, positional: true },
    { name: 'by', type: { kind: 'number', integer: true }, doc: 'Amount to add.', default: 1 },
    { name: 'ttl', type: { kind: 'duration', minMs: 1 }, doc: 'Set the expiry when the counter is created.' },
  ],
  outcomes: [{ name: 'ok', doc: 'Incremented; `into` gets the new value.' }],
  continueOn: ['ok'],
  needs: {},
  into: 'the new value',
});

/** Write a line to the trace and the log. */
export const log = declareStep({
  name: 'log',
  summary: 'Write a message to the session trace and the server log.',
  args: [
    { name: 'message', type: { kind: 'string' }, doc: 'The message.', required: true, positional: true },
    { name: 'level', type: { kind: 'enum', values: ['debug', 'info', 'warn', 'error'] }, doc: 'Log level.', default: 'info' },
  ],
  outcomes: [{ name: 'ok', doc: 'Logged.' }],
  continueOn: ['ok'],
  needs: {},
});
