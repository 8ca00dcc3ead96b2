/** RFC 4475 §3.1.1 valid messages, composed from the RFC's descriptions (hosts under example.*). */
import { SDP, wire, type TortureCase } from './wire.js';

const wsinv = wire(
  `
INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0
TO :
 sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n
from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>
  ;
  tag = 98asjd8
MaX-fOrWaRdS: 0068
Call-ID: wsinv.ndaksdj@192.0.2.1
Content-Length   : $CL
cseq: 0009
  INVITE
Via  : SIP  /   2.0
 /UDP
    192.0.2.2;branch=390skdjuw
s :
NewFangledHeader:   newfangled value
 continued newfangled value
UnknownHeaderWithUnusualValue: ;;,,;;,;
Content-Type: application/sdp
Route:
 <sip:services.example.com;lr;unknownwith=value;unknown-no-value>
v:  SIP  / 2.0  / TCP     spindle.example.com   ;
  branch  =   z9hG4bK9ikj8  ,
 SIP  /    2.0   / UDP  192.168.255.111   ; branch=
 z9hG4bK30239
m:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =
      newvalue ;
  secondparam ; q = 0.33`,
  SDP,
);

const intmeth = wire(
  `
!interesting-Method0123456789_*+\`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0
Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+\`'~
To: "BEL:\\\x07 NUL:\\\x00 DEL:\\\x7F" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>
From: token1~\` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439";tag=_token~1'+\`*%!-.
Call-ID: intmeth.word%ZK-!.*_+'@word\`~)(><:\\/"][?}{
CSeq: 139122385 !interesting-Method0123456789_*+\`.%indeed'~
Max-Forwards: 255
extensionHeader-!.%*+_\`'~:\uFEFF\u5927\u5BAE\u8B1B
Content-Length: 0`,
);

const esc01 = wire(
  `
INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0
To: sip:%75se%72@example.com
From: <sip:I%20have%20spaces@example.net>;tag=938
Max-Forwards: 87
i: esc01.239409asdfakjkn23onasd0-3234
CSeq: 234234 INVITE
Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw
C: application/sdp
Contact:
  <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>
L: $CL`,
  SDP,
);

const escnull = wire(`
REGISTER sip:example.com SIP/2.0
To: sip:null-%00-null@example.com
From: sip:null-%00-null@example.com;tag=839923423
Max-Forwards: 70
Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsf
CSeq: 0393242 REGISTER
Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw
Contact: <sip:%00@host5.example.com>
Contact: <sip:%00%00@host5.example.com>
L:0`);

const esc02 = wire(`
RE%47IST%45R sip:registrar.example.com SIP/2.0
To: "%Z%45" <sip:resource@example.com>
From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23
Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf
Via: SIP/2.0/TCP host.example.com;rport;branch=z9hG4bKkdjuw
CSeq: 29344 RE%47IST%45R
Max-Forwards: 70
Contact: <sip:alias1@host1.example.com>
C%6Fntact: <sip:alias2@host2.example.com>
Contact: <sip:alias3@host3.example.com>
l: 0`);

const lwsdisp = wire(`
OPTIONS sip:user@example.com SIP/2.0
To: sip:user@example.com
From: caller<sip:caller@example.com>;tag=323
Max-Forwards: 70
Call-ID: lwsdisp.1234abcd@funky.example.com
CSeq: 60 OPTIONS
Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw
l: 0`);

/** Repeats `s` n times, as RFC 4475 §2.3 <repeat> does. */
const rep = (s: string, n: number): string => s.repeat(n);
const longVias = Array.from({ length: 34 }, (_, i) => `${i % 2 === 0 ? 'Via' : 'v'}: SIP/2.0/TCP sip${34 - i}.example.com`).join('\n');
const longreq = wire(
  `
INVITE sip:user@example.com SIP/2.0
To: "I have a user name of ${rep('extreme', 10)} proportion"<sip:user@example.com:6000;unknownparam1=very${rep('long', 20)}value;longparam${rep('name', 25)}=shortvalue;very${rep('long', 25)}ParameterNameWithNoValue>
F: sip:${rep('amazinglylongcallername', 5)}@example.net;tag=12${rep('982', 50)}424;unknownheaderparam${rep('name', 20)}=unknowheaderparam${rep('value', 15)};unknownValueless${rep('paramname', 10)}
Call-ID: longreq.one${rep('really', 20)}longcallid
CSeq: 3882340 INVITE
Unknown-${rep('Long', 20)}-Name: unknown-${rep('long', 20)}-value; unknown-${rep('long', 20)}-parameter-name = unknown-${rep('long', 20)}-parameter-value
Via: SIP/2.0/TCP sip33.example.com
${longVias}
Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK${rep('longbranchvalue', 20)}
Max-Forwards: 70
Contact: <sip:${rep('amazinglylongcallername', 5)}@host5.example.net>
Content-Type: application/sdp
l: $CL`,
  SDP,
);

const dblreq = Buffer.concat([
  wire(`
REGISTER sip:example.com SIP/2.0
To: sip:j.user@example.com
From: sip:j.user@example.com;tag=43251j3j324
Max-Forwards: 8
I: dblreq.0ha0isndaksdj99sdfafnl3lk233412
Contact: sip:j.user@host.example.com
CSeq: 8 REGISTER
Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492
Content-Length: 0`),
  wire(
    `
INVITE sip:joe@example.com SIP/2.0
t: sip:joe@example.com
From: sip:caller@example.net;tag=141334
Max-Forwards: 8
Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15
CSeq: 8 INVITE
Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234
Content-Type: application/sdp
Content-Length: $CL`,
    SDP,
  ),
]);

