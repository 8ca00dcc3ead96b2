import { describe, expect, it } from 'vitest';
import { checkExpectations, matchesSubset, type Observed } from './expect.js';

const OBS: Observed = {
  states: ['welcome', 'ask', 'wrong', 'ask', 'join'],
  prompts: ['Welcome.', '/flows/x/prompts/pin.wav', 'tone:beep + Enter your PIN'],
  digits: ['99', '1234'],
  dials: [{ to: 'sip:a@x', result: 'busy' }, { to: 'sip:b@x', result: 'answered' }],
  http: [{ method: 'POST', url: 'https://p.example/check', body: { pin: '1234', did: '+1' }, status: 200 }],
  response: { status: 201, body: { success: true, id: 'c1' }, headers: {} },
  end: { cause: 'completed', state: 'join' },
  logs: ['caller joined room-7'],
  channels: ['room-7'],
  dtmfSent: '333',
  store: { 'calls:today': 3 },
};

describe('expectations', () => {
  it('pass when they hold', () => {
    const f = checkExpectations(
      {
        states: ['welcome', 'ask', 'wrong', 'ask', 'join'],
        visits: ['welcome', 'join'],
        'not-visits': ['goodbye'],
        prompts: ['Welcome.', 'prompts/pin.wav', 'tone:beep + Enter your PIN'],
        'prompts-include': ['PIN'],
        digits: ['99', '1234'],
        dials: ['sip:a@x', { to: 'sip:b@x', result: 'answered' }],
        http: [{ method: 'POST', body: { pin: '1234' } }],
        response: { status: 201, body: { success: true } },
        end: 'completed',
        logs: ['joined'],
        channels: ['room-7'],
        'dtmf-sent': '333',
        store: { 'calls:today': 3 },
      },
      OBS,
      {},
      0,
    );
    expect(f).toEqual([]);
  });

  it('report each failing expectation with its line, expected and actual', () => {
    const f = checkExpectations(
      { states: ['welcome', 'join'], 'not-visits': ['wrong'], response: { status: 200 }, end: { cause: 'hangup' }, store: { other: 1 } },
      OBS,
      { states: 12, response: 14 },
      9,
    );
    expect(f.map((x) => [x.key, x.line])).toEqual([['states', 12], ['not-visits', 9], ['response', 14], ['end', 9], ['store', 9]]);
    expect(f[0]?.expected).toEqual(['welcome', 'join']);
    expect(f[0]?.actual).toEqual(OBS.states);
    expect(f[1]?.message).toContain('wrong');
  });

  it('dtmf-sent compares the digits sent as one string (a number in YAML counts as its digits)', () => {
    expect(checkExpectations({ 'dtmf-sent': 333 as unknown as string }, OBS, {}, 0)).toEqual([]);
    const f = checkExpectations({ 'dtmf-sent': '1234' }, OBS, { 'dtmf-sent': 7 }, 0);
    expect(f).toEqual([{ key: 'dtmf-sent', line: 7, message: 'DTMF sent differs', expected: '1234', actual: '333' }]);
  });

  it('subset matching: objects recursively, arrays exactly, numbers match numeric text', () => {
    expect(matchesSubset({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 })).toBe(true);
    expect(matchesSubset([1, 2], [1, 2, 3])).toBe(false);
    expect(matchesSubset({ pin: 1234 }, { pin: '1234' })).toBe(true);
    expect(matchesSubset({ a: null }, {})).toBe(true);
    expect(matchesSubset({ a: 1 }, null)).toBe(false);
  });
});
