export * from './tabs';
export * from './type';
export * from './props';
