/**
 * The embedded engine: our SIP stack plus the RTP media engine behind the CallControl and Media ports.
 * Inbound INVITEs become ringing CallLegs handed to the composition root, which starts a session on them.
 */
import type { CallControl, CallLeg } from '../../ports/call-control.js';
import type { Media } from '../../ports/media.js';
import { inboundCallInfo } from './call-info.js';
import { SipCallLeg, type LegContext } from './call-leg.js';
import { createSipCallControl } from './call-control.js';
import { EmbeddedEngineError, EngineErrorCode } from './errors.js';
import { createMediaResources, type MediaResources } from './media/endpoint/resources.js';
import { createMediaEngine, EmbeddedMediaEngine } from './media/engine.js';
import type { CodecName, MediaEngine, MediaEngineStats, NegotiateOptions } from './media/types.js';
import { createEndpointMedia } from './media-port.js';
import { TrunkMatcher, type EngineTrunk } from './route.js';
import {
  refuseBody,
  SipStack,
  type InboundRequest,
  type ListenOptions,
  type LocalAddress,
  type OutboundResponse,
  type SipStats,
  type TimerConfig,
  type TransportProtocol,
} from './sip/index.js';

/** SIP side options. */
export interface EngineSipOptions {
  /** Bind address (default 0.0.0.0). */
  host?: string;
  /** Port for UDP and TCP (default 5060; 0 picks a free one). */
  port?: number;
  transports?: Array<'udp' | 'tcp' | 'tls'>;
  /** verify: check TLS servers' certificates (default true); ca: PEM text or file of the CAs to trust. */
  tls?: { port: number; cert: string; key: string; verify?: boolean; ca?: string };
  /** Host written into Via / Contact when it differs from the bind address (NAT, 0.0.0.0). */
  publicAddress?: string;
  /** Source IPs / CIDRs allowed to send us requests (all when empty). */
  allow?: string[];
  rateLimit?: { perSecond?: number; burst?: number };
  timers?: Partial<TimerConfig>;
}

/** RTP side options. */
export interface EngineRtpOptions {
  /** Address in our SDP and to bind RTP on (default 127.0.0.1). */
  address?: string;
  portMin?: number;
  portMax?: number;
  /** Hang up a call after this long without RTP (0: never). */
  mediaTimeoutMs?: number;
  /** Run in-band (Goertzel) DTMF detection on every call. */
  inbandDtmf?: boolean;
  /** Codecs in our preference order. */
  codecs?: CodecName[];
}

/** Options of createEmbeddedEngine. */
export interface EmbeddedEngineOptions {
  sip?: EngineSipOptions;
  rtp?: EngineRtpOptions;
  trunks?: Record<string, EngineTrunk>;
  /** From URI of dials that name no `from` (default sip:callflow@<our SIP address>). */
  defaultFrom?: string;
  /** Send 180 Ringing as soon as an INVITE arrives (default true). */
  ring?: boolean;
  /** The RTP media engine; default: createMediaEngine over `rtp` (the engine closes it on stop either way). */
  mediaEngine?: MediaEngine;
  /** Prompt cache, TTS and channels shared by every call (default: the media engine's, else fresh ones). */
  resources?: MediaResources;
}

/** Receives each inbound call while it rings; it answers, rejects or runs a flow on it. */
export type IncomingCallHandler = (leg: CallLeg) => void | Promise<void>;

/** Counters for metrics. */
export interface EmbeddedEngineStats {
  activeCalls: number;
  inboundCalls: number;
  outboundCalls: number;
  rejectedNoHandler: number;
  dialogs: number;
  sip: SipStats;
  media: MediaEngineStats;
}

/** The engine the composition root wires to the runtime. */
export interface EmbeddedEngine {
  readonly calls: CallControl;
  readonly media: Media;
  /** The SIP stack itself (e.g. for OPTIONS pings or middleware such as digest auth). */
  readonly sip: SipStack;
  /** Set the handler of inbound calls (one; a later call replaces it). Without one, INVITEs get 480. */
  onIncomingCall(handler: IncomingCallHandler): void;
  /** Bind the SIP transports; resolves with the bound address per protocol. */
  start(): Promise<Partial<Record<TransportProtocol, LocalAddress>>>;
  /** Refuse new calls (503), let live calls run up to `graceMs`, hang up the rest with `shutdown`, close. */
  stop(graceMs?: number): Promise<void>;
  /** A live leg by CallInfo.id. */
  leg(id: string): CallLeg | undefined;
  stats(): EmbeddedEngineStats;
}

