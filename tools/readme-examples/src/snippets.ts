/**
 * The TypeScript examples of a Markdown document: the body of every fenced block whose info string
 * is `ts` or `typescript` (a fence of three or more backticks, as CommonMark has it).
 */
export function typescriptSnippets(markdown: string): string[] {
  const snippets: string[] = [];
  const fence = /^(`{3,})[ \t]*(?:ts|typescript)[ \t]*\n([\s\S]*?)^\1[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) snippets.push(match[2]!);
  return snippets;
}
