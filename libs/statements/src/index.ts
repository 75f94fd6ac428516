export * from './financial-year';
export * from './statement-pdf';
export * from './statements.dto';
export * from './statements.service';
export * from './statements.module';
