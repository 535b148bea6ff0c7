export * from './accept-language';
export * from './provisioned-product-properties';
