export * from './staff.entity';
export * from './staff.dto';
export * from './password';
export * from './audit.service';
export * from './staff.service';
export * from './roles.guard';
export * from './staff.module';
