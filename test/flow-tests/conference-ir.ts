/** A conference-entry flow built as IR (independent of the compiler), for the flow-test runner's own tests. */
import type { FlowIr } from '../../src/compiler/ir.js';
import { at, x } from '../../src/runtime/testing/expr.js';
import { flow, s, t } from '../../src/runtime/testing/ir.js';

/** The flow: welcome → ask (collect-pin, lookup) → join | wrong → ask | goodbye. */
export function conferenceIr(file: string): FlowIr {
  const ir = flow(
    'conference',
    {
      welcome: [s.step('answer', {}, { ok: t.cont() }), s.step('prompt', { say: x.str('Welcome.') }, { done: t.cont(), digit: t.cont() }), s.goto('ask')],
      ask: [
        s.step('collect-pin', { say: x.str('Enter your PIN.'), 'min-digits': x.num(4) }, { ok: t.cont(), timeout: t.bounded('ask-retry', 1, t.goto('ask'), t.goto('goodbye')), invalid: t.goto('wrong') }, 'pin'),
        s.step('lookup', { url: x.v('config.pin_url'), method: x.str('POST'), body: x.obj({ pin: x.v('pin') }) }, { found: t.cont(), missing: t.goto('wrong'), error: t.goto('goodbye') }, 'room'),
        s.goto('join'),
      ],
      join: [s.step('log', { message: x.str('joining ', x.v('room.channel')) }, { ok: t.cont() }), s.step('bridge-to-channel', { channel: x.v('room.channel') }, { left: t.end() })],
      wrong: [s.step('prompt', { say: x.str('That PIN is not valid.') }, { done: t.cont(), digit: t.cont() }), s.goto('ask')],
      goodbye: [s.step('prompt', { say: x.str('Goodbye.') }, { done: t.cont(), digit: t.cont() }), s.step('hangup', {}, {})],
    },
    { file, entries: [{ kind: 'call', id: 'call', matchers: [{ field: 'to', pattern: '+1555*' }], to: t.goto('welcome'), range: at(0, 0, file) }] },
  );
  return ir;
}
