export * from './cmyk';
export * from './color';
export * from './gradient';
