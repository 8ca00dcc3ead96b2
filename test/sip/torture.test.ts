/** RFC 4475 torture messages against the embedded parser: valid ones parse, invalid ones come back as errors. */
import { describe, expect, it } from 'vitest';
import { parseMessage, SipParseError, SipRequest, SipResponse } from '../../src/engines/embedded/sip/message/index.js';
import { INVALID } from './torture/invalid.js';
import { SEMANTIC } from './torture/semantic.js';
import { MPART_BODY, UNREASON_PHRASE, VALID } from './torture/valid.js';
import { SDP, type TortureCase } from './torture/wire.js';

function req(c: TortureCase): SipRequest {
  const r = parseMessage(c.bytes);
  if (!r.ok) throw new Error(`${c.name}: ${r.error.code} ${r.error.message}`);
  expect(r.message).toBeInstanceOf(SipRequest);
  return r.message as SipRequest;
}

function res(c: TortureCase): SipResponse {
  const r = parseMessage(c.bytes);
  if (!r.ok) throw new Error(`${c.name}: ${r.error.code} ${r.error.message}`);
  expect(r.message).toBeInstanceOf(SipResponse);
  return r.message as SipResponse;
}

/** The SipParseError a getter throws, or undefined. */
function thrown(read: () => unknown): SipParseError | undefined {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(SipParseError);
    return e as SipParseError;
  }
  return undefined;
}