/** Create the embedded engine (not yet listening: call start()). */
export function createEmbeddedEngine(opts: EmbeddedEngineOptions): EmbeddedEngine {
  const sipOpts = opts.sip ?? {};
  const stack = new SipStack({
    ...(sipOpts.timers ? { timers: sipOpts.timers } : {}),
    access: {
      allow: sipOpts.allow ?? [],
      ...(sipOpts.rateLimit?.perSecond ? { ratePerSecond: sipOpts.rateLimit.perSecond } : {}),
      ...(sipOpts.rateLimit?.burst ? { burst: sipOpts.rateLimit.burst } : {}),
    },
  });
  const rtp = opts.rtp ?? {};
  const mediaEngine: MediaEngine =
    opts.mediaEngine ??
    createMediaEngine({
      portMin: rtp.portMin ?? 20000,
      portMax: rtp.portMax ?? 30000,
      localAddress: rtp.address ?? '127.0.0.1',
      ...(rtp.mediaTimeoutMs ? { mediaTimeoutMs: rtp.mediaTimeoutMs } : {}),
    });
  const resources =
    opts.resources ??
    (mediaEngine instanceof EmbeddedMediaEngine ? mediaEngine.resources : createMediaResources());
  const legs = new Map<string, SipCallLeg>();
  const trunks = opts.trunks ?? {};
  const matcher = new TrunkMatcher(trunks);
  const negotiate: NegotiateOptions = {
    ...(rtp.codecs ? { codecs: rtp.codecs } : {}),
    ...(rtp.mediaTimeoutMs ? { mediaTimeoutMs: rtp.mediaTimeoutMs } : {}),
    ...(rtp.inbandDtmf ? { inbandDtmf: true } : {}),
  };
  const counts = { inbound: 0, outbound: 0, rejectedNoHandler: 0 };
  const legCtx: LegContext = {
    stack,
    media: mediaEngine,
    resources,
    negotiate,
    onEnd: (leg) => {
      if (legs.get(leg.info.id) === leg) legs.delete(leg.info.id);
    },
  };
  let handler: IncomingCallHandler | undefined;
  let stopping = false;
  let stopped: Promise<void> | undefined;

  stack.on('invite', (req: InboundRequest, res: OutboundResponse) => {
    if (stopping) return void res.send(503, { headers: { 'Retry-After': '5' } });
    if (!handler) {
      counts.rejectedNoHandler++;
      return void res.send(480);
    }
    // A body we cannot read (not SDP, no SDP part we may use) is refused before the flow sees the call.
    const body = req.session;
    if (!body.ok) return refuseBody(res, body);
    const leg = SipCallLeg.inbound(inboundCallInfo(req, matcher.match(req.source.address)), legCtx, req, res);
    legs.set(leg.info.id, leg);
    counts.inbound++;
    if (opts.ring !== false) res.send(180);
    // A handler that throws (or rejects, if async) must not leave the caller ringing.
    const fail = (): void => void leg.hangup({ status: 500, cause: 'error' });
    try {
      const r: unknown = handler(leg);
      if (r instanceof Promise) r.catch(fail);
    } catch {
      fail();
    }
  });

  const calls = createSipCallControl({
    leg: legCtx,
    trunks,
    legs,
    ...(opts.defaultFrom ? { defaultFrom: opts.defaultFrom } : {}),
  });
  const countedCalls: CallControl = {
    ...calls,
    async dial(req, signal) {
      const r = await calls.dial(req, signal);
      if (r.outcome === 'answered') counts.outbound++;
      return r;
    },
  };

  return {
    calls: countedCalls,
    media: createEndpointMedia(resources),
    sip: stack,
    onIncomingCall(h) {
      handler = h;
    },
    async start() {
      const host = sipOpts.host ?? '0.0.0.0';
      const port = sipOpts.port ?? 5060;
      const transports = sipOpts.transports ?? ['udp', 'tcp'];
      const listen: ListenOptions = {};
      if (transports.includes('udp')) listen.udp = { host, port };
      if (transports.includes('tcp')) listen.tcp = { host, port };
      if (transports.includes('tls')) {
        if (!sipOpts.tls)
          throw new EmbeddedEngineError(
            EngineErrorCode.badConfig,
            'TLS transport needs sip.tls cert and key',
          );
        const { port: tlsPort, cert, key, verify, ca } = sipOpts.tls;
        listen.tls = { host, port: tlsPort, cert, key, ...(verify === false ? { verifyPeer: false } : {}), ...(ca ? { ca } : {}) };
      }
      if (sipOpts.publicAddress) listen.advertise = sipOpts.publicAddress;
      return stack.listen(listen);
    },
    stop(graceMs = 0) {
      stopped ??= (async () => {
        stopping = true;
        const until = Date.now() + graceMs;
        while (legs.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        await Promise.all([...legs.values()].map((l) => l.hangup({ status: 503, cause: 'shutdown' })));
        await stack.close();
        await mediaEngine.close();
      })();
      return stopped;
    },
    leg: (id) => legs.get(id),
    stats: () => ({
      activeCalls: legs.size,
      inboundCalls: counts.inbound,
      outboundCalls: counts.outbound,
      rejectedNoHandler: counts.rejectedNoHandler,
      dialogs: stack.dialogCount,
      sip: stack.stats,
      media: mediaEngine.stats(),
    }),
  };
}
