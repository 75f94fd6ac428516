import { cardProcessingFee } from './pricing';

describe('simulated pricing', () => {
  it('charges 1.7% + 30c, rounded to the cent', () => {
    expect(cardProcessingFee(2500)).toBe(73); // 42.5 rounds up
    expect(cardProcessingFee(1000)).toBe(47);
    expect(cardProcessingFee(100)).toBe(32);
    expect(cardProcessingFee(10_000_000)).toBe(170_030);
  });
});
