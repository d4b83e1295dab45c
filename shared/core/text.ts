/** `a, b, c` or `a, b, c, … (+4)` so a message stays readable when a list is long. */
export function listText(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')}, … (+${items.length - max})`;
}
