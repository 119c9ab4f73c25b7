export * from './props';
export * from './type';
export * from './button';
