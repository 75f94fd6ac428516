import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';

/**
 * The ledger's day totals are cut at the organisation's midnight. At start-up, if REPORT_TIME_ZONE
 * differs from the zone the totals were built in, they are rebuilt from the ledger in one
 * transaction (inserts wait meanwhile), under a lock so that one instance does it.
 */
@Injectable()
export class ReportSettings implements OnModuleInit {
  private readonly log = new Logger(ReportSettings.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  get timeZone(): string {
    return this.config.REPORT_TIME_ZONE;
  }

  get currency(): string {
    return this.config.CURRENCY;
  }

  async onModuleInit(): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('report_settings', 0))`);
      const [row] = await m.query(`SELECT time_zone FROM report_settings`);
      if (row?.time_zone === this.timeZone) return;
      const [known] = await m.query(`SELECT count(*)::int AS n FROM pg_timezone_names WHERE name = $1`, [
        this.timeZone,
      ]);
      if (!known.n) throw new Error(`REPORT_TIME_ZONE "${this.timeZone}" is not a time zone the database knows`);
      this.log.warn(
        `report time zone changes from ${row?.time_zone} to ${this.timeZone}: rebuilding the ledger's day totals`,
      );
      await m.query(`UPDATE report_settings SET time_zone = $1`, [this.timeZone]);
      await m.query(`SELECT ledger_rollups_rebuild()`);
    });
  }
}
