/** Known bot protocols by name. */
import { exotel } from './exotel.js';
import type { BotProtocol } from './protocol.js';
import { twilio } from './twilio.js';

/** Every protocol stream-to-websocket can speak. */
export const PROTOCOLS: Readonly<Record<string, BotProtocol>> = { exotel, twilio };
