import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { mirrorDirection, readRemoteAudio, writeLocalSdp } from './negotiate.js';
import { SdpError } from './sdp-error.js';

const offer = (m: string, extra = ''): string =>
  `v=0\r\no=peer 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n${m}${extra}`;

describe('readRemoteAudio', () => {
  it('follows the offerer order and keeps its telephone-event PT', () => {
    const r = readRemoteAudio(
      offer(
        'm=audio 5000 RTP/AVP 18 8 0 96\r\na=rtpmap:18 G729/8000\r\na=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-16\r\na=sendonly\r\n',
      ),
    );
    expect(r).toMatchObject({
      codec: 'PCMA',
      pt: 8,
      telephoneEventPt: 96,
      address: '10.0.0.1',
      port: 5000,
      direction: 'sendonly',
      index: 0,
    });
  });

  it('honours our codec restriction and static PTs without rtpmap', () => {
    expect(readRemoteAudio(offer('m=audio 5000 RTP/AVP 8 0\r\n'), ['PCMU']).codec).toBe('PCMU');
  });

  it('uses the media-level c= line and skips rejected or SRTP streams', () => {
    const sdp = offer(
      'm=audio 0 RTP/AVP 0\r\nm=audio 6000 RTP/SAVP 0\r\nm=video 7000 RTP/AVP 96\r\nm=audio 8000 RTP/AVP 0\r\nc=IN IP4 10.9.9.9\r\n',
    );
    const r = readRemoteAudio(sdp);
    expect(r).toMatchObject({ index: 3, address: '10.9.9.9', port: 8000, telephoneEventPt: undefined });
  });

  it('rejects with SdpError (488) when no common codec or no audio', () => {
    const noCodec = (): unknown =>
      readRemoteAudio(
        offer('m=audio 5000 RTP/AVP 18 9\r\na=rtpmap:18 G729/8000\r\na=rtpmap:9 G722/8000\r\n'),
      );
    expect(noCodec).toThrow(SdpError);
    try {
      noCodec();
    } catch (err) {
      expect((err as SdpError).code).toBe('SDP_NO_COMMON_CODEC');
      expect((err as SdpError).sipStatus).toBe(488);
    }
    expect(() => readRemoteAudio(offer('m=video 5000 RTP/AVP 96\r\n'))).toThrow(/no audio/);
    expect(() => readRemoteAudio('garbage')).toThrow(SdpError);
    // A PCMU name at 16 kHz is not our PCMU.
    expect(() => readRemoteAudio(offer('m=audio 5000 RTP/AVP 97\r\na=rtpmap:97 PCMU/16000\r\n'))).toThrow(
      SdpError,
    );
  });
});

describe('mirrorDirection', () => {
  it('answers per RFC 3264 §6.1', () => {
    expect(mirrorDirection('sendonly')).toBe('recvonly');
    expect(mirrorDirection('recvonly')).toBe('sendonly');
    expect(mirrorDirection('inactive')).toBe('inactive');
    expect(mirrorDirection('sendrecv')).toBe('sendrecv');
    expect(mirrorDirection('sendrecv', 'sendonly')).toBe('sendonly');
    expect(mirrorDirection('sendonly', 'sendonly')).toBe('inactive');
  });
});

describe('writeLocalSdp', () => {
  it('writes a parseable answer that keeps the m= line count and rejects the others', () => {
    const remote = readRemoteAudio(
      offer('m=video 7000 RTP/AVP 96\r\nm=audio 5000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n'),
    );
    const sdp = writeLocalSdp({
      address: '127.0.0.1',
      port: 40002,
      codecs: [remote.codec],
      telephoneEventPt: remote.telephoneEventPt,
      direction: 'sendrecv',
      sessionId: 7,
      version: 1,
      offerLines: remote.lines,
      index: remote.index,
    });
    const s = parse(sdp);
    expect(s.media).toHaveLength(2);
    expect(s.media[0]).toMatchObject({ type: 'video', port: 0 });
    expect(s.media[1]).toMatchObject({
      type: 'audio',
      port: 40002,
      payloads: '0 101',
      ptime: 20,
      direction: 'sendrecv',
    });
    expect(s.media[1]!.fmtp[0]).toMatchObject({ payload: 101, config: '0-15' });
    expect(readRemoteAudio(sdp)).toMatchObject({ codec: 'PCMU', telephoneEventPt: 101, port: 40002 });
  });

  it('answers RTP/AVPF with RTP/AVPF', () => {
    const remote = readRemoteAudio(offer('m=audio 5000 RTP/AVPF 8\r\n'));
    const sdp = writeLocalSdp({
      address: '127.0.0.1',
      port: 40002,
      codecs: [remote.codec],
      telephoneEventPt: undefined,
      direction: 'sendrecv',
      sessionId: 7,
      version: 1,
      offerLines: remote.lines,
      index: remote.index,
    });
    expect(sdp).toContain('m=audio 40002 RTP/AVPF 8\r\n');
  });
});
