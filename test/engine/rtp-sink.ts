/** A raw RTP socket the tests control: it receives what the engine sends and parses RTP (RFC 3550 §5.1). */
import { createSocket, type Socket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { WaveFile } from 'wavefile';
import { ULAW_DECODE, ULAW_ENCODE } from '../../src/engines/embedded/media/codec/g711.js';

/** One received RTP packet. */
export interface SinkPacket {
  pt: number;
  marker: boolean;
  seq: number;
  ts: number;
  payload: Buffer;
}

/** A bound UDP socket collecting RTP packets. */
export class RtpSink {
  readonly packets: SinkPacket[] = [];

  private constructor(private readonly sock: Socket) {
    sock.on('message', (m: Buffer) => {
      if (m.length < 12 || m[0]! >> 6 !== 2) return;
      const cc = m[0]! & 0x0f;
      this.packets.push({
        pt: m[1]! & 0x7f,
        marker: (m[1]! & 0x80) !== 0,
        seq: m.readUInt16BE(2),
        ts: m.readUInt32BE(4),
        payload: m.subarray(12 + 4 * cc),
      });
    });
  }

  /** Bind on 127.0.0.1, ephemeral port. */
  static async open(): Promise<RtpSink> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    return new RtpSink(s);
  }

  get port(): number {
    return this.sock.address().port;
  }

  /** Send one PCMU packet of `pcm` (160 samples) to the engine at `port`, from this socket (symmetric RTP). */
  sendPcmu(port: number, seq: number, pcm: Int16Array): void {
    const pkt = Buffer.alloc(12 + pcm.length);
    pkt[0] = 0x80;
    pkt[1] = 0;
    pkt.writeUInt16BE(seq & 0xffff, 2);
    pkt.writeUInt32BE((seq * 160) >>> 0, 4);
    pkt.writeUInt32BE(0x1234abcd, 8);
    for (let i = 0; i < pcm.length; i++) pkt[12 + i] = ULAW_ENCODE[(pcm[i] as number) + 32768] as number;
    this.sock.send(pkt, port, '127.0.0.1');
  }

  /** The decoded PCMU audio received so far. */
  audio(): Int16Array {
    const pkts = this.packets.filter((p) => p.pt === 0);
    const out = new Int16Array(pkts.length * 160);
    let n = 0;
    for (const p of pkts) for (const b of p.payload) out[n++] = ULAW_DECODE[b] as number;
    return out.subarray(0, n);
  }

  close(): void {
    this.sock.close();
  }
}

/** 20 ms of a sine at `freq` Hz starting at sample `offset`. */
export function sineFrame(freq: number, offset: number): Int16Array {
  const f = new Int16Array(160);
  for (let i = 0; i < 160; i++)
    f[i] = Math.round(10000 * Math.sin((2 * Math.PI * freq * (offset + i)) / 8000));
  return f;
}

/** Write a mono 8 kHz 16-bit WAV of a sine at `freq` Hz lasting `ms`. */
export function writeSineWav(file: string, freq: number, ms: number): void {
  const n = Math.round((8000 * ms) / 1000);
  const samples = new Int16Array(n);
  for (let i = 0; i < n; i++) samples[i] = Math.round(12000 * Math.sin((2 * Math.PI * freq * i) / 8000));
  const wav = new WaveFile();
  wav.fromScratch(1, 8000, '16', samples);
  writeFileSync(file, wav.toBuffer());
}
