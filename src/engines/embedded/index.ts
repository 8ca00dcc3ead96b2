/**
 * Public API of the embedded engine (own SIP + RTP) for the composition root:
 *
 *   const engine = createEmbeddedEngine({ sip: { host, port, transports }, rtp: { address, portMin, portMax }, trunks });
 *   engine.onIncomingCall((leg) => { if (!runtime.startCallSession(leg)) void leg.hangup({ status: 404 }); });
 *   await engine.start();                 // binds SIP; resolves { udp?: {host, port}, tcp?: ..., tls?: ... }
 *   ports = { calls: engine.calls, media: engine.media, ... };
 *   await engine.stop(graceMs);           // 503 to new INVITEs, lets calls run graceMs, then BYE (cause 'shutdown')
 */
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
