import { describe, expect, it } from 'vitest';
import { firstValue, paramOf, parseCSeq, parseUri, parseVia, splitValues, stampVia, tagOf, uriOf } from './header-util.js';

describe('header-util', () => {
  it('reads the top Via with rport, received and IPv6 sent-by', () => {
    const v = parseVia('SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK-1;rport, SIP/2.0/TCP b.example');
    expect(v).toMatchObject({ transport: 'udp', host: '10.0.0.1', port: 5062, branch: 'z9hG4bK-1', rport: true, sentBy: '10.0.0.1:5062' });
    const v6 = parseVia('SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bKx;received=1.2.3.4');
    expect(v6).toMatchObject({ host: '[2001:db8::1]', port: 5060, received: '1.2.3.4', rport: false });
    expect(parseVia('garbage')).toBeUndefined();
  });

  it('stamps received and rport (RFC 3581)', () => {
    const raw = 'SIP/2.0/UDP host.example:5060;branch=z9hG4bK1;rport';
    expect(stampVia(raw, parseVia(raw)!, '1.2.3.4', 40000)).toBe('SIP/2.0/UDP host.example:5060;branch=z9hG4bK1;rport=40000;received=1.2.3.4');
    const same = 'SIP/2.0/UDP 1.2.3.4:5060;branch=z9hG4bK1';
    expect(stampVia(same, parseVia(same)!, '1.2.3.4', 5060)).toBeUndefined();
  });

  it('reads tags, URIs and params of name-addrs', () => {
    expect(tagOf('"Bob, Jr" <sip:bob@b.example;transport=tcp>;tag=abc')).toBe('abc');
    expect(tagOf('<sip:bob@b.example;tag=inside>')).toBeUndefined();
    expect(tagOf('sip:bob@b.example;tag=x1')).toBe('x1');
    expect(uriOf('"A" <sip:a@b>;tag=1')).toBe('sip:a@b');
    expect(paramOf('<sip:a@b>;expires=60;lr', 'lr')).toBe('');
    expect(firstValue('"a,b" <sip:x@y>, <sip:z@w>')).toBe('"a,b" <sip:x@y>');
    expect(splitValues('<sip:p1;lr>, <sip:p2;lr>')).toEqual(['<sip:p1;lr>', '<sip:p2;lr>']);
  });

  it('parses sip URIs and CSeq', () => {
    expect(parseUri('sips:alice@[::1]:5061;transport=tls;lr')).toMatchObject({ scheme: 'sips', user: 'alice', host: '[::1]', port: 5061, transport: 'tls', lr: true });
    expect(parseUri('sip:example.com')).toMatchObject({ host: 'example.com', port: undefined, lr: false });
    expect(parseUri('tel:+1555')).toBeUndefined();
    expect(parseCSeq('42 INVITE')).toEqual({ seq: 42, method: 'INVITE' });
    expect(parseCSeq('x INVITE')).toBeUndefined();
  });
});
