/**
 * Part of the composition root: picks the concrete telephony engine and the compiler, and adapts the engine to
 * the server's TelephonyEngine shape. No module outside src/server names an engine.
 */
import { networkInterfaces } from 'node:os';
import type { Logger } from 'pino';
import { createEmbeddedEngine } from '../engines/embedded/index.js';
import { createMediaEngine } from '../engines/embedded/media/index.js';
import { compileBatch } from '../compiler/index.js';
import type { FlowCompiler } from '../runtime/registry.js';
import { ConfigError, type ServerConfig } from './config.js';
import type { TelephonyEngine } from './engine-port.js';

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** The address to advertise when a socket binds every interface: the first external IPv4, else loopback. */
function primaryAddress(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Build and start the engine `engine:` names. */
export async function createEngine(config: ServerConfig, log: Logger): Promise<TelephonyEngine> {
  if (config.engine === 'drachtio') {
    throw new ConfigError(
      "engine: 'drachtio' is not available in this build; use engine: embedded (the default)",
    );
  }
  const rtpAddress =
    config.rtp.publicAddress ?? (isWildcard(config.rtp.host) ? primaryAddress() : config.rtp.host);
  const mediaEngine = createMediaEngine({
    portMin: config.rtp.portMin,
    portMax: config.rtp.portMax,
    localAddress: config.rtp.host,
    advertisedAddress: rtpAddress,
    mediaTimeoutMs: config.rtp.mediaTimeout * 1000,
    connectedSend: config.rtp.connectedSend,
  });
  const sip = config.sip;
  // Via and Contact must name an address the far end can reach: given loopback, a phone on another host would
  // send its ACK and BYE to itself and every call it answers would time out.
  const sipAdvertised = sip.publicAddress ?? (isWildcard(sip.host) ? primaryAddress() : undefined);
  const engine = createEmbeddedEngine({
    sip: {
      host: sip.host,
      port: sip.port,
      transports: sip.transports,
      ...(sip.tls ? { tls: sip.tls } : {}),
      ...(sipAdvertised ? { publicAddress: sipAdvertised } : {}),
      ...(sip.allow ? { allow: sip.allow } : {}),
      ...(sip.rateLimit ? { rateLimit: sip.rateLimit } : {}),
    },
    rtp: {
      address: rtpAddress,
      portMin: config.rtp.portMin,
      portMax: config.rtp.portMax,
      mediaTimeoutMs: config.rtp.mediaTimeout * 1000,
    },
    trunks: config.trunks,
    mediaEngine,
    resources: mediaEngine.resources,
  });
  let bound;
  try {
    bound = await engine.start();
  } catch (err) {
    await engine.stop(0).catch(() => undefined);
    throw err;
  }
  const first = bound.udp ?? bound.tcp ?? bound.tls;
  log.debug({ bound }, 'SIP transports bound');
  return {
    calls: engine.calls,
    media: engine.media,
    sip: {
      host: sip.host,
      port: first?.port ?? sip.port,
      transports: Object.keys(bound),
      advertised: sipAdvertised ?? sip.host,
      rtpAdvertised: rtpAddress,
      ...(bound.tls ? { tlsPort: bound.tls.port } : {}),
    },
    onIncomingCall: (h) => engine.onIncomingCall(h),
    stats: () => {
      const s = engine.stats();
      const tx = engine.sip.core.table.sizes;
      return {
        sipTransactions: tx.client + tx.server,
        sipMalformed: s.sip.malformedDropped + s.sip.malformedRejected,
        rtpStreams: s.media.legs,
      };
    },
    close: () => engine.stop(0),
  };
}

/** The project's flow compiler. */
export async function loadCompiler(): Promise<FlowCompiler> {
  return (sources, opts) => compileBatch(sources, opts);
}
