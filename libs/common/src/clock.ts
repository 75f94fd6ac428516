import { Global, Injectable, Module } from '@nestjs/common';

/** The time now, as one injectable seam, so that "the same day" and "the next day" can be tested. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** The calendar day (YYYY-MM-DD) it is at `at` in `timeZone` (an IANA zone). */
export function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * The one Clock of the application (global): every service that asks the time gets the same
 * instance, so a test that moves it (`jest.spyOn(app.get(Clock), 'now')`) moves it for all. A
 * module that listed Clock among its own providers would get a private instance the test cannot reach.
 */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
