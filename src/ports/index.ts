/** The ports: interfaces the runtime works through. Engines implement them; only the composition root picks. */
export * from './clock.js';
export * from './call-control.js';
export * from './media.js';
export * from './http.js';
export * from './store.js';
export * from './bots.js';
