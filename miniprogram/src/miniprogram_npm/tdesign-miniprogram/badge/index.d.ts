export * from './type';
export * from './props';
export * from './badge';
