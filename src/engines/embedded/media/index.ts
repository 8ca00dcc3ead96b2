/**
 * Public surface of the embedded media engine for the SIP↔media adapter and the runtime: create the engine,
 * negotiate SDP into RTP legs, and drive each leg through an Endpoint (play, collect, record, bridge, channels, tap).
 */
export { createMediaEngine, EmbeddedMediaEngine, type EmbeddedMediaOptions } from './engine.js';
export { UdpRtpLeg, type LegStats, type SendStats } from './rtp/leg.js';
export type { ReceiveStats } from './rtp/receiver.js';
export { PortExhaustedError } from './rtp/port-pool.js';
export { SdpError, SdpErrorCode } from './sdp/sdp-error.js';
export { mirrorDirection, readRemoteAudio, writeLocalSdp, type RemoteAudio } from './sdp/negotiate.js';
export {
  Endpoint,
  type EndpointPlayOptions,
  type EndpointRecordOptions,
  type PlayCollectOptions,
} from './endpoint/endpoint.js';
export {
  createMediaResources,
  type MediaResources,
  type MediaResourceOptions,
} from './endpoint/resources.js';
export type { CollectOutcome, CollectReason, CollectSpec } from './endpoint/collect.js';
export type { PlaySpec } from './endpoint/play-items.js';
export { PLAY_END, type PlayEndReason, type PlaybackResult } from './play/player.js';
export { RECORD_END, type RecordEndReason, type RecordResult } from './record/recorder.js';
export { ChannelRegistry } from './mix/registry.js';
export { Channel, Member, type LeaveReason } from './mix/channel.js';
export { AudioTap, type TapFrame, type TapOptions } from './tap/tap.js';
export { TtsError, TtsUnavailableError } from './play/tts.js';
export type { LegDtmf, LegLike } from './play/pcm.js';
export * from './types.js';
