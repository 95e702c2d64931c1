/** Topological order of nodes (Kahn); throws on a cycle naming its members. */
export function topoOrder(nodes: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const known = new Set(nodes);
  const indegree = new Map<string, number>(nodes.map((n) => [n, 0]));
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    for (const dep of edges.get(node) ?? []) {
      if (!known.has(dep)) continue;
      indegree.set(node, (indegree.get(node) ?? 0) + 1);
      dependents.set(dep, [...(dependents.get(dep) ?? []), node]);
    }
  }
  const ready = nodes.filter((n) => indegree.get(n) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const node = ready.shift() as string;
    order.push(node);
    for (const next of dependents.get(node) ?? []) {
      const left = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length !== nodes.length) {
    const cyclic = nodes.filter((n) => !order.includes(n));
    throw new Error(`dependency cycle between: ${cyclic.join(', ')}`);
  }
  return order;
}
