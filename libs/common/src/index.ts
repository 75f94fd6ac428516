export * from './domain-error';
export * from './money';
export * from './http-exception.filter';
export * from './validation';
export * from './ids';
export * from './fields';
export * from './storable-text.pipe';
