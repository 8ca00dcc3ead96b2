/** WebSocket voice bots: the Bots port and the protocols it speaks. */
export { createWsBots, type WsBotsOptions } from './ws-bots.js';
export { PROTOCOLS } from './registry.js';
export type { BotProtocol, BotCommand, StreamFacts } from './protocol.js';
