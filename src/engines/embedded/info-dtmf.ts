/**
 * DTMF sent as SIP INFO, which some carriers use instead of RFC 4733: application/dtmf-relay
 * ("Signal=5\r\nDuration=160") and application/dtmf ("5"). Digits are fed into the RTP leg's 'dtmf' event,
 * so collects, taps and bridges see them like RFC 4733 digits. Other INFOs are answered 200 and ignored.
 */
import { performance } from 'node:perf_hooks';
import type { RtpLeg } from './media/types.js';
import type { Dialog, InboundRequest, OutboundResponse } from './sip/index.js';

const DIGIT = /^[0-9*#A-Da-d]$/;
const DEFAULT_DURATION_MS = 160;

/** The digit an INFO carries, if it is a DTMF INFO. */
export function parseInfoDtmf(
  contentType: string | undefined,
  body: string,
): { digit: string; durationMs: number } | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/dtmf') {
    const digit = body.trim();
    return DIGIT.test(digit) ? { digit: digit.toUpperCase(), durationMs: DEFAULT_DURATION_MS } : undefined;
  }
  if (type !== 'application/dtmf-relay') return undefined;
  const signal = /^\s*signal\s*=\s*(\S+)/im.exec(body)?.[1];
  if (!signal || !DIGIT.test(signal)) return undefined;
  const duration = Number(/^\s*duration\s*=\s*(\d+)/im.exec(body)?.[1] ?? DEFAULT_DURATION_MS);
  return {
    digit: signal.toUpperCase(),
    durationMs: Number.isFinite(duration) && duration > 0 ? duration : DEFAULT_DURATION_MS,
  };
}

/** Answer INFOs on `dialog`, turning DTMF ones into digits on `rtp`. */
export function handleInfoDtmf(dialog: Dialog, rtp: RtpLeg): void {
  dialog.on('info', (req: InboundRequest, res: OutboundResponse) => {
    res.send(200);
    const d = parseInfoDtmf(req.get('content-type'), req.body);
    if (d)
      rtp.emit('dtmf', { digit: d.digit, durationMs: d.durationMs, at: performance.now(), mode: 'sip-info' });
  });
}
