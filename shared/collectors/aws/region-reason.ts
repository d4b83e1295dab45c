/** The reason a region's targets carry when the region is off in the account (no cluster can exist there). */
export function regionNotEnabledReason(region: string, accountId: string, source: string): string {
  return `region ${region} is not enabled in account ${accountId} (${source})`;
}

export function isRegionNotEnabled(reason: string): boolean {
  return /^region \S+ is not enabled in account \d{12} /.test(reason);
}
