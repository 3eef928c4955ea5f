import { describe, expect, it } from 'vitest';
import { typescriptSnippets } from './snippets.js';

describe('typescriptSnippets', () => {
  it('takes the body of each ts block, and no other block', () => {
    const markdown = [
      'Intro',
      '```sh',
      'npm start',
      '```',
      '```ts',
      "import { a } from 'a';",
      '',
      'await a();',
      '```',
      '````typescript',
      'const fence = "```";',
      '````',
      '```tsx',
      'no',
      '```',
    ].join('\n');
    expect(typescriptSnippets(markdown)).toEqual([
      "import { a } from 'a';\n\nawait a();\n",
      'const fence = "```";\n',
    ]);
  });
});
