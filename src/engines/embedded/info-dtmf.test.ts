import { describe, expect, it } from 'vitest';
import { parseInfoDtmf } from './info-dtmf.js';

describe('parseInfoDtmf', () => {
  it('reads application/dtmf-relay with and without a duration', () => {
    expect(parseInfoDtmf('application/dtmf-relay', 'Signal=5\r\nDuration=250\r\n')).toEqual({
      digit: '5',
      durationMs: 250,
    });
    expect(parseInfoDtmf('Application/DTMF-Relay; charset=x', 'Signal= #\r\n')).toEqual({
      digit: '#',
      durationMs: 160,
    });
  });

  it('reads application/dtmf', () => {
    expect(parseInfoDtmf('application/dtmf', '*\r\n')).toEqual({ digit: '*', durationMs: 160 });
  });

  it('ignores other INFO bodies and bad digits', () => {
    expect(parseInfoDtmf('application/x-callflow-test', 'hangup')).toBeUndefined();
    expect(parseInfoDtmf(undefined, 'Signal=5')).toBeUndefined();
    expect(parseInfoDtmf('application/dtmf-relay', 'Signal=55')).toBeUndefined();
    expect(parseInfoDtmf('application/dtmf', '')).toBeUndefined();
  });
});
