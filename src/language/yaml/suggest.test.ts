import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from './suggest.js';

describe('did-you-mean', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('goto', 'goto')).toBe(0);
    expect(editDistance('gtoo', 'goto')).toBe(1);
    expect(editDistance('state', 'states')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only close words', () => {
    expect(closest('ino', ['into', 'on'])).toBe('into');
    expect(closest('descripton', ['flow', 'description'])).toBe('description');
    expect(closest('zzz', ['into', 'on'])).toBeUndefined();
    expect(didYouMean('stats', ['states'])).toBe(" (did you mean 'states'?)");
    expect(didYouMean('qqqq', ['states'])).toBe('');
  });
});
