import { describe, expect, it } from 'vitest';
import { hostOf, userOf } from './call-info.js';
import { routeDial, TrunkMatcher } from './route.js';
import { sipfragStatus } from './transfer.js';

describe('routeDial', () => {
  const trunks = {
    carrier: {
      uri: 'sip:carrier.example.com:5080;transport=tcp',
      username: 'u',
      password: 'p',
      default: true,
    },
    backup: { uri: 'sip:10.0.0.9' },
  };

  it('sends a number through the default trunk with its credentials', () => {
    expect(routeDial('+15550100', undefined, trunks)).toEqual({
      uri: 'sip:+15550100@carrier.example.com:5080;transport=tcp',
      auth: { username: 'u', password: 'p' },
    });
  });

  it('sends a number through a named trunk, or a host given in via', () => {
    expect(routeDial('100', 'backup', trunks)).toEqual({ uri: 'sip:100@10.0.0.9' });
    expect(routeDial('100', '192.0.2.1:5062', {})).toEqual({ uri: 'sip:100@192.0.2.1:5062' });
  });

  it('keeps a SIP URI as the target; with via it goes through that proxy', () => {
    expect(routeDial('sip:bob@example.org', undefined, {})).toEqual({ uri: 'sip:bob@example.org' });
    expect(routeDial('sip:bob@example.org', 'backup', trunks)).toEqual({
      uri: 'sip:bob@example.org',
      proxy: 'sip:10.0.0.9',
    });
  });

  it('takes the number of a tel: URI', () => {
    expect(routeDial('tel:+15550100', 'backup', trunks)).toEqual({ uri: 'sip:+15550100@10.0.0.9' });
  });

  it('explains why there is no route', () => {
    expect(routeDial('+15550100', undefined, {})).toMatch(/no trunk/);
    expect(routeDial('not a number', undefined, trunks)).toMatch(/not a number/);
  });
});

describe('call info helpers', () => {
  it('reads the user (percent-decoded) and host of URIs', () => {
    expect(userOf('sip:%2B1555@example.org;user=phone')).toBe('+1555');
    expect(userOf('tel:+15550100;phone-context=x')).toBe('+15550100');
    expect(userOf('sip:example.org')).toBe('');
    expect(hostOf('sip:alice@[::1]:5060')).toBe('[::1]');
  });

  it('matches inbound sources to trunks by address and CIDR', () => {
    const m = new TrunkMatcher({
      a: { uri: 'sip:a', sources: ['192.0.2.0/24'] },
      b: { uri: 'sip:b', sources: ['198.51.100.7'] },
    });
    expect(m.match('192.0.2.77')).toBe('a');
    expect(m.match('198.51.100.7')).toBe('b');
    expect(m.match('203.0.113.1')).toBeUndefined();
  });

  it('reads the status of a sipfrag body', () => {
    expect(sipfragStatus('SIP/2.0 200 OK\r\n')).toBe(200);
    expect(sipfragStatus('SIP/2.0 100 Trying')).toBe(100);
    expect(sipfragStatus('garbage')).toBeUndefined();
  });
});
