/**
 * The language Service Catalog uses for the messages it returns
 * (the `AcceptLanguage` parameter of its API).
 */
export enum AcceptLanguage {
  /** English. */
  ENGLISH = 'en',
  /** Japanese. */
  JAPANESE = 'jp',
  /** Chinese. */
  CHINESE = 'zh',
}
