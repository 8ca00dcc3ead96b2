/** Shared shapes of the transport layer (RFC 3261 §18). */
import type { Socket } from 'node:net';

/** Transport protocols the engine speaks. */
export const TransportProtocol = { Udp: 'udp', Tcp: 'tcp', Tls: 'tls' } as const;
/** One of 'udp' | 'tcp' | 'tls'. */
export type TransportProtocol = (typeof TransportProtocol)[keyof typeof TransportProtocol];

/** A remote or local transport address. */
export interface Endpoint {
  protocol: TransportProtocol;
  address: string;
  port: number;
  /** The host name `address` was resolved from, for TLS server identity (RFC 5922 §7.2); absent for literals. */
  serverName?: string;
}

/** Where an incoming message came from; `conn` is set for stream transports (§18.2.2 reply on it). */
export interface Source extends Endpoint {
  conn?: Socket;
}

/** Splits a byte stream into whole SIP messages (Content-Length framing, §18.3). */
export interface StreamFramer {
  push(chunk: Buffer): void;
}

/** Builds one framer per connection. */
export type FramerFactory = (onMessage: (msg: Buffer) => void, onError: (err: unknown) => void) => StreamFramer;

/** Receives every datagram or framed stream message. */
export type InboundHandler = (data: Buffer, source: Source) => void;

/** Called when a send fails (connect refused, socket error). */
export type SendErrorHandler = (err: Error) => void;

/** True for transports where the transaction layer must not retransmit (§17.1.1.2, §17.1.2.2). */
export function isReliable(protocol: TransportProtocol): boolean {
  return protocol !== 'udp';
}
