/**
 * Runs async steps one after another and returns their results as Promise.all would. A
 * transaction is a single connection: firing several queries on it at once only queues them
 * inside pg (deprecated, and refused by pg 9), so code that may run on one uses this.
 */
export async function inOrder<T extends unknown[]>(steps: [...{ [K in keyof T]: () => Promise<T[K]> }]): Promise<T> {
  const results: unknown[] = [];
  for (const step of steps as Array<() => Promise<unknown>>) results.push(await step());
  return results as T;
}
