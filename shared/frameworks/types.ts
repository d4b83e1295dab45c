export interface Framework {
  id: 'nsa-cisa' | 'cis-eks' | 'pss-baseline' | 'pss-restricted';
  title: string;
  version: string;
  /** Control ids, in the framework's own order. */
  controls: readonly string[];
}