const semiuri = wire(`
OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0
To: sip:j_user@example.com
From: sip:caller@example.org;tag=33242
Max-Forwards: 3
Call-ID: semiuri.0ha0isndaksdj
CSeq: 8 OPTIONS
Accept: application/sdp, application/pkcs7-mime,
        multipart/mixed, multipart/signed,
        message/sip, message/sipfrag
Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw
l: 0`);

const transports = wire(`
OPTIONS sip:user@example.com SIP/2.0
To: sip:user@example.com
From: <sip:caller@example.com>;tag=323
Max-Forwards: 70
Call-ID:  transports.kijh4akdnaqjkwendsasfdj
Accept: application/sdp
CSeq: 60 OPTIONS
Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw
Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf
Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj
Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en
Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee
l: 0`);

/** A multipart body with binary bytes, embedded CRLFCRLF and NUL (RFC 4475 §3.1.1.11). */
export const MPART_BODY = Buffer.concat([
  Buffer.from('--boundary42\r\nContent-Type: text/plain\r\n\r\nsigned text\r\n\r\n--boundary42\r\n'),
  Buffer.from('Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: binary\r\n\r\n'),
  Buffer.from([0x30, 0x82, 0x01, 0x52, 0x06, 0x09, 0x2a, 0x86, 0x00, 0x0d, 0x0a, 0x0d, 0x0a, 0xff, 0xfe, 0x80, 0x00]),
  Buffer.from('\r\n--boundary42--\r\n'),
]);
const mpart01 = wire(
  `
MESSAGE sip:kumiko@example.org SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport
Max-Forwards: 70
Route: <sip:127.0.0.1:5080>
Identity: r5mwreLuyDRYBi/0TiPwEsY3rEVsk/G2WxhgTV1PF7hHuLIK0YWVKZhKv9Mj8UeXqkMVbnVq37CD+813gvYjcBUaZngQmXc9WNZSDNGCzA+fWl9MEUHWIZo1CeJebdY/XlgKeTa0Olvq0rt70Q5jiSfbqMJmQFteeivUhkMWYUA=
Contact: <sip:fluffy@127.0.0.1:5070>
To: <sip:kumiko@example.org>
From: <sip:fluffy@example.com>;tag=2fb0dcc9
Call-ID: 3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..
CSeq: 1 MESSAGE
Content-Transfer-Encoding: binary
Content-Type: multipart/mixed;boundary=boundary42
Date: Sat, 15 Oct 2005 04:44:56 GMT
User-Agent: SIPimp.org/0.2.5 (curses)
Content-Length: $CL`,
  MPART_BODY,
);

/** The UTF-8 reason phrase of unreason. */
export const UNREASON_PHRASE = '= 2**3 * 5**2 \u043d\u043e \u0441\u0442\u043e \u0434\u0435\u0432\u044f\u043d\u043e\u0441\u0442\u043e \u0434\u0435\u0432\u044f\u0442\u044c - \u043f\u0440\u043e\u0441\u0442\u043e\u0435';
const unreason = wire(
  `
SIP/2.0 200 ${UNREASON_PHRASE}
Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923
Call-ID: unreason.1234ksdfak3j2erwedfsASdf
CSeq: 35 INVITE
From: sip:user@example.com;tag=11141343
To: sip:user@example.edu;tag=2229
Content-Length: $CL
Content-Type: application/sdp
Contact: <sip:user@host198.example.com>`,
  SDP,
);

const noreason = wire(`
SIP/2.0 100 \n
Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
Call-ID: noreason.asndj203insdf99223ndf
CSeq: 35 INVITE
From: <sip:user@example.com>;tag=39ansfi3
To: <sip:user@example.edu>;tag=902jndnke3
Content-Length: 0
Contact: <sip:user@host105.example.com>`.replace(' \n\n', ' \n'));

/** §3.1.1 cases by RFC tag. */
export const VALID = {
  wsinv: { name: 'wsinv', section: '3.1.1.1', bytes: wsinv },
  intmeth: { name: 'intmeth', section: '3.1.1.2', bytes: intmeth },
  esc01: { name: 'esc01', section: '3.1.1.3', bytes: esc01 },
  escnull: { name: 'escnull', section: '3.1.1.4', bytes: escnull },
  esc02: { name: 'esc02', section: '3.1.1.5', bytes: esc02 },
  lwsdisp: { name: 'lwsdisp', section: '3.1.1.6', bytes: lwsdisp },
  longreq: { name: 'longreq', section: '3.1.1.7', bytes: longreq },
  dblreq: { name: 'dblreq', section: '3.1.1.8', bytes: dblreq },
  semiuri: { name: 'semiuri', section: '3.1.1.9', bytes: semiuri },
  transports: { name: 'transports', section: '3.1.1.10', bytes: transports },
  mpart01: { name: 'mpart01', section: '3.1.1.11', bytes: mpart01 },
  unreason: { name: 'unreason', section: '3.1.1.12', bytes: unreason },
  noreason: { name: 'noreason', section: '3.1.1.13', bytes: noreason },
} as const satisfies Record<string, TortureCase>;
