/** RFC 4180 CSV and OWASP CSV-injection neutralization. */
import { csvField, exportFindings, neutralizeFormula, toCsv } from '../../shared/app/exports';
import { control, finding, parseCsv } from './fixtures';

describe('csvField (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line1\nline2', '"line1\nline2"'],
    ['a\rb', '"a\rb"'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('writes numbers as they are and leaves absent values empty', () => {
    expect(csvField(-3)).toBe('-3');
    expect(csvField(undefined)).toBe('');
    expect(csvField(null)).toBe('');
  });

  it('ends every record, the last included, with CRLF and keeps the header first', () => {
    const body = toCsv(
      ['a', 'b'],
      [
        ['1', '2'],
        ['x,y', 'z'],
      ],
    );
    expect(body).toBe('a,b\r\n1,2\r\n"x,y",z\r\n');
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});

describe('inert cells (issue 12)', () => {
  it('writes ESC, BEL, C1 and bidi controls as visible escapes, keeps LF, CR and TAB as RFC 4180 data', () => {
    expect(csvField('\u001b[2J\u0007')).toBe(String.raw`\x1b[2J\x07`);
    expect(csvField('\u009b31m \u202egpj.exe')).toBe(String.raw`\x9b31m \u202egpj.exe`);
    expect(csvField('a\tb')).toBe('a\tb');
    expect(csvField('=1+1\u001b')).toBe(String.raw`'=1+1\x1b`);
  });
});

describe('formula neutralization (OWASP CSV injection)', () => {
  it.each(['=1+1', '+1', '-1+2', '@SUM(A1)', '\tcmd', '\rcmd', '＝1+1'])('prefixes a single quote to %j', (cell) => {
    expect(neutralizeFormula(cell)).toBe(`'${cell}`);
  });

  it.each(['a=b', 'sg-0abc', '1-2', "'already", ' =x'])('leaves %j alone', (cell) => {
    expect(neutralizeFormula(cell)).toBe(cell);
  });

  it('neutralizes before quoting, so a quoted formula still starts with the quote inside', () => {
    expect(csvField('=HYPERLINK("http://x","a,b")')).toBe(`"'=HYPERLINK(""http://x"",""a,b"")"`);
    expect(csvField('\rrun')).toBe(`"'\rrun"`);
  });
});

describe('exportFindings csv', () => {
  it('has a header row and one parsable row per finding, hostile cells neutralized', () => {
    const hostile = finding({
      resourceId: '-evil',
      message: '=cmd|\' /C calc\'!A0, then "quoted"\nand a second line',
      qualifier: '@attacker',
    });
    const plain = finding({ resourceId: 'sg-1', severity: 'CRITICAL' });
    const controls = [
      control('network.security-group-open-to-internet', [
        { framework: 'cis-aws', requirement: '5.2' },
        { framework: 'pci-dss-4.0', requirement: '1.3.1' },
      ]),
    ];
    const { contentType, body } = exportFindings('csv', [hostile, plain], controls);
    expect(contentType).toMatch(/^text\/csv/);
    const rows = parseCsv(body);
    expect(rows).toHaveLength(3);
    const [header, first, second] = rows as [string[], string[], string[]];
    expect(header.slice(0, 6)).toEqual(['id', 'control_id', 'area', 'title', 'severity', 'status']);
    for (const row of rows) expect(row).toHaveLength(header.length);
    const cell = (row: string[], name: string) => row[header.indexOf(name)];
    expect(cell(first, 'resource_id')).toBe("'-evil");
    expect(cell(first, 'qualifier')).toBe("'@attacker");
    expect(cell(first, 'message')).toBe("'=cmd|' /C calc'!A0, then \"quoted\"\nand a second line");
    expect(cell(first, 'frameworks')).toBe('cis-aws 5.2; pci-dss-4.0 1.3.1');
    expect(cell(second, 'severity')).toBe('CRITICAL');
    expect(cell(second, 'count')).toBe('1');
    for (const row of rows) for (const value of row) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });
});
