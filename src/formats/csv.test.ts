import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('CSV', () => {
  it('quotes what needs quoting and ends lines with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['plain', 3],
          ['with, comma', 'say "hi"\nthere'],
        ],
      ),
    ).toBe('a,b\r\nplain,3\r\n"with, comma","say ""hi""\nthere"\r\n');
  });

  it('never lets user text run as a spreadsheet formula', () => {
    expect(toCsv(['x'], [['=HYPERLINK("http://evil")'], ['+1'], ['-2'], ['@SUM(A1)'], ['ok']])).toBe(
      'x\r\n"\'=HYPERLINK(""http://evil"")"\r\n\'+1\r\n\'-2\r\n\'@SUM(A1)\r\nok\r\n',
    );
  });
});
