export * from './accept-language';
export * from './enforce-provisioned-product-properties';
export * from './provisioned-product-properties';
export * from './provider-config';
