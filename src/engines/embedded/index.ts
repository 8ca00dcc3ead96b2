/** Public API of the embedded engine (own SIP + RTP) for the composition root. */
export {
  createEmbeddedEngine,
  type EmbeddedEngine,
  type EmbeddedEngineOptions,
  type EmbeddedEngineStats,
  type EngineRtpOptions,
  type EngineSipOptions,
  type IncomingCallHandler,
} from './engine.js';
export { EmbeddedEngineError, EngineErrorCode } from './errors.js';
export { SipCallLeg } from './call-leg.js';
export type { EngineTrunk } from './route.js';
