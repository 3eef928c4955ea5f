import { Code, Paper, ScrollArea, Table, Text } from '@mantine/core';
import hljs from 'highlight.js/lib/core';
import json from 'highlight.js/lib/languages/json';
import yaml from 'highlight.js/lib/languages/yaml';
import 'highlight.js/styles/github.css';
import type { AttachmentView } from './api';
import { base64Bytes, hexDumpLines } from './hex-dump';

hljs.registerLanguage('json', json);
hljs.registerLanguage('yaml', yaml);

/** Text highlighted by highlight.js (which escapes it: no markup of the document's survives). */
function Highlighted({ text, language }: { text: string; language: 'json' | 'yaml' }) {
  const html = hljs.highlight(text, { language, ignoreIllegals: true }).value;
  return (
    <pre className="attachment-code" data-kind={language}>
      <code className={`hljs language-${language}`} dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}

/** One attachment of a job's narration, as people read it. */
export function AttachmentBlock({ attachment }: { attachment: AttachmentView }) {
  let body;
  switch (attachment.kind) {
    case 'hex':
      body = (
        <pre className="attachment-code" data-kind="hex">
          {hexDumpLines(base64Bytes(attachment.base64)).join('\n')}
        </pre>
      );
      break;
    case 'table':
      body = (
        <Table withTableBorder striped data-kind="table">
          <Table.Thead>
            <Table.Tr>
              {attachment.headers.map((h, i) => (
                <Table.Th key={i} scope="col">
                  {h}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {attachment.rows.map((row, r) => (
              <Table.Tr key={r}>
                {row.map((cell, i) => (
                  <Table.Td key={i}>{cell}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      );
      break;
    case 'json':
    case 'yaml':
      body = <Highlighted text={attachment.text} language={attachment.kind} />;
      break;
    default:
      body = <Code>(empty)</Code>;
  }
  return (
    <Paper withBorder p="xs" mt="xs" data-testid="attachment" data-kind={attachment.kind}>
      {attachment.caption !== '' && (
        <Text size="sm" fw={600} mb={4}>
          {attachment.caption}
        </Text>
      )}
      <ScrollArea.Autosize mah={480}>{body}</ScrollArea.Autosize>
    </Paper>
  );
}
