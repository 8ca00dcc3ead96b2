/** RFC 4475 §3.1.2.12, §3.2, §3.3 and §3.4 messages that parse: their problems are for higher layers. */
import { SDP, wire, type TortureCase } from './wire.js';

const baddate = wire(
  `
INVITE sip:user@example.com SIP/2.0
To: sip:user@example.com
From: sip:caller@example.net;tag=2234923
Max-Forwards: 70
Call-ID: baddate.239423mnsadf3j23lj42--sedfnm234
CSeq: 1392934 INVITE
Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw
Date: Fri, 01 Jan 2010 16:00:00 EST
Contact: <sip:caller@host5.example.net>
Content-Type: application/sdp
Content-Length: $CL`,
  SDP,
);

const badbranch = wire(`
OPTIONS sip:user@example.com SIP/2.0
To: sip:user@example.com
From: sip:caller@example.org;tag=33242
Max-Forwards: 3
Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK
Accept: application/sdp
Call-ID: badbranch.sadonfo23i420jv0as0derf3j3n
CSeq: 8 OPTIONS
l: 0`);

const unksm = wire(`
OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0
To: sip:user@example.com
From: sip:caller@example.net;tag=384
Max-Forwards: 3
Call-ID: unksm.daksdj@hyphenated-host.example.com
CSeq: 3923239 OPTIONS
l: 0
Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw`);

const unksm2 = wire(`
REGISTER sip:example.com SIP/2.0
To: isbn:2983792873
From: <http://www.example.com>;tag=3234233
Call-ID: unksm2.daksdj@hyphenated-host.example.com
CSeq: 234902 REGISTER
Max-Forwards: 70
Via: SIP/2.0/UDP 192.0.2.21:5060;branch=z9hG4bKkdjuw
Contact: <name:John_Smith>
l: 0`);

const bext01 = wire(`
OPTIONS sip:user@example.com SIP/2.0
To: sip:j_user@example.com
From: sip:caller@example.net;tag=242etr
Max-Forwards: 6
Call-ID: bext01.0ha0isndaksdj
Require: nothingSupportsThis, nothingSupportsThisEither
Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis
CSeq: 8 OPTIONS
Via: SIP/2.0/TLS fold-and-staple.example.com;branch=z9hG4bKkdjuw
Content-Length: 0`);

const novelsc = wire(`
OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0
To: soap.beep://192.0.2.103:3002
From: sip:localuser@example.com;tag=384
Max-Forwards: 3
Call-ID: novelsc.asdfasser0q239nwsdfasdkl34
CSeq: 3923423 OPTIONS
Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234
Content-Length: 0`);

const zeromf = wire(`
OPTIONS sip:user@example.com SIP/2.0
To: sip:user@example.com
From: sip:caller@example.net;tag=3ghsd41
Call-ID: zeromf.jfasdlfnm2o2l43r5u0asdfas
CSeq: 39234321 OPTIONS
Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw2349i
Max-Forwards: 0
Content-Length: 0`);

const cparam01 = wire(`
REGISTER sip:example.com SIP/2.0
Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKkdjuw
Max-Forwards: 70
From: sip:watson@example.com;tag=DkfVgjkrtMwaerKKpe
To: sip:watson@example.com
Call-ID: cparam01.70710@saturn.example.com
CSeq: 2 REGISTER
Contact: sip:+19725552222@gw1.example.net;unknownparam
l: 0`);

const cparam02 = wire(`
REGISTER sip:example.com SIP/2.0
Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKkdjuw
Max-Forwards: 70
From: sip:watson@example.com;tag=838293
To: sip:watson@example.com
Call-ID: cparam02.70710@saturn.example.com
CSeq: 3 REGISTER
Contact: <sip:+19725552222@gw1.example.net;unknownparam>
l: 0`);

const regescrt = wire(`
REGISTER sip:example.com SIP/2.0
To: sip:user@example.com
From: sip:user@example.com;tag=8
Max-Forwards: 70
Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw
Call-ID: regescrt.k345asrl3fdbv@192.0.2.1
CSeq: 14398234 REGISTER
M: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>
L:0`);

const inv2543 = wire(
  `
INVITE sip:UserB@example.com SIP/2.0
Via: SIP/2.0/UDP iftgw.example.com
From: <sip:+13035551111@ift.client.example.net;user=phone>
Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>
To: sip:+16505552222@ss1.example.net;user=phone
Call-ID: inv2543.1717@ift.client.example.com
CSeq: 56 INVITE
Content-Type: application/sdp`,
  SDP,
);

const invut = wire(
  `
INVITE sip:user@example.com SIP/2.0
Contact: <sip:caller@host5.example.net>
To: sip:j.user@example.com
From: sip:caller@example.net;tag=8392034
Max-Forwards: 70
Call-ID: invut.0ha0isndaksdjadsfij34n23d
CSeq: 235448 INVITE
Via: SIP/2.0/UDP somehost.example.com;branch=z9hG4bKkdjuw
Content-Type: application/unknownformat
Content-Length: $CL`,
  '<audio>\r\n <pcmu port="443"/>\r\n</audio>\r\n',
);

const regaut01 = wire(`
REGISTER sip:example.com SIP/2.0
To: sip:j.user@example.com
From: sip:j.user@example.com;tag=87321hj23128
Max-Forwards: 8
Call-ID: regaut01.0ha0isndaksdj
CSeq: 9338 REGISTER
Via: SIP/2.0/TCP 192.0.2.253;branch=z9hG4bKkdjuw
Authorization: NoOneKnowsThisScheme opaque-data=here
Content-Length:0`);

const sdp01 = wire(
  `
INVITE sip:user@example.com SIP/2.0
To: sip:j_user@example.com
Contact: <sip:caller@host15.example.net>
From: sip:caller@example.net;tag=234
Max-Forwards: 5
Call-ID: sdp01.ndaksdj9342dasdd
Accept: text/nobodyknowsthis
CSeq: 8 INVITE
Via: SIP/2.0/UDP 60.63.64.65;branch=z9hG4bKkdjuw
Content-Length: $CL
Content-Type: application/sdp`,
  SDP,
);

/** Cases that must parse, by RFC tag. */
export const SEMANTIC = {
  baddate: { name: 'baddate', section: '3.1.2.12', bytes: baddate },
  badbranch: { name: 'badbranch', section: '3.2.2', bytes: badbranch },
  unksm: { name: 'unksm', section: '3.3.2', bytes: unksm },
  unksm2: { name: 'unksm2', section: '3.3.3', bytes: unksm2 },
  bext01: { name: 'bext01', section: '3.3.4', bytes: bext01 },
  novelsc: { name: 'novelsc', section: '3.3.5', bytes: novelsc },
  zeromf: { name: 'zeromf', section: '3.3.9', bytes: zeromf },
  cparam01: { name: 'cparam01', section: '3.3.10', bytes: cparam01 },
  cparam02: { name: 'cparam02', section: '3.3.11', bytes: cparam02 },
  regescrt: { name: 'regescrt', section: '3.3.12', bytes: regescrt },
  regaut01: { name: 'regaut01', section: '3.3.6', bytes: regaut01 },
  sdp01: { name: 'sdp01', section: '3.3.13', bytes: sdp01 },
  invut: { name: 'invut', section: '3.3.14', bytes: invut },
  inv2543: { name: 'inv2543', section: '3.4.1', bytes: inv2543 },
} as const satisfies Record<string, TortureCase>;
