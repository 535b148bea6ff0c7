export * from './accept-language';
export * from './declaration-options';
export * from './governance/enforce-provisioned-product-properties';
export * from './provisioned-product-properties';
export * from './provider/provider-config';
export * from './shared/drift-mode';
export * from './drift/drift-metrics';
export * from './compliance/compliance-rule';
