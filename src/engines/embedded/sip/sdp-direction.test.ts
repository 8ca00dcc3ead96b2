import { describe, expect, it } from 'vitest';
import { answerDirection, directionOf, withDirection } from './sdp-direction.js';

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

describe('sdp-direction', () => {
  it('puts media on hold and back, bumping the session version', () => {
    const held = withDirection(SDP, 'sendonly');
    expect(directionOf(held)).toBe('sendonly');
    expect(held).toContain('o=- 1 2 IN IP4');
    expect(directionOf(withDirection(held, 'sendrecv'))).toBe('sendrecv');
    expect(directionOf(SDP)).toBe('sendrecv');
  });

  it('answers per RFC 3264 §6.1', () => {
    expect(answerDirection('sendonly')).toBe('recvonly');
    expect(answerDirection('recvonly')).toBe('sendonly');
    expect(answerDirection('inactive')).toBe('inactive');
    expect(answerDirection('sendrecv')).toBe('sendrecv');
  });
});
