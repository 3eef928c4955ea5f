/** What a PromQL expression reads: the metric names it selects and the labels it names. */
export interface PromqlSelectors {
  metrics: string[];
  labels: string[];
}

/** PromQL's keywords: never metric names. */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
]);

/**
 * The metric names and label names in a PromQL expression of the kind a dashboard holds
 * (selectors, aggregations with `by`/`without`, functions, ranges, arithmetic). Label names come
 * from matchers (`{a="x"}`) and grouping clauses (`by (a, b)`); metric names are the identifiers
 * left once those, ranges, strings, numbers and function calls are taken out.
 */
export function promqlSelectors(expr: string): PromqlSelectors {
  const labels = new Set<string>();
  let rest = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  rest = rest.replace(/\{([^}]*)\}/g, (_m, inner: string) => {
    for (const [, name] of inner.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) {
      labels.add(name!);
    }
    return ' ';
  });
  rest = rest.replace(
    /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
    (_m, inner: string) => {
      for (const name of inner.split(',').map((n) => n.trim())) if (name !== '') labels.add(name);
      return ' ';
    },
  );
  rest = rest.replace(/\[[^\]]*\]/g, ' ');
  const metrics = new Set<string>();
  for (const m of rest.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = m[0];
    const after = rest.slice(m.index + name.length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(name)) continue; // a function, or a keyword
    if (/^\d/.test(name) || name === 'Inf' || name === 'NaN') continue;
    metrics.add(name);
  }
  return { metrics: [...metrics].sort(), labels: [...labels].sort() };
}
