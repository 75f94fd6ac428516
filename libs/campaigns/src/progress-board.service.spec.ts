import { progressPercent } from './progress-board.service';

describe('progressPercent', () => {
  it('rounds down to two decimals on integers', () => {
    expect(progressPercent(0, 25000000)).toBe(0);
    expect(progressPercent(1, 3)).toBe(33.33);
    expect(progressPercent(2, 3)).toBe(66.66);
    expect(progressPercent(12345, 25000000)).toBe(0.04);
    expect(progressPercent(25000000, 25000000)).toBe(100);
    expect(progressPercent(37500000, 25000000)).toBe(150);
  });

  it('never goes below zero (more refunded than given)', () => {
    expect(progressPercent(-500, 1000)).toBe(0);
  });
});
