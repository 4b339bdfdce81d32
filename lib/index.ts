export * from './validation/omnia-schema';
export * as l1 from './l1';
