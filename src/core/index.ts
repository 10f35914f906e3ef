export * from './language.ts';
export * from './errors.ts';
export * from './constraint.ts';
export * from './facts.ts';
export * from './stats.ts';
export * from './version.ts';
export * from './ir.ts';
export * from './typed-scope.ts';
