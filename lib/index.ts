export * from './accept-language';
export * from './governance/enforce-provisioned-product-properties';
export * from './provisioned-product-properties';
export * from './provider/provider-config';
