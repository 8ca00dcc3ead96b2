/**
 * Blind transfer with REFER (RFC 3515): send REFER, then follow the implicit subscription's NOTIFYs whose
 * message/sipfrag bodies carry the progress of the far end's new call (§2.4.5). A 2xx sipfrag means the
 * transfer succeeded; a final non-2xx, a rejected REFER, a terminated subscription without a final, or the
 * timeout means it failed.
 */
import { hostOf } from './call-info.js';
import { abortError, toError } from './errors.js';
import { type Dialog, type InboundRequest, type OutboundResponse } from './sip/index.js';

/** The status line of a message/sipfrag body (RFC 3420), e.g. "SIP/2.0 200 OK" → 200. */
export function sipfragStatus(body: string): number | undefined {
  const m = /^\s*SIP\/2\.0\s+(\d{3})/.exec(body);
  return m ? Number(m[1]) : undefined;
}

/** The Refer-To URI for a number or URI, on the far end's domain when only a number is given. */
export function referTarget(to: string, dialog: Dialog): string {
  if (/^(sips?|tel):/i.test(to)) return to;
  return `sip:${to}@${hostOf(dialog.remote.uri) || '127.0.0.1'}`;
}

/** What happened, and whether the REFER was accepted (a far-end BYE after acceptance counts as done). */
export interface TransferProgress {
  accepted: boolean;
}

/** Run a REFER on `dialog`; resolves with the outcome, rejects only with the abort reason. */
export function referTransfer(
  dialog: Dialog,
  to: string,
  timeoutMs: number,
  progress: TransferProgress,
  signal?: AbortSignal,
): Promise<'transferred' | 'failed'> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (r: 'transferred' | 'failed' | { aborted: unknown }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      dialog.off('notify', onNotify);
      dialog.off('destroy', onDestroy);
      signal?.removeEventListener('abort', onAbort);
      if (typeof r === 'object') reject(toError(r.aborted));
      else resolve(r);
    };
    const onNotify = (req: InboundRequest, res: OutboundResponse): void => {
      res.send(200);
      if (!/^refer\b/i.test(req.get('event') ?? '')) return;
      const status = sipfragStatus(req.body);
      if (status !== undefined && status >= 200) finish(status < 300 ? 'transferred' : 'failed');
      else if (/^terminated/i.test(req.get('subscription-state') ?? '')) finish('failed');
    };
    const onDestroy = (): void => finish(progress.accepted ? 'transferred' : 'failed');
    const onAbort = (): void => finish({ aborted: signal?.reason });
    const timer = setTimeout(() => finish('failed'), timeoutMs);
    dialog.on('notify', onNotify);
    dialog.once('destroy', onDestroy);
    signal?.addEventListener('abort', onAbort, { once: true });
    const target = referTarget(to, dialog);
    dialog
      .request({
        method: 'REFER',
        headers: { 'Refer-To': `<${target}>`, 'Referred-By': `<${dialog.local.uri}>` },
      })
      .then(
        () => (progress.accepted = true),
        () => finish('failed'),
      );
  });
}
