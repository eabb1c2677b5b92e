import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('keeps empty fields and stops at maxRows', () => {
    expect(parseCsv('a,,c\n1,2,3\n4,5,6', 2)).toEqual([
      ['a', '', 'c'],
      ['1', '2', '3'],
    ]);
  });
});
