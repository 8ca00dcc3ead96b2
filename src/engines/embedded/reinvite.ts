/**
 * A re-INVITE / UPDATE from the far end on an answered leg (RFC 3264 §8): follow a new address or port and
 * hold / unhold (§8.4), answering with our SDP in the mirrored direction. A re-INVITE without SDP gets our
 * current SDP as the offer (§14.2).
 */
import { parse } from 'sdp-transform';
import type { MediaDirection, RtpLeg } from './media/types.js';
import type { Dialog, InboundRequest, OutboundResponse } from './sip/index.js';
import { answerDirection, directionOf, withDirection } from './sip/sdp-direction.js';

/** Where the first audio stream of an SDP is sent to, and in which direction; undefined if it has none. */
export function remoteMediaOf(
  sdp: string,
): { address: string; port: number; direction: MediaDirection } | undefined {
  try {
    const s = parse(sdp);
    const m = s.media.find((x) => x.type === 'audio');
    const address = m?.connection?.ip ?? s.connection?.ip;
    if (!m || !address) return undefined;
    return { address, port: m.port, direction: directionOf(sdp) };
  } catch {
    return undefined;
  }
}

/** Answer re-INVITEs on `dialog` by updating `rtp`. */
export function handleReinvites(dialog: Dialog, rtp: RtpLeg): void {
  dialog.on('modify', (req: InboundRequest, res: OutboundResponse) => {
    const offer = req.sdp;
    if (offer === '') {
      res.send(200, { body: dialog.local.sdp });
      return;
    }
    const remote = remoteMediaOf(offer);
    if (!remote) {
      res.send(488);
      return;
    }
    const mine = answerDirection(remote.direction);
    // A 0.0.0.0 connection address is the RFC 2543 way to say hold: keep the last address.
    if (remote.address !== '0.0.0.0' && remote.port > 0) rtp.setRemote(remote.address, remote.port);
    rtp.setDirection(mine);
    const answer = withDirection(dialog.local.sdp, mine);
    dialog.local.sdp = answer;
    res.send(200, { body: answer });
  });
}
