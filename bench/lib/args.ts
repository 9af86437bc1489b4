/** A benchmark's `--name value` options, with their defaults. */
export function stringArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

export const numberArg = (name: string, fallback: number): number => Number(stringArg(name, String(fallback)));
