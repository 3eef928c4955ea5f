import { describe, expect, it } from 'vitest';
import { oneLine, textTable } from './text-table.js';

describe('textTable', () => {
  it('pads each column to its widest cell, numbers to the right, no trailing spaces', () => {
    expect(
      textTable(
        [{ title: 'id', align: 'right' }, { title: 'name' }, { title: 'note' }],
        [
          ['7', 'Team 07', ''],
          ['12', 'B', 'x'],
        ],
      ),
    ).toBe(['id  name     note', ' 7  Team 07', '12  B        x'].join('\n'));
  });

  it('prints the header alone when there are no rows', () => {
    expect(textTable([{ title: 'id' }, { title: 'name' }], [])).toBe('id  name');
  });
});

describe('oneLine', () => {
  it('puts text on one line and cuts what does not fit with …', () => {
    expect(oneLine('connect:\n\tECONNREFUSED  10.0.1.10:80\n', 80)).toBe(
      'connect: ECONNREFUSED 10.0.1.10:80',
    );
    expect(oneLine('abcdef', 6)).toBe('abcdef');
    expect(oneLine('abcdefg', 6)).toBe('abcde…');
    expect(oneLine('abcd efgh', 6)).toBe('abcd…');
  });

  it('never cuts a character in half', () => {
    expect(oneLine('ab😀😀😀', 4)).toBe('ab😀…');
  });
});
