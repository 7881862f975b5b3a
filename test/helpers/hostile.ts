/** Hostile inputs shared by tests. */

/** A YAML "billion laughs": nine levels of nine aliases each (9^9 strings once expanded), under `key`. */
export function aliasBomb(key: string): string {
  const names = 'abcdefghi';
  const lines = [`a: &a [${Array(9).fill('"lol"').join(',')}]`];
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
  return `${lines.join('\n')}\n${key}: *i\n`;
}