describe('RFC 4475 §3.1.1 valid messages parse', () => {
  it('wsinv: whitespace, folding, compact forms and escapes everywhere', () => {
    const m = req(VALID.wsinv);
    expect(m.method).toBe('INVITE');
    expect(m.uri).toBe('sip:vivekg@chair-dnrc.example.com;unknownparam');
    expect(m.parsedUri?.params).toEqual({ unknownparam: null });
    expect(m.callId).toBe('wsinv.ndaksdj@192.0.2.1');
    expect(m.cseq).toEqual({ seq: 9, method: 'INVITE' });
    expect(m.getParsedHeader('max-forwards')).toBe(68);
    expect(m.toTag).toBe('1918181833n');
    expect(m.from.displayName).toBe('J Rosenberg \\"');
    expect(m.fromTag).toBe('98asjd8');
    expect(m.vias.map((v) => [v.transport, v.host, v.params.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(m.get('Subject')).toBe('');
    expect(m.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.get('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    expect(m.getParsedHeader('route')[0]?.uri.params).toEqual({ lr: null, unknownwith: 'value', 'unknown-no-value': null });
    const contact = m.getParsedHeader('contact')[0];
    expect(contact?.displayName).toBe('Quoted string ""');
    expect(contact?.params).toEqual({ newparam: 'newvalue', secondparam: null, q: '0.33' });
    expect(m.body.toString()).toBe(SDP);
  });

  it('intmeth: every token character in the method, URI user/password and header names', () => {
    const m = req(VALID.intmeth);
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(m.cseq).toEqual({ seq: 139122385, method: m.method });
    expect(m.parsedUri?.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(m.parsedUri?.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(m.parsedUri?.host).toBe('example.com');
    expect(m.to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7F');
    expect(m.to.uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(m.from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(m.from.params["fromparam''~+*_!.-%"]).toBe('\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439');
    expect(m.fromTag).toBe("_token~1'+`*%!-.");
    expect(m.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(m.vias[0]?.params.branch).toBe("z9hG4bK-.!%66*_+`'~");
    expect(m.get("extensionHeader-!.%*+_`'~")).toBe('\uFEFF\u5927\u5BAE\u8B1B');
    expect(m.getParsedHeader('max-forwards')).toBe(255);
  });

  it('esc01: escaped characters in URIs are decoded in the right component', () => {
    const m = req(VALID.esc01);
    expect(m.parsedUri?.user).toBe('sips:user@example.com');
    expect(m.parsedUri?.host).toBe('example.net');
    expect(m.to.uri.user).toBe('user');
    expect(m.from.uri.user).toBe('I have spaces');
    expect(m.callId).toBe('esc01.239409asdfakjkn23onasd0-3234');
    const contact = m.getParsedHeader('contact')[0];
    expect(contact?.uri.user).toBe('caller');
    expect(contact?.uri.params).toEqual({ lr: null, name: 'value%41' });
    expect(m.contentType).toBe('application/sdp');
    expect(m.body.length).toBe(Buffer.byteLength(SDP));
  });

  it('escnull: %00 inside URIs is data, not a terminator', () => {
    const m = req(VALID.escnull);
    expect(m.method).toBe('REGISTER');
    expect(m.to.uri.user).toBe('null-\x00-null');
    expect(m.fromTag).toBe('839923423');
    expect(m.getParsedHeader('contact').map((c) => c.uri.user)).toEqual(['\x00', '\x00\x00']);
    expect(m.cseq.seq).toBe(393242);
  });

  it('esc02: escapes in method and header names are not decoded', () => {
    const m = req(VALID.esc02);
    expect(m.method).toBe('RE%47IST%45R');
    expect(m.cseq.method).toBe('RE%47IST%45R');
    expect(m.from.displayName).toBe('%Z%45');
    expect(m.getAll('Contact')).toEqual(['<sip:alias1@host1.example.com>', '<sip:alias3@host3.example.com>']);
    expect(m.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    expect(m.vias[0]?.params).toEqual({ rport: null, branch: 'z9hG4bKkdjuw' });
  });

  it('lwsdisp: no LWS between display name and <', () => {
    const m = req(VALID.lwsdisp);
    expect(m.from.displayName).toBe('caller');
    expect(m.from.uri.user).toBe('caller');
    expect(m.fromTag).toBe('323');
  });

  it('longreq: very long values, many Via headers', () => {
    const m = req(VALID.longreq);
    expect(m.vias).toHaveLength(36);
    expect(m.vias[35]?.params.branch).toBe('z9hG4bK' + 'longbranchvalue'.repeat(20));
    expect(m.to.displayName).toBe(`I have a user name of ${'extreme'.repeat(10)} proportion`);
    expect(m.to.uri.port).toBe(6000);
    expect(m.fromTag).toBe(`12${'982'.repeat(50)}424`);
    expect(m.callId).toBe(`longreq.one${'really'.repeat(20)}longcallid`);
    expect(m.get(`Unknown-${'Long'.repeat(20)}-Name`)).toMatch(/^unknown-(long){20}-value; /);
    expect(m.body.toString()).toBe(SDP);
  });

  it('dblreq: a datagram with two requests yields the first one only', () => {
    const m = req(VALID.dblreq);
    expect(m.method).toBe('REGISTER');
    expect(m.callId).toBe('dblreq.0ha0isndaksdj99sdfafnl3lk233412');
    expect(m.body.length).toBe(0);
  });

  it('semiuri: a semicolon in the user part belongs to the user', () => {
    const m = req(VALID.semiuri);
    expect(m.parsedUri?.user).toBe('user;par=u@example.net');
    expect(m.parsedUri?.host).toBe('example.com');
    expect(m.parsedUri?.params).toEqual({});
    expect(m.getAll('Accept')).toEqual([
      'application/sdp',
      'application/pkcs7-mime',
      'multipart/mixed',
      'multipart/signed',
      'message/sip',
      'message/sipfrag',
    ]);
  });

  it('transports: unknown and uncommon Via transports are kept', () => {
    const m = req(VALID.transports);
    expect(m.callId).toBe('transports.kijh4akdnaqjkwendsasfdj');
    expect(m.vias.map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  });

  it('mpart01: a binary multipart body is kept byte for byte', () => {
    const m = req(VALID.mpart01);
    expect(m.method).toBe('MESSAGE');
    expect(m.body.equals(MPART_BODY)).toBe(true);
    expect(m.contentType).toBe('multipart/mixed;boundary=boundary42');
    expect(m.vias[0]?.params.rport).toBeNull();
  });

  it('unreason: a UTF-8 reason phrase', () => {
    const m = res(VALID.unreason);
    expect(m.status).toBe(200);
    expect(m.reason).toBe(UNREASON_PHRASE);
    expect(m.toTag).toBe('2229');
    expect(m.body.toString()).toBe(SDP);
  });

  it('noreason: an empty reason phrase', () => {
    const m = res(VALID.noreason);
    expect(m.status).toBe(100);
    expect(m.reason).toBe('');
    expect(m.callId).toBe('noreason.asndj203insdf99223ndf');
  });

  it('every valid message survives serialise → parse with the same headers and body', () => {
    for (const c of Object.values(VALID)) {
      const first = parseMessage(c.bytes);
      if (!first.ok) throw new Error(c.name);
      const again = parseMessage(first.message.toBuffer());
      if (!again.ok) throw new Error(`${c.name} reparse: ${again.error.message}`);
      expect(again.message.headers.filter(([n]) => n !== 'Content-Length'), c.name).toEqual(
        first.message.headers.filter(([n]) => n !== 'Content-Length'),
      );
      expect(again.message.body.equals(first.message.body), c.name).toBe(true);
    }
  });
});

describe('RFC 4475 §3.1.2 / §3.3 invalid messages are rejected as data', () => {
  for (const c of INVALID) {
    it(`${c.name} (§${c.section}) → ${c.code}${c.answerable ? ', answerable' : ', dropped'}`, () => {
      let r: ReturnType<typeof parseMessage> | undefined;
      expect(() => (r = parseMessage(c.bytes))).not.toThrow();
      if (r === undefined || r.ok) throw new Error(`${c.name} was accepted`);
      const error: SipParseError = r.error;
      expect(error.code).toBe(c.code);
      expect(r.partialRequest !== undefined).toBe(c.answerable);
      if (r.partialRequest) {
        expect(r.partialRequest.get('Call-ID')).toMatch(new RegExp(`^${c.name}\\.`));
        expect(error.status).toBe(c.code === 'bad-version' ? 505 : 400);
      }
    });
  }
});

describe('RFC 4475 messages whose problems belong to higher layers still parse', () => {
  it('baddate: a non-GMT Date is tolerated and kept', () => {
    expect(req(SEMANTIC.baddate).get('Date')).toBe('Fri, 01 Jan 2010 16:00:00 EST');
  });

  it('badbranch: a bare magic cookie branch parses', () => {
    expect(req(SEMANTIC.badbranch).vias[0]?.params.branch).toBe('z9hG4bK');
  });

  it('unksm / novelsc: unknown Request-URI schemes parse with parsedUri null (a UAS answers 416)', () => {
    const a = req(SEMANTIC.unksm);
    expect(a.uri).toBe('nobodyKnowsThisScheme:totallyopaquecontent');
    expect(a.parsedUri).toBeNull();
    const b = req(SEMANTIC.novelsc);
    expect(b.uri).toBe('soap.beep://192.0.2.103:3002');
    expect(b.parsedUri).toBeNull();
    const err = thrown(() => b.to);
    expect(err?.code).toBe('unsupported-uri-scheme');
    expect(err?.status).toBe(416);
  });

  it('unksm2: unknown schemes in To/From/Contact parse loosely; strict access reports 416', () => {
    const m = req(SEMANTIC.unksm2);
    expect(m.fromTag).toBe('3234233');
    expect(m.toTag).toBeUndefined();
    expect(m.parsedLoose('contact')).toEqual([{ uri: null, rawUri: 'name:John_Smith', params: {} }]);
    expect(thrown(() => m.from)?.code).toBe('unsupported-uri-scheme');
  });

  it('bext01: unknown Require / Proxy-Require values are split for a 420', () => {
    const m = req(SEMANTIC.bext01);
    expect(m.getAll('Require')).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    expect(m.getAll('Proxy-Require')).toEqual(['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
  });

  it('zeromf: Max-Forwards 0 is a valid value', () => {
    expect(req(SEMANTIC.zeromf).getParsedHeader('max-forwards')).toBe(0);
  });

  it('cparam01 / cparam02: params outside <> belong to the header, inside to the URI', () => {
    const a = req(SEMANTIC.cparam01).getParsedHeader('contact')[0];
    expect(a?.params).toEqual({ unknownparam: null });
    expect(a?.uri.params).toEqual({});
    const b = req(SEMANTIC.cparam02).getParsedHeader('contact')[0];
    expect(b?.params).toEqual({});
    expect(b?.uri.params).toEqual({ unknownparam: null });
  });

  it('regescrt: escaped headers inside a Contact URI are decoded', () => {
    const c = req(SEMANTIC.regescrt).getParsedHeader('contact')[0];
    expect(c?.uri.headers).toEqual({ Route: '<sip:sip.example.com>' });
  });

  it('regaut01: an unknown Authorization scheme parses generically', () => {
    expect(req(SEMANTIC.regaut01).getParsedHeader('authorization')).toEqual([{ scheme: 'NoOneKnowsThisScheme', params: { 'opaque-data': 'here' } }]);
  });

  it('sdp01: an Accept the UAS cannot satisfy is kept for a 406', () => {
    const m = req(SEMANTIC.sdp01);
    expect(m.getAll('Accept')).toEqual(['text/nobodyknowsthis']);
    expect(m.body.toString()).toBe(SDP);
  });

  it('invut: an unknown body type is kept for a 415', () => {
    const m = req(SEMANTIC.invut);
    expect(m.contentType).toBe('application/unknownformat');
    expect(m.body.toString()).toContain('<pcmu port="443"/>');
  });

  it('inv2543: an RFC 2543 INVITE without branch or Max-Forwards parses; the body runs to the datagram end', () => {
    const m = req(SEMANTIC.inv2543);
    expect(m.vias[0]?.params.branch).toBeUndefined();
    expect(m.has('Max-Forwards')).toBe(false);
    expect(m.to.params.user).toBe('phone');
    expect(m.from.uri.params.user).toBe('phone');
    expect(m.body.toString()).toBe(SDP);
  });
});

describe('line-ending and framing corner cases next to RFC 4475', () => {
  const lfOnly = Buffer.from(
    'INVITE sip:a@example.com SIP/2.0\nVia: SIP/2.0/TCP h.example.com;branch=z9hG4bKlf\nFrom: <sip:b@example.com>;tag=1\n' +
      'To: <sip:a@example.com>\nCall-ID: lf-only\nCSeq: 1 INVITE\nContent-Length:\n 6\n\n\r\n\r\nab',
  );

  it('a bare-LF header block ends at its own blank line even when the body holds CRLFCRLF', () => {
    const r = parseMessage(lfOnly);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.message.callId).toBe('lf-only');
    expect(r.message.body.toString()).toBe('\r\n\r\nab');
  });

  it('frameStream reads a folded Content-Length like parseMessage does', async () => {
    const { frameStream } = await import('../../src/engines/embedded/sip/message/index.js');
    const f = frameStream(Buffer.concat([lfOnly, Buffer.from('\r\nOPTIONS')]));
    expect('message' in f && f.message.equals(lfOnly)).toBe(true);
    expect('rest' in f && f.rest.toString()).toBe('\r\nOPTIONS');
  });
});
