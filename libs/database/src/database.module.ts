import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions, resolveDatabase, ResolvedDatabase, runMigrations } from './data-source';
import { guardConnections } from './raw';
import { assertMigrated, mayMigrate, migrateAsOwner } from './service-role';

export const RESOLVED_DATABASE = Symbol('RESOLVED_DATABASE');

@Injectable()
class EmbeddedDatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(RESOLVED_DATABASE) private readonly db: ResolvedDatabase) {}
  async onApplicationShutdown(): Promise<void> {
    // TypeORM's own shutdown hook closes the pool first; then the embedded server can stop.
    await this.db.embedded?.close().catch((e) => new Logger('Database').warn(`embedded close: ${e}`));
  }
}

/**
 * TypeORM on PostgreSQL. Entities are registered by feature modules (`TypeOrmModule.forFeature`)
 * and picked up automatically; migrations are applied at start-up (under an advisory lock).
 * On the embedded database the service holds its directory and publishes its server's address
 * for CLI commands (see `resolveDatabase`).
 */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    let resolved: Promise<ResolvedDatabase> | undefined;
    let migrationUrl: string | undefined;
    const resolve = (config: AppConfig) =>
      (resolved ??= resolveDatabase({
        url: config.DATABASE_URL,
        embeddedDir: config.EMBEDDED_DB_DIR,
        poolSize: config.DATABASE_POOL_SIZE,
        role: 'service',
      }));
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            const db = await resolve(config);
            migrationUrl = db.embedded ? undefined : config.MIGRATION_DATABASE_URL;
            return {
              ...dataSourceOptions(db.url, db.poolSize, {
                logging: config.LOG_LEVEL === 'silent' ? false : ['error', 'warn', 'migration'],
              }),
              autoLoadEntities: true,
              retryAttempts: 3,
              retryDelay: 1000,
            };
          },
          dataSourceFactory: async (options) => {
            const ds = await new DataSource(options!).initialize();
            try {
              if (migrationUrl) {
                // Migrations as the owner; this connection's role gets only what the service needs.
                const [{ current_user: role }] = await ds.query(`SELECT current_user`);
                await migrateAsOwner(migrationUrl, role);
              } else if ((await resolved!).embedded || (await mayMigrate(ds))) {
                await runMigrations(ds, await resolved!);
              } else {
                // A least-privilege role and no owner's URL: the owner migrates beforehand
                // (npm run db:service-role); the service only checks that nothing is pending.
                await assertMigrated(ds);
              }
            } catch (err) {
              await ds.destroy().catch(() => undefined);
              throw err;
            }
            guardConnections(ds, (err) =>
              new Logger('Database').warn(`a database connection failed: ${err.message} (it is replaced)`),
            );
            // Migrated: CLI commands may now use this process's embedded server.
            (await resolved!).embedded?.publish();
            return ds;
          },
        }),
      ],
      providers: [{ provide: RESOLVED_DATABASE, inject: [AppConfig], useFactory: resolve }, EmbeddedDatabaseCloser],
      exports: [TypeOrmModule, RESOLVED_DATABASE],
    };
  }
}
