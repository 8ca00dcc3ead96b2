/** Public API of the embedded SIP engine. */
export { SipStack, type SipStackOptions, type Middleware, type RequestHandler, type UasOptions, type CloseOptions } from './stack.js';
export { Dialog, DestroyReason, type DialogRequestOptions } from './dialog.js';
export { InboundRequest, OutboundResponse, type MessageOptions } from './inbound.js';
export { SipError, SipStackError, SipStackErrorCode } from './errors.js';
export { createAuthenticator, digestAuth, type AuthOptions, type AuthResult } from './auth.js';
export type { UacOptions } from './uac.js';
export type { SipStats } from './core.js';
export type { TimerConfig } from './transaction/timers.js';
export type { ListenOptions, LocalAddress } from './transport/layer.js';
export type { TransportProtocol, Endpoint } from './transport/types.js';
export type { AccessControlOptions } from './access-control.js';
export { withDirection, directionOf, type Direction } from './sdp-direction.js';
export { sessionBody, sdpOf, refuseBody, ACCEPTED_BODY_TYPES, type SessionBody } from './body.js';
export { SipRequest, SipResponse } from './message-port.js';
