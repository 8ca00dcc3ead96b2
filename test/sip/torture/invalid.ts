/** RFC 4475 §3.1.2 invalid messages, composed from the RFC's descriptions. */
import { SDP, wire, type TortureCase } from './wire.js';

/** An invalid case plus the parse error code we expect and whether a 400/505 can still be built. */
export interface InvalidCase extends TortureCase {
  code: string;
  /** True when enough of the request survives to answer it (RFC 3261 §8.2, §21.4.1). */
  answerable: boolean;
}

const base = (startLine: string, cseq: string, extra: string, callId: string): string => `
${startLine}
Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bK${callId}
To: <sip:user@example.com>
From: <sip:caller@example.net>;tag=${callId}1
Call-ID: ${callId}.a9ejaldf98sj43k
CSeq: ${cseq}
Max-Forwards: 70
${extra}`;

const c = (name: string, section: string, bytes: Buffer, code: string, answerable: boolean): InvalidCase => ({ name, section, bytes, code, answerable });

/** §3.1.2 cases, in RFC order. */
export const INVALID: InvalidCase[] = [
  c(
    'badinv01',
    '3.1.2.1',
    wire(
      `
INVITE sip:user@example.com SIP/2.0
To: sip:j.user@example.com
From: sip:caller@example.net;;tag=134161461246
Max-Forwards: 7
Call-ID: badinv01.0ha0isndaksdjasdf3234nas
CSeq: 8 INVITE
Via: SIP/2.0/UDP 192.0.2.15;;,;,,
Contact: "Joe" <sip:joe@example.org>;;;;
Content-Length: $CL
Content-Type: application/sdp`,
      SDP,
    ),
    'bad-header',
    true,
  ),
  c('clerr', '3.1.2.2', wire(base('INVITE sip:user@example.com SIP/2.0', '8 INVITE', 'Content-Type: application/sdp\nContent-Length: 9999', 'clerr'), SDP), 'truncated', true),
  c('ncl', '3.1.2.3', wire(base('INVITE sip:user@example.com SIP/2.0', '8 INVITE', 'Content-Type: application/sdp\nContent-Length: -999', 'ncl'), SDP), 'bad-content-length', true),
  c(
    'scalar02',
    '3.1.2.4',
    wire(`
REGISTER sip:example.com SIP/2.0
Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3
To: <sip:user@example.com>
From: <sip:user@example.com>;tag=239232jh3
CSeq: 36893488147419103232 REGISTER
Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32
Max-Forwards: 300
Expires: 1${'0'.repeat(20)}
Contact: <sip:user@host129.example.com>
  ;expires=280297596632815
Content-Length: 0`),
    'bad-header',
    true,
  ),
  c(
    'scalarlg',
    '3.1.2.5',
    wire(`
SIP/2.0 503 Service Unavailable
Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129
To: <sip:user@example.com>
From: <sip:other@example.net>;tag=2easdjfejw
CSeq: 9292394834772304023312 OPTIONS
Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r
Retry-After: 949302838503028349304023988
Warning: 1812 overture "In Progress"
Content-Length: 0`),
    'bad-header',
    false,
  ),
  c('quotbal', '3.1.2.6', wire(base('INVITE sip:user@example.com SIP/2.0', '8 INVITE', 'Contact: "Mr. J. User <sip:j.user@host.example.com>\nContent-Length: 0', 'quotbal').replace('To: <sip:user@example.com>', 'To: "Mr. J. User <sip:j.user@example.com>')), 'bad-header', true),
  c('ltgtruri', '3.1.2.7', wire(base('INVITE <sip:user@example.com> SIP/2.0', '23 INVITE', 'Content-Length: 0', 'ltgtruri')), 'bad-start-line', true),
  c('lwsruri', '3.1.2.8', wire(base('INVITE sip:user@example.com; lr SIP/2.0', '23 INVITE', 'Content-Length: 0', 'lwsruri')), 'bad-start-line', true),
  c('lwsstart', '3.1.2.9', wire(base('INVITE  sip:user@example.com  SIP/2.0', '23 INVITE', 'Content-Length: 0', 'lwsstart')), 'bad-start-line', true),
  c('trws', '3.1.2.10', wire(base('OPTIONS sip:remote-target@example.com SIP/2.0  ', '23 OPTIONS', 'Content-Length: 0', 'trws')), 'bad-start-line', true),
  c('escruri', '3.1.2.11', wire(base('INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0', '23 INVITE', 'Content-Length: 0', 'escruri')), 'bad-start-line', true),
  c(
    'regbadct',
    '3.1.2.13',
    wire(base('REGISTER sip:example.com SIP/2.0', '19 REGISTER', 'Contact: sip:user@host.example.com?Route=%3Csip:sip.example.com%3E\nl: 0', 'regbadct')),
    'bad-header',
    true,
  ),
  c(
    'badaspec',
    '3.1.2.14',
    wire(base('OPTIONS sip:user@example.org SIP/2.0', '14 OPTIONS', 'l: 0', 'badaspec').replace('To: <sip:user@example.com>', 'To: "Watson, Thomas" < sip:t.watson@example.org >')),
    'bad-header',
    true,
  ),
  c(
    'baddn',
    '3.1.2.15',
    wire(base('OPTIONS sip:t.watson@example.org SIP/2.0', '14 OPTIONS', 'l: 0', 'baddn').replace('From: <sip:caller@example.net>', 'From: Bell, Alexander <sip:a.g.bell@example.com>')),
    'bad-header',
    true,
  ),
  c('badvers', '3.1.2.16', wire(base('OPTIONS sip:t.watson@example.org SIP/7.0', '14 OPTIONS', 'l: 0', 'badvers')), 'bad-version', true),
  c('mismatch01', '3.1.2.17', wire(base('OPTIONS sip:user@example.com SIP/2.0', '8 INVITE', 'l: 0', 'mismatch01')), 'cseq-mismatch', true),
  c('mismatch02', '3.1.2.18', wire(base('NEWMETHOD sip:user@example.com SIP/2.0', '8 INVITE', 'l: 0', 'mismatch02')), 'cseq-mismatch', true),
  c(
    'bigcode',
    '3.1.2.19',
    wire(`
SIP/2.0 4294967301 better not break the receiver
Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i
CSeq: 353494 INVITE
From: <sip:user@example.com>;tag=39ansfi3
To: <sip:user@example.edu>;tag=902jndnke3
Content-Length: 0
Contact: <sip:user@host105.example.com>`),
    'bad-status',
    false,
  ),
  c(
    'insuf',
    '3.3.1',
    wire(`
INVITE sip:user@example.com SIP/2.0
CSeq: 193942 INVITE
Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf
Content-Type: application/sdp
l: 0`),
    'missing-header',
    false,
  ),
  c(
    'multi01',
    '3.3.7',
    wire(`
INVITE sip:user@company.com SIP/2.0
Contact: <sip:caller@host25.example.net>
Via: SIP/2.0/UDP 192.0.2.25;branch=z9hG4bKkdjuw
Max-Forwards: 70
CSeq: 5 INVITE
Call-ID: multi01.98asdh@192.0.2.1
CSeq: 59 INVITE
Call-ID: multi01.98asdh@192.0.2.2
From: sip:caller@example.com;tag=3413415
To: sip:user@example.com
To: sip:other@example.net
From: sip:caller@example.net;tag=2923420123
Content-Type: application/sdp
l: 0`),
    'bad-header',
    true,
  ),
  c(
    'mcl01',
    '3.3.8',
    wire(
      `
OPTIONS sip:user@example.com SIP/2.0
Call-ID: mcl01.fhn2323orihawfdoa3o4r52o3irsdf
CSeq: 15932 OPTIONS
Content-Length: 13
Max-Forwards: 60
Content-Length: 5
From: sip:caller@example.net;tag=2923420123
Content-Type: text/plain
l: 52
To: sip:user@example.com
Via: SIP/2.0/UDP 192.0.2.77;branch=z9hG4bKkdjuw`,
      'There are 52 characters in this body, if you count.',
    ),
    'bad-header',
    true,
  ),
];
